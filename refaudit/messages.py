"""Render a ``drafts.Message`` with its plain-text Jinja template, as text, ``.eml`` or ``mailto:``.

The only module that imports Jinja for messages, inside the function that renders (as
``report/render.py`` does for the report), so that ``refaudit --help`` stays fast.

A template is ``templates/messages/<kind>.txt.j2``; a folder named by the setting
``messages.dir`` may hold any of them to use instead (the rest come from the shipped
folder). Its first line is ``Subject: …``; the body follows, after an optional blank
line. What keeps hostile text harmless:

- the templates are files; no template is ever built from user text, so a name such as
  ``{{ 7*7 }}`` is data and prints literally;
- a ``SandboxedEnvironment`` renders them (a template from the user's folder cannot reach
  Python's internals), with ``StrictUndefined`` so that a misspelt variable is an error;
- autoescape is off (this is plain text, not HTML); the ``.eml`` headers are built by the
  ``email`` package, which encodes them, and the ``mailto:`` URL is percent-encoded;
- a template from ``messages.dir`` runs in a child process (``python -m refaudit.messages``)
  that is killed after ``messages.time_limit`` seconds (5) and may write at most
  ``messages.max_output`` bytes (1 MiB), so nested loops cannot run for hours or fill memory;
- an error in a template, at compile time or at run time (``{{ 1/0 }}``), is one line naming
  the template and the line, never a traceback.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from refaudit import assets
from refaudit.drafts import MESSAGE_KINDS, Message
from refaudit.errors import RefauditError, ValidationError

if TYPE_CHECKING:
    from refaudit.settings import Messages

MESSAGE_FORMATS = ("text", "eml", "mailto")
_SUBJECT_RE = re.compile(r"^subject:[ \t]*(.*?)\s*$", re.IGNORECASE)
DEFAULT_TIME_LIMIT = 5.0  # seconds; messages.time_limit
DEFAULT_MAX_OUTPUT = 1024 * 1024  # bytes; messages.max_output
_CHILD_MEMORY = 1024 * 1024 * 1024  # address space of the child that runs a user template


@dataclass(frozen=True)
class Limits:
    """How long a user template may run and how much it may write."""

    time_limit: float = DEFAULT_TIME_LIMIT
    max_output: int = DEFAULT_MAX_OUTPUT


@dataclass(frozen=True)
class Draft:
    """A rendered message: who it goes to (when known), its subject and its body."""

    to_name: str | None
    to_email: str | None
    subject: str
    body: str


def shipped_dir() -> Path:
    """The message templates that come with refaudit."""
    return (assets.templates_dir() / "messages").resolve()


def template_name(kind: str) -> str:
    return f"{kind}.txt.j2"


def override_dir(section: Messages, config_path: str | Path | None) -> Path | None:
    """The folder ``messages.dir`` names (relative to the config file that set it), or None."""
    raw = section.dir
    if raw is None:
        return None
    path = Path(raw).expanduser()
    if not path.is_absolute() and config_path:
        path = Path(config_path).expanduser().parent / path
    if not path.is_dir():
        raise ValidationError(
            f"config: messages.dir {raw!r} is not a folder; name a folder of message templates "
            f"({', '.join(template_name(k) for k in MESSAGE_KINDS[:2])}, …) or leave it empty for the shipped ones."
        )
    return path


def limits(section: Messages) -> Limits:
    """``messages.time_limit`` and ``messages.max_output`` (checked when the settings were read)."""
    return Limits(section.time_limit, section.max_output)


def render(message: Message, override_dir: Path | None = None, limit: Limits | None = None) -> Draft:
    """Fill the template for ``message.kind`` (from ``override_dir`` when it has one) with its data.

    With ``override_dir`` the template runs in a child process under ``limit``.
    """
    limit = limit or Limits()
    override = str(override_dir) if override_dir is not None else None
    env = _environment(override)
    name = template_name(message.kind)
    where = _where(env, name)
    if override is None:
        text = _fill(message.kind, dict(message.data), override, limit.max_output)
    else:
        text = _fill_in_child(message.kind, dict(message.data), override, limit, where)
    return _split(text, where, message)


def _fill(kind: str, data: dict[str, Any], override: str | None, max_output: int) -> str:
    """The template's text, streamed and cut off past ``max_output`` bytes; errors are one clean line."""
    import jinja2

    env = _environment(override)
    name = template_name(kind)
    try:
        template = env.get_template(name)
        chunks, size = [], 0
        for chunk in template.generate(data):
            size += len(chunk.encode("utf-8", "surrogatepass"))
            if size > max_output:
                raise RefauditError(
                    f"the message template {_where(env, name)} wrote more than {max_output:,} bytes "
                    "(messages.max_output); nothing was written."
                )
            chunks.append(chunk)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise RefauditError(f"the message template {where} has an error on line {exc.lineno}: {exc}.") from None
    except RefauditError:
        raise
    except Exception as exc:  # a runtime error inside the template ({{ 1/0 }}), the sandbox, a missing variable
        where = _where(env, name)
        line = _template_line(exc, where)
        detail = str(exc).rstrip(".") if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        on = f" on line {line}" if line else ""
        raise RefauditError(f"the message template {where} failed{on}: {detail}.") from None
    return "".join(chunks)


def _template_line(exc: BaseException, where: str) -> int | None:
    """The template's line the error happened on (Jinja points traceback frames at the template)."""
    import traceback

    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == where:
            line = lineno
    return line


def _fill_in_child(kind: str, data: dict[str, Any], override: str, limit: Limits, where: str) -> str:
    """``_fill`` in a child process, killed past ``limit.time_limit`` seconds."""
    import pickle
    import subprocess

    # -P: `-m` would otherwise put the current folder first on sys.path (a planted refaudit.py would run).
    child = subprocess.Popen(
        [sys.executable, "-P", "-m", "refaudit.messages"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    request = pickle.dumps((kind, data, override, limit.max_output))
    try:
        out, _ = child.communicate(request, timeout=limit.time_limit)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise RefauditError(
            f"the message template {where} ran longer than {limit.time_limit:g} s (messages.time_limit) "
            "and was stopped; nothing was written."
        ) from None
    status, _, body = out.partition(b"\n")
    if status == b"ok":
        return body.decode("utf-8", "surrogatepass")
    if status == b"error":
        raise RefauditError(body.decode("utf-8", "replace"))
    raise RefauditError(
        f"the message template {where} could not be run (it used more than "
        f"{_CHILD_MEMORY // 2**20:,} MiB of memory, or its process ended with code {child.returncode})."
    )


def _child() -> None:
    """``python -m refaudit.messages``: fill one template read from stdin, under a memory limit."""
    import pickle

    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (_CHILD_MEMORY, _CHILD_MEMORY))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit still holds
    kind, data, override, max_output = pickle.loads(sys.stdin.buffer.read())  # from the parent, over its own pipe
    try:
        text = _fill(kind, data, override, max_output)
    except RefauditError as exc:
        sys.stdout.buffer.write(b"error\n" + str(exc).encode("utf-8", "replace"))
    except MemoryError:
        sys.exit(3)
    else:
        sys.stdout.buffer.write(b"ok\n" + text.encode("utf-8", "surrogatepass"))
    sys.stdout.flush()


@cache
def _environment(override: str | None) -> Any:
    """One sandbox per templates folder, so that each template is compiled once per process."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([*([override] if override else []), str(shipped_dir())]),
        autoescape=False,  # plain text; user text is data and never becomes a template
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _where(env: Any, name: str) -> str:
    try:
        source = env.loader.get_source(env, name)
    except Exception:  # the template is missing or unreadable: say its name only
        return name
    return str(source[1])


def _split(text: str, where: str, message: Message) -> Draft:
    first, _, rest = text.lstrip("\n").partition("\n")
    match = _SUBJECT_RE.match(first)
    if match is None or not match.group(1):
        raise RefauditError(f"the message template {where} must start with a line 'Subject: …' and a subject.")
    body = "\n".join(line.rstrip() for line in rest.lstrip("\n").rstrip().splitlines()) + "\n"
    return Draft(message.to_name, message.to_email, match.group(1), body)


# --- formats -------------------------------------------------------------------------


def as_text(draft: Draft) -> str:
    """What ``draft`` prints: ``To:`` when the address is known, ``Subject:``, a blank line, the body."""
    head = f"Subject: {draft.subject}\n\n"
    if draft.to_email:
        to = f"{draft.to_name} <{draft.to_email}>" if draft.to_name else draft.to_email
        head = f"To: {to}\n{head}"
    return head + draft.body


EML_LINE = 76  # RFC 2045's limit for encoded lines; RFC 2047's encoded words stay within it


def as_eml(draft: Draft) -> bytes:
    """An RFC 5322 draft a mail client opens (``X-Unsent: 1`` opens it ready to send in Outlook).

    Written by the standard library's ``email`` with ``policy.default`` at 76 characters a
    line: non-ASCII headers as RFC 2047 encoded words ("Elena García" reads back as itself in
    any parser, 8-bit clean or not), the body quoted-printable, every line at most 76
    characters (RFC 2045). The headers are encoded and folded by ``_header``, not refolded
    by the policy: Python's refolding of encoded words adds or drops spaces at the folds.
    """
    from email import policy
    from email.message import EmailMessage

    # CRLF, as RFC 5322 writes a message and as the drafts were before (policy.SMTP is default with CRLF).
    msg = EmailMessage(policy=policy.default.clone(max_line_length=EML_LINE, linesep="\r\n"))
    if draft.to_email:
        msg.set_raw("To", _address("To", draft.to_name or "", draft.to_email))
    msg.set_raw("Subject", _header("Subject", draft.subject))
    msg["X-Unsent"] = "1"
    msg.set_content(draft.body, charset="utf-8", cte="quoted-printable")  # 7-bit safe, any line length
    return msg.as_bytes()


def _fits(name: str, value: str) -> bool:
    return all(len(line) <= EML_LINE for line in f"{name}: {value}".split("\n"))


def _header(name: str, value: str) -> str:
    """``value`` folded at spaces when it is ASCII and fits, else as RFC 2047 encoded words.

    ASCII that looks like an encoded word (``=?``) is encoded too, so that a reader shows it as typed.
    """
    from email.header import Header

    if value.isascii() and "=?" not in value:
        plain = Header(value, "us-ascii", header_name=name).encode(maxlinelen=EML_LINE)
        if _fits(name, plain):
            return plain
    return Header(value, "utf-8", header_name=name).encode(maxlinelen=EML_LINE)


def _address(name: str, display: str, address: str) -> str:
    """``Display Name <local@domain>``: the name quoted when it is ASCII and fits, else encoded words.

    A name too long for one encoded word is split into several, its spaces inside them: RFC 2047
    has a reader ignore the space between two encoded words (Python's address parser keeps one;
    its ``decode_header`` follows the RFC, as mail clients do).
    """
    from email.header import Header
    from email.utils import formataddr

    if display.isascii() and "=?" not in display:
        plain = formataddr((display, address))
        if "  " in display and not plain.startswith('"'):  # a run of spaces survives only in quotes
            plain = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + f'" <{address}>'
        if _fits(name, plain):
            return plain
    if not display:
        return f"<{address}>"
    words = Header(display, "utf-8", header_name=name).encode(maxlinelen=EML_LINE)
    last = f"{name}: {words}".split("\n")[-1]
    return f"{words} <{address}>" if len(last) + len(address) + 3 <= EML_LINE else f"{words}\n <{address}>"


def as_mailto(draft: Draft) -> str:
    """One ``mailto:`` URL (RFC 6068): the address, then the subject and body percent-encoded."""
    to = quote(draft.to_email, safe="@") if draft.to_email else ""
    body = draft.body.replace("\n", "\r\n")  # RFC 6068: line breaks in a body are CRLF
    return f"mailto:{to}?subject={quote(draft.subject, safe='')}&body={quote(body, safe='')}"


if __name__ == "__main__":
    _child()
