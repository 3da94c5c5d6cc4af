"""What every command shares: global options, passphrase sources, dates, output helpers."""

from __future__ import annotations

import functools
import math
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from refaudit.cli._output import has_undecodable, safe
from refaudit.errors import AuthError, RefauditError, UsageError, ValidationError

if TYPE_CHECKING:  # the core and pathlib is imported inside the methods that use it: --help stays light
    from pathlib import Path

    from refaudit import service, store, vault
    from refaudit.change import Change
    from refaudit.model import Registry
    from refaudit.settings import Settings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

TRIES = 3  # a mistyped passphrase at a terminal is asked again, as sudo does

NO_SOURCE = (
    "no passphrase available: set REFAUDIT_PASSPHRASE (or REFAUDIT_SESSION from 'refaudit unlock'), "
    "use --passphrase-file, or run refaudit on a terminal."
)


def default_registry_path() -> Path:
    from pathlib import Path

    import platformdirs

    return Path(platformdirs.user_data_dir("refaudit", appauthor=False)) / "registry.refaudit"


def _read_secret_file(path: str, what: str) -> str:
    from refaudit import filecheck

    return filecheck.read_secret_line(path, what)


def _nonempty(secret: str, what: str) -> str:
    if not secret:
        raise ValidationError(f"an empty {what} is refused; choose one with a few words in it.")
    return secret


def stdin_is_terminal() -> bool:
    return is_terminal(sys.stdin)


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal; a closed or replaced stream is not."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class AppContext:
    """The global options, and the edges the core needs (clock, prompts, unlocking).

    A plain class rather than a dataclass: importing dataclasses is a cost every
    ``--help`` and TAB would pay.
    """

    def __init__(self, registry_path: Path, config_path: str | None, passphrase_file: str | None, debug: bool) -> None:
        self.registry_path = registry_path
        self.config_path = config_path
        self.passphrase_file = passphrase_file
        self.debug = debug
        self._settings: Settings | None = None
        self._passphrase: str | None = None

    def __repr__(self) -> str:  # never the passphrase
        return f"AppContext(registry_path={self.registry_path!r}, config_path={self.config_path!r})"

    # --- time ----------------------------------------------------------------------

    def today(self) -> date:
        """The tool's own today: the clock, or ``REFAUDIT_TODAY`` (YYYY-MM-DD) when set, for tests and replays."""
        pinned = os.environ.get("REFAUDIT_TODAY")
        if pinned:
            from refaudit.model import parse_date

            day = parse_date("REFAUDIT_TODAY", pinned)
            assert day is not None
            return day
        return date.today()

    def date_order(self) -> str | None:
        """How to read an ambiguous slashed date: the ``dates.order`` setting, ``dmy``, ``mdy`` or unset."""
        from refaudit import dates

        order = self.settings().get("dates", {}).get("order") or None
        if order is not None and order not in dates.ORDERS:
            raise ValidationError(f"config: dates.order {order!r} is not one of: dmy, mdy (or empty: ask).")
        return order

    def now(self) -> datetime:
        return datetime.now(UTC)

    # --- settings ------------------------------------------------------------------

    def settings(self) -> Settings:
        """The shipped defaults, your config file, REFAUDIT_CONFIG, --config: each laid over the last."""
        if self._settings is None:
            from refaudit import userconfig

            self._settings = userconfig.load(userconfig.layers(self.config_path))
        return self._settings

    def config_origin(self, key: str) -> Path:
        """The config file whose value of ``key`` is in force (relative paths in it are read from its folder)."""
        from refaudit import userconfig

        return userconfig.origin(userconfig.layers(self.config_path), key)

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

    def _prompts(self) -> bool:
        """Whether the passphrase would come from a person at a terminal (who may retype it)."""
        return (
            self._passphrase is None
            and not self.passphrase_file
            and "REFAUDIT_PASSPHRASE" not in os.environ
            and stdin_is_terminal()
        )

    def new_secret(self, env_name: str, file_path: str | None, what: str = "new passphrase") -> str:
        """A passphrase being set: from its file or variable, else asked twice on a terminal.

        At a terminal a weak passphrase is explained and must be confirmed (or another chosen).
        """
        if file_path:
            return _nonempty(_read_secret_file(file_path, what), what)
        env = os.environ.get(env_name)
        if env is not None:
            if has_undecodable(env):
                raise ValidationError(f"{env_name} is not UTF-8 text; set it in UTF-8.")
            return _nonempty(env, what)
        if not stdin_is_terminal():
            raise UsageError(f"no {what}: set {env_name} or use --{what.replace(' ', '-')}-file, or run on a terminal.")
        from refaudit import strength

        while True:
            value = click.prompt(what.capitalize(), hide_input=True, confirmation_prompt=True, err=True)
            weak = strength.weakness(_nonempty(value, what))
            if weak is None:
                return str(value)
            click.echo(f"Warning: {weak}", err=True)
            if click.confirm("Use it anyway?", default=False, err=True):
                return str(value)

    # --- unlocking: each a strategy for service.Context -----------------------------

    def unlock(self, blob: bytes) -> vault.Keyring:
        """Unlock with a live session when there is one, else with the passphrase."""
        token = os.environ.get("REFAUDIT_SESSION")
        if token and not self.passphrase_file and "REFAUDIT_PASSPHRASE" not in os.environ:
            return self.unlock_with_session(blob)
        return self.unlock_with_passphrase(blob)

    def unlock_with_session(self, blob: bytes) -> vault.Keyring:
        """Unlock with the live session in REFAUDIT_SESSION only; never prompts."""
        from refaudit import session, vault

        file_id, data_key = session.resolve(os.environ.get("REFAUDIT_SESSION", ""), self.store().path)
        return vault.unlock_key(blob, file_id, data_key)

    def unlock_with_passphrase(self, blob: bytes, prompt: str = "Passphrase") -> vault.Keyring:
        """Unlock with the passphrase (never a session); a person at a terminal gets three tries."""
        from refaudit import vault

        return self._tries(lambda: self.passphrase(prompt), lambda text: vault.unlock_passphrase(blob, text))

    def unlock_with_recovery(self, blob: bytes) -> vault.Keyring:
        """Unlock with the recovery key: REFAUDIT_RECOVERY_KEY, else asked (three tries) at a terminal."""
        from refaudit import vault

        given = os.environ.get("REFAUDIT_RECOVERY_KEY")
        if given is not None:
            return vault.unlock_recovery(blob, given)
        if not stdin_is_terminal():
            raise UsageError("no recovery key: set REFAUDIT_RECOVERY_KEY, or run on a terminal.")

        def ask() -> str:
            return str(click.prompt("Recovery key", hide_input=True, err=True))

        return self._tries(ask, lambda text: vault.unlock_recovery(blob, text), interactive=True, what="recovery key")

    def _tries(
        self,
        ask: Callable[[], str],
        open_with: Callable[[str], vault.Keyring],
        *,
        interactive: bool | None = None,
        what: str = "passphrase",
    ) -> vault.Keyring:
        """``open_with(ask())``; a person at a terminal may retype a wrong secret up to ``TRIES`` times."""
        if not (self._prompts() if interactive is None else interactive):
            return open_with(ask())
        for left in range(TRIES - 1, -1, -1):
            try:
                return open_with(ask())
            except AuthError as exc:
                self._passphrase = None
                if left == 0:
                    raise AuthError(f"{exc} ({TRIES} tries).") from None
                # A passphrase is just wrong; a recovery key's checksum can say what was mistyped.
                why = "" if what == "passphrase" else f" ({str(exc).rstrip('.')})"
                click.echo(f"Wrong {what}{why}, try again ({left} left).", err=True)
        raise AssertionError("unreachable: the last try returns or raises")  # pragma: no cover

    # --- the registry --------------------------------------------------------------

    def store(self) -> store.Store:
        from refaudit import store

        return store.Store(self.registry_path, lock_timeout=lock_timeout(os.environ.get("REFAUDIT_LOCK_TIMEOUT", "")))

    def context(self, unlock: Callable[[bytes], vault.Keyring] | None = None, *, warn: bool = True) -> service.Context:
        """The service's context; ``unlock`` is how to open the registry (default: session, else passphrase).

        ``warn=False`` keeps quiet about where the registry lives (shell completion).
        """
        from refaudit import service, sweep

        for folder in sweep.sweep_edit_folders(os.environ):
            click.echo(f"Warning: removed {safe(folder)}, the plaintext left by an 'edit' that was killed.", err=True)
        st = self.store()
        for warning in st.warnings() if warn else []:
            click.echo(f"Warning: {safe(warning)}", err=True)
        return service.Context(store=st, unlock=unlock or self.unlock, now=self.now)

    def read(self) -> Registry:
        from refaudit import service

        return service.read(self.context())

    def update(self, command: str, change: Callable[[Registry], Change[T]], *, scrub_backup: bool = False) -> T:
        """Run ``change`` through ``service.update``: passphrase first, then lock, change, save."""
        from refaudit import service

        return service.update(self.context(), command, change, scrub_backup=scrub_backup)


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
        # The group's callback has run by now, so the global options (the config) are known.
        app = ctx.find_object(AppContext) if ctx else None
        today = app.today() if app else date.today()
        from refaudit import dates

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


# --- output ------------------------------------------------------------------------------


def echo_json(data: Any) -> None:
    from refaudit import jsonio

    click.echo(jsonio.dumps(data, indent=2))


_PLAINTEXT = (
    "Warning: {path} is NOT encrypted: it names your references in plain text. "
    "Keep it private and delete it when you are done."
)


def check_output(app: AppContext, path: Path, what: str, *, force: bool) -> None:
    """Refuse an output path before anything is unlocked (``filecheck.require_new_target``)."""
    from refaudit import filecheck

    st = app.store()
    filecheck.require_new_target(path, what, force=force, protected=(st.path, st.backup_path, st.lock_path))


def write_output(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path``, created ``0600``, and warn that it is plaintext."""
    from refaudit.interop import write_private

    write_private(path, data, force=force)
    click.echo(_PLAINTEXT.format(path=safe(path)), err=True)


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
    "check_output",
    "choice",
    "confirm_or_yes",
    "echo_json",
    "pass_app",
    "write_output",
]
