"""How the command line reads its values: the DATE type, choices from the core, the global options' defaults.

Nothing here imports the core at import time: listing and completing commands stay light.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from refaudit.cli._output import safe
from refaudit.errors import ValidationError

if TYPE_CHECKING:
    from pathlib import Path

MAX_LOCK_TIMEOUT = 86400.0  # a day; longer is a mistake, not a wish


def default_registry_path() -> Path:
    """Where ``--registry`` points when neither it nor ``REFAUDIT_REGISTRY`` is given."""
    from pathlib import Path

    import platformdirs

    return Path(platformdirs.user_data_dir("refaudit", appauthor=False)) / "registry.refaudit"


def lock_timeout(raw: str) -> float:
    """``REFAUDIT_LOCK_TIMEOUT``: seconds, 0 or more and finite (a negative one would wait forever)."""
    if not raw:
        from refaudit import store

        return store.DEFAULT_LOCK_TIMEOUT
    try:
        timeout = float(raw)
    except ValueError:
        timeout = math.nan
    if not (math.isfinite(timeout) and 0 <= timeout <= MAX_LOCK_TIMEOUT):
        raise ValidationError(
            f"REFAUDIT_LOCK_TIMEOUT '{safe(raw)}' is not a number of seconds from 0 to {MAX_LOCK_TIMEOUT:g}."
        )
    return timeout


class DateType(click.ParamType[date]):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from refaudit import dates
        from refaudit.cli._app import Invocation

        # The group's callback has run by now, so the global options (the config) are known.
        app = ctx.find_object(Invocation) if ctx else None
        today = app.today() if app else date.today()
        try:
            return dates.parse(str(value), today)
        except dates.AmbiguousDateError as exc:
            order = app.date_order() if app else None  # a bad setting is the config's error (exit 1)
            if order is None:
                self.fail(str(exc), param, ctx)
            return dates.parse(str(value), today, order)
        except ValidationError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def choice(values: Sequence[str]) -> click.Choice[str]:
    return click.Choice(list(values), case_sensitive=False)


class LazyChoice(click.Choice[str]):
    """A case-insensitive choice among values the core defines, read when first needed.

    ``LazyChoice("model", "STAGES")`` is ``refaudit.model.STAGES``; listing commands and
    completing option names then never import the core module.
    """

    def __init__(self, module: str, attr: str, *extra: str) -> None:
        self._source = (module, attr, extra)
        self._loaded: tuple[str, ...] | None = None
        super().__init__((), case_sensitive=False)

    @property  # click.Choice keeps a plain attribute; this one loads on first use
    def choices(self) -> tuple[str, ...]:
        if self._loaded is None:
            import importlib

            module, attr, extra = self._source
            self._loaded = (*getattr(importlib.import_module(f"refaudit.{module}"), attr), *extra)
        return self._loaded

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # click.Choice.__init__ assigns (); the values come from the core when first read

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if ctx is not None and ctx.resilient_parsing and self._loaded is None:
            return str(value)  # shell completion parses defaults too; checking them would load the core
        return super().convert(value, param, ctx)


def lazy_choice(module: str, attr: str, *extra: str) -> click.Choice[str]:
    """``choice(refaudit.<module>.<attr> + extra)``, without importing the module until it is needed."""
    return LazyChoice(module, attr, *extra)
