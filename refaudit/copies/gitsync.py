"""``sync init [REMOTE]`` and ``sync``: the registry's folder is a git repository, and git the engine.

``sync init`` makes the folder a repository holding the registry, a ``.gitattributes`` that
names refaudit's merge driver for it and a ``.gitignore`` for the lock, the backup and
temporary files; registers the driver (``refaudit merge-driver %O %A %B``) in that
repository's config; and pushes to REMOTE. Where there is no registry yet, it clones REMOTE.

``sync`` commits the registry, pulls (a conflict goes through the driver, with the key from
a one-use session made for it) and pushes, all under the registry's lock. Any git failure
is exit 1 quoting git's first error line; a failed pull is aborted, so the registry is as
it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from refaudit import fileio, store, vault
from refaudit.errors import RefauditError

DRIVER = "refaudit merge-driver %O %A %B"
REMOTE = "origin"


def first_error(text: str) -> str:
    """git's first line saying what went wrong (``fatal:``, ``error:``, ``CONFLICT``), else its first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:", "CONFLICT", "! [rejected]", "! [remote rejected]")):
            return line
    return lines[0] if lines else "no message"


class Git:
    """``git -C FOLDER …`` with an identity when the user has none, never an editor."""

    def __init__(self, folder: Path, extra_env: dict[str, str] | None = None) -> None:
        self.folder = folder
        env = {**os.environ, "GIT_EDITOR": "true", "GIT_MERGE_AUTOEDIT": "no", **(extra_env or {})}
        # git runs the merge driver through the shell: the refaudit beside this Python comes first.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        self.env = env

    def run(self, *args: str, check: bool = True, what: str | None = None) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.folder), *args], capture_output=True, text=True, env=self.env, check=False
            )
        except FileNotFoundError:
            raise RefauditError("git is not installed (or not on PATH); sync needs it.") from None
        if check and done.returncode != 0:
            raise RefauditError(f"git {what or args[0]} failed: {first_error(done.stderr + chr(10) + done.stdout)}")
        return done

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def ensure_identity(self) -> None:
        if not self.run("config", "user.name", check=False).stdout.strip():
            self.env.update(GIT_AUTHOR_NAME="refaudit", GIT_COMMITTER_NAME="refaudit")
        if not self.run("config", "user.email", check=False).stdout.strip():
            self.env.update(GIT_AUTHOR_EMAIL="refaudit@localhost", GIT_COMMITTER_EMAIL="refaudit@localhost")


@dataclass(frozen=True)
class Synced:
    pulled: bool  # the remote had changes
    pushed: bool
    passphrase_changed: bool  # the key slots came from another machine


def _files(st: store.Store) -> tuple[str, str]:
    """``.gitattributes`` and ``.gitignore`` lines; a character patterns treat specially matches as ``?``."""
    name = re.sub(r"[\s\"#!\\\[\]*?]", "?", st.path.name)
    attributes = f"/{name} -text -diff merge=refaudit\n"
    ignore = "".join(f"{line}\n" for line in (f"/{name}.lock", f"/{name}.bak", ".*.refaudit-*.tmp", "*.orig"))
    return attributes, ignore


def _write_lines(path: Path, text: str) -> None:
    """Add the lines of ``text`` that ``path`` lacks."""
    have = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    missing = [line for line in text.splitlines() if line not in have]
    if missing:
        with path.open("a", encoding="utf-8") as fh:
            fh.write("".join(f"{line}\n" for line in missing))


def _configure(git: Git) -> None:
    git.run("config", "merge.refaudit.name", "refaudit registry merge")
    git.run("config", "merge.refaudit.driver", DRIVER)


def _remote_branch(git: Git) -> str | None:
    """The branch REMOTE's HEAD points at (None: an empty remote)."""
    text = git.run("ls-remote", "--symref", REMOTE, "HEAD", what="ls-remote").stdout
    for line in text.splitlines():
        if line.startswith("ref: ") and line.endswith("\tHEAD"):
            return line[5:].split("\t")[0].removeprefix("refs/heads/")
    heads = git.run("ls-remote", "--heads", REMOTE, what="ls-remote").stdout.split()
    return heads[1].removeprefix("refs/heads/") if len(heads) > 1 else None


def check_remote(remote: str) -> str:
    """A remote git can be given safely: not empty, not an option (``--upload-pack=…``), one line."""
    if not remote.strip() or remote.startswith("-") or any(c in remote for c in "\n\r\0"):
        raise RefauditError(
            f"REMOTE {remote!r} is not a git remote; give a path, an ssh address or a URL "
            "(e.g. /media/usb/refaudit.git or ssh://me@host/~/refaudit.git)."
        )
    return remote


def init(st: store.Store, remote: str | None, *, discard_backup: bool) -> str:
    """Set the registry's folder up for sync; returns what was done, as a sentence."""
    if remote is not None:
        check_remote(remote)
    folder = st.path.parent
    if remote and st.backup_path.exists():
        if not discard_backup:
            raise RefauditError(
                f"a backup {str(st.backup_path)!r} is beside the registry; check it with 'refaudit verify', "
                "then pass --discard-backup to remove it and set up sync."
            )
        fileio.unlink_quietly(st.backup_path)
    if not st.exists():
        if not remote:
            raise RefauditError(
                f"no registry at {str(st.path)!r}: give REMOTE to fetch it from there, "
                "or create one with 'refaudit init'."
            )
        return _clone(st, remote)
    folder.mkdir(parents=True, exist_ok=True)
    git = Git(folder)
    if not (folder / ".git").exists():
        git.run("init", "-q")
    git.ensure_identity()
    attributes, ignore = _files(st)
    _write_lines(folder / ".gitattributes", attributes)
    _write_lines(folder / ".gitignore", ignore)
    _configure(git)
    git.run("add", "--", st.path.name, ".gitattributes", ".gitignore")
    if not git.ok("diff", "--cached", "--quiet"):
        git.run("commit", "-q", "-m", "refaudit: the registry")
    if not remote:
        return f"{folder} is a git repository now; add a remote with 'refaudit sync init REMOTE'."
    if git.ok("remote", "get-url", REMOTE):
        git.run("remote", "set-url", REMOTE, remote)
    else:
        git.run("remote", "add", REMOTE, remote)
    branch = _remote_branch(git)
    if branch is not None:
        git.run("fetch", "-q", REMOTE, branch, what="fetch")
        if not git.ok("merge-base", "--is-ancestor", "FETCH_HEAD", "HEAD"):
            if git.ok("merge-base", "--is-ancestor", "HEAD", "FETCH_HEAD"):
                git.run("merge", "-q", "--ff-only", "FETCH_HEAD", what="merge")
            else:
                raise RefauditError(
                    f"{remote} already holds a registry whose history differs from this one; nothing was pushed. "
                    "Clone it elsewhere ('refaudit --registry OTHER sync init REMOTE'), then 'refaudit merge OTHER'."
                )
    git.run("push", "-q", "-u", REMOTE, "HEAD", what="push")
    return f"{folder} is a git repository now, pushed to {remote}."


def _clone(st: store.Store, remote: str) -> str:
    folder = st.path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    git = Git(folder)
    if not (folder / ".git").exists():
        git.run("init", "-q")
    git.ensure_identity()
    if git.ok("remote", "get-url", REMOTE):
        git.run("remote", "set-url", REMOTE, remote)
    else:
        git.run("remote", "add", REMOTE, remote)
    branch = _remote_branch(git)
    if branch is None:
        raise RefauditError(f"{remote} is empty: there is no registry to fetch; run 'refaudit init' first.")
    git.run("fetch", "-q", REMOTE, branch, what="fetch")
    git.run("checkout", "-q", "-B", branch, "--track", f"{REMOTE}/{branch}", what="checkout")
    _configure(git)
    if not st.exists():
        raise RefauditError(f"{remote} holds no file named {st.path.name!r}; nothing to sync here.")
    _private(st.path)
    return f"fetched the registry from {remote} into {folder}."


def sync(st: store.Store, keyring: vault.Keyring, now: datetime, *, host: str = "") -> Synced:
    """Commit, pull (conflicts through the driver), push, under the registry's lock."""
    from refaudit import session

    folder = st.path.parent
    configured = Git(folder).run("config", "merge.refaudit.driver", check=False).stdout.strip()
    if not (folder / ".git").exists() or configured != DRIVER:
        raise RefauditError(f"{str(folder)!r} is not set up for sync: run 'refaudit sync init REMOTE' first.")
    with st.locked():
        before = _slots(st.read(), keyring)
        token = session.create(st.path, keyring.file_id, keyring.data_key, 600, now, slots=vault.slots_digest(keyring))
        try:
            git = Git(folder, {"REFAUDIT_SESSION": token, "REFAUDIT_REGISTRY": str(st.path)})
            pulled = _commit_and_pull(st, git, host)
            blob = st.read()
            after = _slots(blob, keyring)  # the merged file opens with the key in hand
            if pulled and st.backup_path.exists():
                # What the pull brought may be an erasure: the backup must not keep the person.
                fileio.replace_private(st.backup_path, blob)
            git.run("push", "-q", "-u", REMOTE, "HEAD", what="push")
        finally:
            session.end(token, st.path)
    return Synced(pulled=pulled, pushed=True, passphrase_changed=after != before)


def _commit_and_pull(st: store.Store, git: Git, host: str) -> bool:
    if not git.ok("remote", "get-url", REMOTE):
        raise RefauditError("this registry's repository has no remote yet: run 'refaudit sync init REMOTE'.")
    git.ensure_identity()
    git.run("add", "--", st.path.name)
    if not git.ok("diff", "--cached", "--quiet"):
        git.run("commit", "-q", "-m", f"refaudit sync{' from ' + host if host else ''}", what="commit")
    branch = git.out("rev-parse", "--abbrev-ref", "HEAD")
    if not git.run("ls-remote", "--heads", REMOTE, branch, what="ls-remote").stdout.strip():
        return False
    head = git.out("rev-parse", "HEAD")
    done = git.run("pull", "-q", "--no-rebase", "--no-edit", REMOTE, branch, check=False)
    if done.returncode != 0:
        git.run("merge", "--abort", check=False)
        raise RefauditError(
            f"git pull failed: {first_error(done.stderr + chr(10) + done.stdout)}; the registry is as it was."
        )
    _private(st.path)
    return git.out("rev-parse", "HEAD") != head


def _private(path: Path) -> None:
    """git writes files with the umask's mode; the registry stays ``0600`` as refaudit writes it."""
    with contextlib.suppress(OSError):
        path.chmod(0o600)


def _slots(blob: bytes, keyring: vault.Keyring) -> tuple[object, ...]:
    """The key slots and KDF parameters of ``blob``, opened with the data key in hand."""
    current = vault.unlock_key(blob, keyring.file_id, keyring.data_key)
    vault.open_body(blob, current)
    return (current.kdf, current.salt, current.slots)
