"""What every command shares: global options, passphrase sources, dates, output helpers."""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from refaudit import filecheck, service, store, vault
from refaudit.cli._output import has_undecodable, safe
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
    return filecheck.read_secret_line(path, what)


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
        return date.today()

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
            if has_undecodable(env):
                raise ValidationError("REFAUDIT_PASSPHRASE is not UTF-8 text; set it in UTF-8.")
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
            if has_undecodable(env):
                raise ValidationError(f"{env_name} is not UTF-8 text; set it in UTF-8.")
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
        return store.Store(self.registry_path, lock_timeout=lock_timeout(os.environ.get("REFAUDIT_LOCK_TIMEOUT", "")))

    def context(self) -> service.Context:
        from refaudit import sweep

        for folder in sweep.sweep_edit_folders(os.environ):
            click.echo(f"Warning: removed {safe(folder)}, the plaintext left by an 'edit' that was killed.", err=True)
        st = self.store()
        for warning in st.warnings():
            click.echo(f"Warning: {safe(warning)}", err=True)
        return service.Context(store=st, unlock=self.unlock, now=self.now)

    def read(self) -> Registry:
        return service.read(self.context())

    def update(self, command: str, change: Callable[[Registry], service.Change], **kw: Any) -> Any:
        return service.update(self.context(), command, change, **kw)


def lock_timeout(raw: str) -> float:
    """``REFAUDIT_LOCK_TIMEOUT``: seconds, 0 or more and finite (a negative one would wait forever)."""
    if not raw:
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


MAX_LOCK_TIMEOUT = 86400.0  # a day; longer is a mistake, not a wish

_pass_app = click.make_pass_decorator(AppContext)


def pass_app(f: F) -> F:
    """Pass the AppContext, after refusing any text argument that is not UTF-8 (paths may be anything)."""

    @functools.wraps(f)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _refuse_undecodable(click.get_current_context())
        return f(*args, **kwargs)

    return cast(F, _pass_app(checked))


def _refuse_undecodable(ctx: click.Context) -> None:
    """A byte that is not UTF-8 in a name or a note would fail at the first save: say so now."""
    for param in ctx.command.params:
        if isinstance(param.type, click.Path) or param.name is None:
            continue
        value = ctx.params.get(param.name)
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and has_undecodable(text):
                label = param.opts[0] if param.opts else param.name.upper()
                raise ValidationError(
                    f"{label} '{safe(text)}' is not UTF-8 text; type it again in UTF-8 "
                    "(check your terminal's character encoding)."
                )


# --- parameter types -------------------------------------------------------------------


class DateType(click.ParamType[date]):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            label = param.opts[0] if param and param.opts else "date"
            result = parse_date(label, value)
        except ValidationError as exc:
            self.fail(str(exc), param, ctx)
        assert result is not None
        return result


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


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide CJK characters take two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_col: int = 40) -> str:
    def cut(cell: str) -> str:
        cell = " ".join(cell.split())
        return cell if width(cell) <= max_col else cell[: max_col - 1] + "…"

    cells = [[cut(str(c)) for c in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


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
