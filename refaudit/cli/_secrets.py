"""Where the secrets come from and how the registry is opened: passphrase sources and policy, tries, unlocking.

The passphrase comes from ``--passphrase-file``, ``REFAUDIT_PASSPHRASE`` or a terminal prompt
(asked once, three tries when a person types it); a new one is asked twice and explained when
weak (zxcvbn, through ``refaudit.strength``). ``Secrets.unlock`` and its siblings are the
strategies a command hands to ``service.Access`` to open the registry.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from refaudit.cli._ask import stdin_is_terminal
from refaudit.cli._output import has_undecodable
from refaudit.errors import AuthError, UsageError, ValidationError

if TYPE_CHECKING:
    from pathlib import Path

    from refaudit import vault

TRIES = 3  # a mistyped passphrase at a terminal is asked again, as sudo does

NO_SOURCE = (
    "no passphrase available: set REFAUDIT_PASSPHRASE (or REFAUDIT_SESSION from 'refaudit unlock'), "
    "use --passphrase-file, or run refaudit on a terminal."
)


def _read_secret_file(path: str, what: str) -> str:
    from refaudit import filecheck

    return filecheck.read_secret_line(path, what)


def _nonempty(secret: str, what: str) -> str:
    if not secret:
        raise ValidationError(f"an empty {what} is refused; choose one with a few words in it.")
    return secret


class Secrets:
    """The passphrase (found once, then kept for the command) and the ways to unlock with it.

    ``registry_path`` is called only by the session strategy: a session belongs to one registry file.
    """

    def __init__(self, passphrase_file: str | None, registry_path: Callable[[], Path]) -> None:
        self.passphrase_file = passphrase_file
        self._registry_path = registry_path
        self._passphrase: str | None = None

    def __repr__(self) -> str:  # never the passphrase
        return f"Secrets(passphrase_file={self.passphrase_file!r})"

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

    # --- unlocking: each a strategy for service.Access ---------------------------------

    def unlock(self, blob: bytes) -> vault.Keyring:
        """Unlock with a live session when there is one, else with the passphrase."""
        token = os.environ.get("REFAUDIT_SESSION")
        if token and not self.passphrase_file and "REFAUDIT_PASSPHRASE" not in os.environ:
            return self.unlock_with_session(blob)
        return self.unlock_with_passphrase(blob)

    def unlock_with_session(self, blob: bytes) -> vault.Keyring:
        """Unlock with the live session in REFAUDIT_SESSION only; never prompts."""
        from refaudit import session, vault

        file_id, data_key, slots = session.resolve(os.environ.get("REFAUDIT_SESSION", ""), self._registry_path())
        keyring = vault.unlock_key(blob, file_id, data_key)
        session.check_slots(keyring, slots)  # a session made before passwd/recover opens nothing
        return keyring

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
