"""What every command shares: global options, passphrase sources, dates, output helpers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from refaudit import dates, service, store, vault
from refaudit.errors import RefauditError, UsageError, ValidationError
from refaudit.model import Registry, parse_date
from refaudit.settings import Settings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

NO_SOURCE = (
    "no passphrase available: set REFAUDIT_PASSPHRASE (or REFAUDIT_SESSION from 'refaudit unlock'), "
    "use --passphrase-file, or run refaudit on a terminal."
)


def default_registry_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("refaudit", appauthor=False)) / "registry.refaudit"


def _read_secret_file(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            line = fh.readline()
    except OSError as exc:
        raise RefauditError(f"cannot read the {what} file {path!r}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise RefauditError(f"the {what} file {path!r} is not UTF-8 text.") from None
    return line.rstrip("\r\n")


def _nonempty(secret: str, what: str) -> str:
    if not secret:
        raise ValidationError(f"an empty {what} is refused; choose one with a few words in it.")
    return secret


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class AppContext:
    """The global options, and the edges the core needs (clock, prompts, unlocking)."""

    registry_path: Path
    config_path: str | None
    passphrase_file: str | None
    debug: bool
    _settings: Settings | None = field(default=None, repr=False)
    _passphrase: str | None = field(default=None, repr=False)

    # --- time ----------------------------------------------------------------------

    def today(self) -> date:
        """The tool's own today: the clock, or ``REFAUDIT_TODAY`` (YYYY-MM-DD) when set, for tests and replays."""
        pinned = os.environ.get("REFAUDIT_TODAY")
        if pinned:
            day = parse_date("REFAUDIT_TODAY", pinned)
            assert day is not None
            return day
        return date.today()

    def date_order(self) -> str | None:
        """How to read an ambiguous slashed date: the ``dates.order`` setting, ``dmy``, ``mdy`` or unset."""
        order = self.settings().get("dates", {}).get("order") or None
        if order is not None and order not in dates.ORDERS:
            raise ValidationError(f"config: dates.order {order!r} is not one of: dmy, mdy (or empty: ask).")
        return order

    def now(self) -> datetime:
        return datetime.now(UTC)

    # --- settings ------------------------------------------------------------------

    def settings(self) -> Settings:
        if self._settings is None:
            from refaudit import settings

            self._settings = settings.load(self.config_path)
        return self._settings

    # --- secrets -------------------------------------------------------------------

    def passphrase(self, prompt: str = "Passphrase") -> str:
        """The passphrase from the first source found: file, environment, terminal (asked once)."""
        if self._passphrase is None:
            self._passphrase = self._find_passphrase(prompt)
        return self._passphrase

    def _find_passphrase(self, prompt: str) -> str:
        if self.passphrase_file:
            return _nonempty(_read_secret_file(self.passphrase_file, "passphrase"), "passphrase")
        env = os.environ.get("REFAUDIT_PASSPHRASE")
        if env is not None:
            return _nonempty(env, "passphrase")
        if stdin_is_terminal():
            return _nonempty(click.prompt(prompt, hide_input=True, err=True), "passphrase")
        raise UsageError(NO_SOURCE)

    def new_secret(self, env_name: str, file_path: str | None, what: str = "new passphrase") -> str:
        """A passphrase being set: from its file or variable, else asked twice on a terminal."""
        if file_path:
            return _nonempty(_read_secret_file(file_path, what), what)
        env = os.environ.get(env_name)
        if env is not None:
            return _nonempty(env, what)
        if stdin_is_terminal():
            value = click.prompt(what.capitalize(), hide_input=True, confirmation_prompt=True, err=True)
            return _nonempty(value, what)
        raise UsageError(f"no {what}: set {env_name} or use --{what.replace(' ', '-')}-file, or run on a terminal.")

    def unlock(self, blob: bytes) -> vault.Keyring:
        """Unlock with a live session when there is one, else with the passphrase."""
        token = os.environ.get("REFAUDIT_SESSION")
        if token and not self.passphrase_file and "REFAUDIT_PASSPHRASE" not in os.environ:
            from refaudit import session

            file_id, data_key = session.resolve(token, self.store().path)
            return vault.unlock_key(blob, file_id, data_key)
        return vault.unlock_passphrase(blob, self.passphrase())

    # --- the registry --------------------------------------------------------------

    def store(self) -> store.Store:
        raw = os.environ.get("REFAUDIT_LOCK_TIMEOUT", "")
        try:
            timeout = float(raw) if raw else store.DEFAULT_LOCK_TIMEOUT
        except ValueError:
            raise ValidationError(f"REFAUDIT_LOCK_TIMEOUT {raw!r} is not a number of seconds.") from None
        return store.Store(self.registry_path, lock_timeout=timeout)

    def context(self) -> service.Context:
        st = self.store()
        for warning in st.warnings():
            click.echo(f"Warning: {warning}", err=True)
        return service.Context(store=st, unlock=self.unlock, now=self.now)

    def read(self) -> Registry:
        return service.read(self.context())

    def update(self, command: str, change: Callable[[Registry], service.Change], **kw: Any) -> Any:
        return service.update(self.context(), command, change, **kw)


pass_app = click.make_pass_decorator(AppContext)


# --- parameter types -------------------------------------------------------------------


class DateType(click.ParamType[date]):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        # The group's callback has run by now, so the global options (the config) are known.
        app = ctx.find_object(AppContext) if ctx else None
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


# --- output ------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_col: int = 40) -> str:
    """Rows under their headers, cells cut at ``max_col`` display columns (see ``_term`` for fitted tables)."""
    from refaudit.cli import _term

    return _term.table(headers, rows, limit=None, max_col=max_col)[0]


def confirm_or_yes(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, ``--yes`` is required (no silent destruction)."""
    if yes:
        return
    if not stdin_is_terminal():
        raise RefauditError(f"{question} Refusing without confirmation: pass --yes.")
    if not click.confirm(question, default=False, err=True):
        raise RefauditError("nothing was changed.")


__all__ = [
    "DATE",
    "AppContext",
    "choice",
    "confirm_or_yes",
    "echo_json",
    "pass_app",
    "table",
]
