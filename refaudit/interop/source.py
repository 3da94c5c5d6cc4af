"""Reading an import source: a regular file or standard input, capped, decoded.

UTF-8 first (with or without a BOM); a UTF-16 or UTF-32 BOM says what it is; anything
else is detected with charset-normalizer (Excel and Outlook on Windows write
Windows-1252). ``--encoding`` names it instead. The encoding read goes into ``Text``
so that the summary can name it.
"""

from __future__ import annotations

import codecs
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from refaudit.errors import RefauditError, UsageError, ValidationError
from refaudit.printable import safe

MAX_IMPORT_SIZE = 20 * 1024 * 1024  # far above any real export; refuses a mistaken path quickly
STDIN_NAME = "standard input"


@dataclass(frozen=True)
class Text:
    """A decoded source: ``name`` is what messages call it (the file's name, or standard input)."""

    name: str
    text: str
    suffix: str = ""
    encoding: str = "UTF-8"  # as people call it: UTF-8, UTF-16, Windows-1252
    not_utf8: str | None = None  # detected as another encoding: where UTF-8 failed ("byte 31 is 0xe9")


def read_path(path: Path, encoding: str | None = None) -> Text:
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
    return decode(raw, name, encoding, path.suffix.lower())


def read_stream(stream: BinaryIO, encoding: str | None = None) -> Text:
    return decode(stream.read(MAX_IMPORT_SIZE + 1), STDIN_NAME, encoding)


# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Python's codec names as people know them.
_SHOWN = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "ascii": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
# Single-byte codecs a short Western text fits equally well; Excel and Outlook write the first.
_WINDOWS_DEFAULT = "cp1252"


def check_encoding(encoding: str) -> str:
    """``--encoding``: a codec Python knows, as its canonical name (``latin-1`` -> ``iso8859-1``)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UsageError(
            f"--encoding {encoding!r} is not an encoding refaudit knows; e.g. utf-8, utf-16, cp1252, latin-1."
        ) from None


def shown(codec: str) -> str:
    """``cp1252`` -> ``Windows-1252``, ``utf_16`` -> ``UTF-16``: the encoding as a person names it."""
    name = codecs.lookup(codec).name
    if name in _SHOWN:
        return _SHOWN[name]
    if name.startswith("cp125"):
        return "Windows-" + name[2:]
    return name.upper() if name.startswith(("utf", "iso")) else name


def decode(raw: bytes, name: str, encoding: str | None = None, suffix: str = "") -> Text:
    """``raw`` as text, with the encoding it was read in (as ``shown`` names it)."""
    if len(raw) > MAX_IMPORT_SIZE:
        raise ValidationError(
            f"{name!r} is larger than {MAX_IMPORT_SIZE // (1024 * 1024)} MB; "
            "that is not an export refaudit reads (nothing was imported)."
        )
    if encoding is not None:
        codec = check_encoding(encoding)
        return Text(name, _decode_as(raw, name, "utf-8-sig" if codec == "utf-8" else codec), suffix, shown(codec))
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return Text(name, _decode_as(raw, name, codec), suffix, shown(codec))
    try:
        return Text(name, raw.decode("utf-8"), suffix)
    except UnicodeDecodeError as exc:
        failed = f"byte {exc.start:,} is 0x{raw[exc.start]:02x}"
    detected = _detect(raw)
    if detected is None:
        raise ValidationError(
            f"{name!r} is not text in any encoding refaudit recognises; if it is a contacts or spreadsheet export, "
            "save it as UTF-8 (in a spreadsheet program: 'CSV UTF-8') or name its encoding with --encoding."
        )
    return Text(name, _decode_as(raw, name, detected), suffix, shown(detected), failed)


def _detect(raw: bytes) -> str | None:
    """The encoding of bytes that are not UTF-8: Windows-1252 when they read as Western text, else
    charset-normalizer's choice.

    Excel and Outlook on a Western Windows write Windows-1252; on a short export the detector alone
    often prefers a rarer code page that decodes the same bytes almost as cleanly (``Müller`` as
    Baltic or Arabic). Bytes whose Windows-1252 reading puts a symbol inside a word (Polish
    ``Zak³ad``) or that the detector rejects as Windows-1252 (Cyrillic, Greek) go to the detector,
    without Windows-1252 among its choices.
    """
    from charset_normalizer import from_bytes  # only an import that is not UTF-8 pays for it

    # UTF-16 and UTF-32 are taken from their BOM only (Excel and Outlook write one): without it
    # the detector reads a few Latin bytes as CJK ideographs.
    matches = [m for m in from_bytes(raw) if not str(m.encoding).startswith(("utf_16", "utf_32"))]
    western = [m for m in matches if _WINDOWS_DEFAULT in m.could_be_from_charset]
    if western and western[0].chaos <= _CHAOS_ALLOWED and _reads_as_western(raw):
        return _WINDOWS_DEFAULT
    others = [m for m in matches if m not in western] or matches
    return str(others[0].encoding) if others else None


_CHAOS_ALLOWED = 0.1  # charset-normalizer's "mess" ratio: 0 is clean text, 1 noise
_IN_WORD = "'’-·"  # what may stand between two letters of a Western name


def _reads_as_western(raw: bytes) -> bool:
    """Every non-ASCII letter of the Windows-1252 reading is Latin, and no other sign sits inside a word."""
    try:
        text = raw.decode(_WINDOWS_DEFAULT)
    except UnicodeDecodeError:
        return False
    for i, c in enumerate(text):
        if c.isascii():
            continue
        if c.isalpha():
            if "LATIN" not in unicodedata.name(c, ""):
                return False
        elif c not in _IN_WORD and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            return False
    return True


def _decode_as(raw: bytes, name: str, codec: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        what = shown(codec)
        hint = " (in a spreadsheet program: 'CSV UTF-8')" if what == "UTF-8" else ""
        raise ValidationError(
            f"{name!r} is not {what} text (byte {exc.start:,} is 0x{raw[exc.start]:02x}); "
            f"save it as UTF-8{hint} or name its encoding with --encoding."
        ) from None
