"""The object every command receives (``pass_app``): the global options, the tool's today, the settings,
the secrets (``_secrets``) and the registry's store (``_files``), put together into the service's ``Access``.

A plain class rather than a dataclass: importing dataclasses is a cost every ``--help`` and TAB would pay.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from refaudit.cli._files import open_store
from refaudit.cli._output import has_undecodable, safe
from refaudit.cli._secrets import Secrets
from refaudit.errors import ValidationError

if TYPE_CHECKING:  # the core and pathlib is imported inside the methods that use it: --help stays light
    from pathlib import Path

    from refaudit import service, store, vault
    from refaudit.change import Change
    from refaudit.model import Registry
    from refaudit.settings import Settings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Invocation:
    """One run of refaudit: the global options, and the edges the core needs (clock, settings, secrets, store)."""

    def __init__(self, registry_path: Path, config_path: str | None, passphrase_file: str | None, debug: bool) -> None:
        self.registry_path = registry_path
        self.config_path = config_path
        self.passphrase_file = passphrase_file
        self.debug = debug
        self.secrets = Secrets(passphrase_file, lambda: self.store().path)
        self._settings: Settings | None = None

    def __repr__(self) -> str:  # never the passphrase
        return f"Invocation(registry_path={self.registry_path!r}, config_path={self.config_path!r})"

    # --- time ----------------------------------------------------------------------

    def today(self) -> date:
        """The tool's own today: the clock, or ``REFAUDIT_TODAY`` (YYYY-MM-DD) when set, for tests and replays."""
        pinned = os.environ.get("REFAUDIT_TODAY")
        if pinned:
            from refaudit.checks import parse_date

            day = parse_date("REFAUDIT_TODAY", pinned)
            assert day is not None
            return day
        return date.today()

    def date_order(self) -> str | None:
        """How to read an ambiguous slashed date: the ``dates.order`` setting, ``dmy``, ``mdy`` or unset."""
        return self.settings().dates.order

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

    # --- the registry --------------------------------------------------------------

    def store(self) -> store.Store:
        return open_store(self.registry_path)

    def access(self, unlock: Callable[[bytes], vault.Keyring] | None = None, *, warn: bool = True) -> service.Access:
        """The registry's ``service.Access``; ``unlock`` is how to open it (default: session, else passphrase).

        ``warn=False`` keeps quiet about where the registry lives (shell completion).
        """
        from refaudit import service, sweep

        for folder in sweep.sweep_edit_folders(os.environ):
            click.echo(f"Warning: removed {safe(folder)}, the plaintext left by an 'edit' that was killed.", err=True)
        st = self.store()
        for warning in st.warnings() if warn else []:
            click.echo(f"Warning: {safe(warning)}", err=True)
        if warn:
            from refaudit.copies import conflicts

            for note in conflicts.notes(st.path):
                click.echo(f"Note: {safe(note)}", err=True)
        return service.Access(store=st, unlock=unlock or self.secrets.unlock, now=self.now)

    def read(self) -> Registry:
        from refaudit import service

        return service.read(self.access())

    def update(self, command: str, change: Callable[[Registry], Change[T]], *, scrub_backup: bool = False) -> T:
        """Run ``change`` through ``service.update``: passphrase first, then lock, change, save."""
        from refaudit import service

        return service.update(self.access(), command, change, scrub_backup=scrub_backup)


_pass_app = click.make_pass_decorator(Invocation)


def pass_app(f: F) -> F:
    """Pass the Invocation, after refusing any text argument that is not UTF-8 (paths may be anything)."""

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
