"""refaudit's benchmarks: ``python -m benchmarks`` (``make bench``); see docs/PERFORMANCE.md."""
