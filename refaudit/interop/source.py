"""Reading an import source: a regular file or standard input, capped, decoded as UTF-8."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from refaudit.errors import RefauditError, ValidationError
from refaudit.printable import safe

MAX_IMPORT_SIZE = 20 * 1024 * 1024  # far above any real export; refuses a mistaken path quickly
STDIN_NAME = "standard input"


@dataclass(frozen=True)
class Text:
    """A decoded source: ``name`` is what messages call it (the file's name, or standard input)."""

    name: str
    text: str
    suffix: str = ""


def read_path(path: Path) -> Text:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise RefauditError(f"no such file or folder: {str(path)!r}.") from None
    except OSError as exc:
        raise RefauditError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(f"{str(path)!r} is not a regular file; import reads files (or '-' for standard input).")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_IMPORT_SIZE + 1)
    except OSError as exc:
        raise RefauditError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None
    name = safe(path.name)
    return Text(name, decode(raw, name), path.suffix.lower())


def read_stream(stream: BinaryIO) -> Text:
    return Text(STDIN_NAME, decode(stream.read(MAX_IMPORT_SIZE + 1), STDIN_NAME))


def decode(raw: bytes, name: str) -> str:
    if len(raw) > MAX_IMPORT_SIZE:
        raise ValidationError(
            f"{name!r} is larger than {MAX_IMPORT_SIZE // (1024 * 1024)} MB; "
            "that is not an export refaudit reads (nothing was imported)."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{name!r} is not UTF-8 text (byte {exc.start:,} is 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 (in a spreadsheet program: 'CSV UTF-8')."
        ) from None
