"""``edit``: the decrypted registry as YAML in the user's editor, validated on save (like ``visudo``).

``service.update`` holds the registry's lock from reading to saving (the passphrase is
asked before), so nothing else can change it in between. The plaintext lives only in a fresh ``0700`` folder on tmpfs
(``$XDG_RUNTIME_DIR``, else ``/dev/shm``; the system temp folder with a warning when
neither exists) and is overwritten and removed in every case: saved, unchanged,
invalid, editor failure, Ctrl-C, SIGTERM or SIGHUP.

History and the feedback counter are not shown; they are carried over, and the edit
appends a history entry that counts what changed (never names what).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

from refaudit import fileio, history, interop, sweep, yamlio
from refaudit.change import Change
from refaudit.copies import stamping
from refaudit.errors import RefauditError, ValidationError
from refaudit.model import COPIES_KEYS, Registry, feedback_number, future_fields

SHM = Path("/dev/shm")
FILE_NAME = "registry.yaml"
_HEADER = (
    "# refaudit edit: {path}\n"
    "# Save and quit to apply; quit without saving (or empty the file) to cancel.\n"
    "# History is kept by refaudit and is not shown here; this file is removed afterwards.\n"
)


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi`` (as git does), split like a shell would."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                raise RefauditError(f"${name} {value!r} cannot be split into a command: check its quotes.") from None
            if words:
                return words
    return ["vi"]


def private_base(environ: Mapping[str, str]) -> tuple[Path, str | None]:
    """Where the plaintext folder goes, and a warning when that is not tmpfs."""
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    candidates = ([Path(runtime)] if runtime else []) + [SHM]
    for base in candidates:
        with contextlib.suppress(OSError):
            info = base.stat()
            if base.is_dir() and os.access(base, os.W_OK | os.X_OK) and (base != Path(runtime) or _ours(info)):
                return base, None
    temp = Path(tempfile.gettempdir())
    return temp, (
        f"no tmpfs found ($XDG_RUNTIME_DIR, {SHM}); the plaintext is written to a private folder in "
        f"{str(temp)!r} while you edit, and removed afterwards."
    )


def _ours(info: os.stat_result) -> bool:
    return fileio.mine(info)


def edit(
    reg: Registry,
    *,
    label: str,
    today: date,
    editor: Sequence[str],
    retry: Callable[[str], bool] | None,
    warn: Callable[[str], None],
    environ: Mapping[str, str] | None = None,
) -> Change[str | None]:
    """Let the user edit ``reg``; the change holds the new registry, or nothing when nothing changed.

    Meant for ``service.update``, which holds the registry's lock while the editor is open
    (as visudo does) and saves the result. ``label`` names the registry in the file's header.
    ``retry(message)`` is asked whether to re-open the editor after an invalid save;
    ``None`` (no terminal) makes an invalid save an error. Either way nothing is
    written until the file validates.
    """
    original = _HEADER.format(path=label) + interop.to_yaml(reg)
    base, warning = private_base(os.environ if environ is None else environ)
    if warning:
        warn(warning)
    with _interruptible(), _workspace(base, original) as path:
        new = _edit_until_valid(path, original, reg, editor, retry, today)
    if new is None:
        return Change(None, None)
    summary, erased = _describe(reg, new)
    if erased:
        history.erase_mentions(new, erased)
    # Someone removed in the editor must not survive in the backup (right to erasure).
    return Change(summary, summary, registry=new, erase_backup=bool(erased))


def _edit_until_valid(
    path: Path,
    original: str,
    reg: Registry,
    editor: Sequence[str],
    retry: Callable[[str], bool] | None,
    today: date,
) -> Registry | None:
    while True:
        _run_editor(editor, path)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            text = None
        except OSError as exc:
            reason = exc.strerror or exc
            raise RefauditError(f"the edited file cannot be read ({reason}); nothing was written.") from None
        if text is not None and (text == original or not text.strip()):
            return None
        try:
            if text is None:
                raise ValidationError("the file is not UTF-8 text any more.")
            new = parse(text, reg, today)
        except ValidationError as exc:
            if retry is not None and retry(str(exc)):
                continue
            raise ValidationError(f"the edited registry is not valid: {exc} Nothing was written.") from None
        if interop.plain(new) == interop.plain(reg):
            return None
        return new


def parse(text: str, current: Registry, today: date) -> Registry:
    """The edited YAML as a registry, carrying over ``current``'s history and counter."""
    data = interop.typed_registry(yamlio.load_text(text, "the edited file"))
    if not isinstance(data, dict):
        raise ValidationError("the edited file must be a mapping starting with 'refaudit: 1'.")
    kept = [k for k in ("history", "feedback_seq", *COPIES_KEYS) if k in data]
    if kept:
        raise ValidationError(f"{' and '.join(kept)} are kept by refaudit and cannot be edited; remove them.")
    data = {**data, "feedback_seq": current.feedback_seq, "history": [h.to_plain() for h in current.history]}
    new = Registry.from_plain(data)
    for section in ("references", "applications", "feedback"):
        for i, record in enumerate(getattr(new, section)):
            future = future_fields(record, today)
            if future:
                raise ValidationError(f"{section}[{i}] ({record.id}): {future[0]} is in the future.")
    numbers = [n for f in new.feedback if (n := feedback_number(f.id)) is not None]
    new.feedback_seq = max([new.feedback_seq, *numbers])
    stamping.inherit_uids(current, new)  # a uid deleted in the editor comes back: it never changes
    return new


def _describe(old: Registry, new: Registry) -> tuple[str, list[str]]:
    """The history line (counts only) and what to erase from history for removed references."""
    parts = []
    for section, singular in (("references", "reference"), ("applications", "application"), ("feedback", "report")):
        before = {r.id: r.to_plain() for r in getattr(old, section)}
        after = {r.id: r.to_plain() for r in getattr(new, section)}
        added = len(after.keys() - before.keys())
        removed = len(before.keys() - after.keys())
        changed = sum(1 for k in before.keys() & after.keys() if before[k] != after[k])
        for count, verb in ((added, "added"), (changed, "changed"), (removed, "removed")):
            if count:
                parts.append(f"{count} {singular}{'' if count == 1 else 's'} {verb}")
    if new.owner != old.owner:
        parts.append("owner changed")
    gone_refs = [r for r in old.references if r.id not in {n.id for n in new.references}]
    gone_feedback = {f.id for f in old.feedback} - {f.id for f in new.feedback}
    erased = [s for r in gone_refs for s in (r.id, r.name)] + sorted(gone_feedback) if gone_refs else []
    return "edited the registry: " + (", ".join(parts) or "formatting only"), erased


def _run_editor(editor: Sequence[str], path: Path) -> None:
    try:
        status = subprocess.run([*editor, str(path)], check=False).returncode
    except FileNotFoundError:
        raise RefauditError(
            f"cannot start the editor {editor[0]!r}: not found. Set VISUAL or EDITOR; nothing was written."
        ) from None
    except OSError as exc:
        raise RefauditError(
            f"cannot start the editor {editor[0]!r}: {exc.strerror or exc}; nothing was written."
        ) from None
    if status != 0:
        how = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
        raise RefauditError(f"the editor {how}; nothing was written.")


@contextlib.contextmanager
def _workspace(base: Path, text: str) -> Iterator[Path]:
    """A fresh ``0700`` folder holding the plaintext (``0600``); shredded and removed on the way out."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=sweep.edit_prefix(), dir=base))  # pid: swept if killed
    except OSError as exc:
        raise RefauditError(f"cannot create a private folder in {str(base)!r}: {exc.strerror or exc}.") from None
    try:
        path = folder / FILE_NAME
        fileio.create_private(path, text.encode("utf-8"))
        yield path
    finally:
        _shred(folder)


def _shred(folder: Path) -> None:
    """Overwrite every file the editor left (swap and backup files too), then remove the folder."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            target = Path(root) / name
            with contextlib.suppress(OSError):
                if target.is_file() and not target.is_symlink():
                    size = target.stat().st_size
                    with target.open("r+b") as fh:
                        fh.write(b"\0" * size)
                        fh.flush()
                        os.fsync(fh.fileno())
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (a closed terminal) into KeyboardInterrupt, so the cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> Any:
        raise KeyboardInterrupt

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, interrupt) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
