"""refaudit: find out whether one of your own job references is costing you offers."""

__version__ = "0.1.0"
