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
  ``email`` package, which encodes them, and the ``mailto:`` URL is percent-encoded.
"""

from __future__ import annotations

import re
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


def render(message: Message, override_dir: Path | None = None) -> Draft:
    """Fill the template for ``message.kind`` (from ``override_dir`` when it has one) with its data."""
    import jinja2

    env = _environment(str(override_dir) if override_dir is not None else None)
    name = template_name(message.kind)
    try:
        text = env.get_template(name).render(dict(message.data))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise RefauditError(f"the message template {where} has an error on line {exc.lineno}: {exc}.") from None
    except jinja2.TemplateError as exc:
        raise RefauditError(f"the message template {_where(env, name)} failed: {str(exc).rstrip('.')}.") from None
    return _split(text, _where(env, name), message)


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


def as_eml(draft: Draft) -> bytes:
    """An RFC 5322 draft a mail client opens (``X-Unsent: 1`` opens it ready to send in Outlook).

    Headers are UTF-8 (RFC 6532) rather than RFC 2047 encoded words, and folded only past
    RFC 5322's 998 characters: when the ``email`` package folds a header it can lose a space
    between encoded words, or the quotes a display name with a comma needs. A mail client
    re-encodes the headers when it sends the message.
    """
    from email import policy
    from email.headerregistry import Address
    from email.message import EmailMessage

    msg = EmailMessage(policy=policy.SMTPUTF8.clone(max_line_length=998))
    if draft.to_email:
        local, _, domain = draft.to_email.rpartition("@")
        msg["To"] = Address(display_name=draft.to_name or "", username=local, domain=domain)
    msg["Subject"] = draft.subject
    msg["X-Unsent"] = "1"
    msg.set_content(draft.body, charset="utf-8", cte="quoted-printable")  # 7-bit safe, any line length
    return msg.as_bytes()


def as_mailto(draft: Draft) -> str:
    """One ``mailto:`` URL (RFC 6068): the address, then the subject and body percent-encoded."""
    to = quote(draft.to_email, safe="@") if draft.to_email else ""
    body = draft.body.replace("\n", "\r\n")  # RFC 6068: line breaks in a body are CRLF
    return f"mailto:{to}?subject={quote(draft.subject, safe='')}&body={quote(body, safe='')}"
