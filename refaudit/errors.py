"""Every error refaudit reports, each carrying the exit code docs/SPEC.md gives it.

This module imports nothing so that every other module may import it.
"""


class RefauditError(Exception):
    """The operation was refused or failed (exit 1)."""

    exit_code = 1


class UsageError(RefauditError):
    """The call itself is wrong, e.g. no passphrase source without a terminal (exit 2)."""

    exit_code = 2


class AuthError(RefauditError):
    """Wrong passphrase, recovery key or session (exit 3)."""

    exit_code = 3


class DamagedError(RefauditError):
    """Not a refaudit file, unsupported version, tampered, truncated or invalid (exit 4)."""

    exit_code = 4


class BusyError(RefauditError):
    """Another process holds the registry's lock past the timeout (exit 5)."""

    exit_code = 5


class ValidationError(RefauditError):
    """A value the user gave is not accepted (exit 1)."""

    exit_code = 1


class NotFoundError(RefauditError):
    """No record matches what the user typed (exit 1)."""

    exit_code = 1
