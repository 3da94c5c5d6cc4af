"""``draft``: the text of a message to send yourself (refaudit never sends anything)."""

from __future__ import annotations

from pathlib import Path

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._files import check_output, write_output
from refaudit.cli._output import safe
from refaudit.cli._params import lazy_choice
from refaudit.errors import UsageError


@click.command()
@click.argument("kind", type=lazy_choice("drafts", "MESSAGE_KINDS"), metavar="KIND")
@click.argument("target")
@click.option("--ref", metavar="REF", help="brief, thank, tell: the reference the message goes to.")
@click.option(
    "--emphasis",
    multiple=True,
    metavar="TEXT",
    help="brief: a point the reference should stress (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=lazy_choice("messages", "MESSAGE_FORMATS"),
    help="text, eml (a mail client's draft; needs -o) or mailto (one URL) [default: eml for -o *.eml, else text].",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file, created 0600.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@pass_app
def draft(
    app: Invocation,
    kind: str,
    target: str,
    ref: str | None,
    emphasis: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Write a message for you to send: refaudit never sends anything.

    \b
    KIND and TARGET:
      ask REF              will you be my reference; what it involves, how often
      consent REF          may I still give your name
      brief APP --ref REF  the call is coming: who, the role, what to stress
      thank APP --ref REF  thanks, and how it ended
      debrief APP          to the employer: the reason, criticism and job leads
      follow-up APP        to the employer: where does it stand
      tell APP --ref REF   to a reference: you accepted APP's offer, the search is over

    A brief passes on your --emphasis points and the last constructive criticism
    employers gave you. No message ever includes your private notes or what a
    reference reportedly said. The texts are templates/messages/KIND.txt.j2; set
    messages.dir in your config to use your own. 'refaudit next' shows the draft
    command for every action that is a message.

    \b
    Example:
      refaudit draft brief globex --ref priya --emphasis "SQL depth"
      refaudit draft ask "Tom Becker" --format mailto
      refaudit draft thank relecloud --ref bob -o thanks.eml
      refaudit draft tell relecloud --ref jane
    """
    from refaudit import drafts, messages

    fmt = fmt or ("eml" if output is not None and output.suffix.lower() == ".eml" else "text")
    if output is not None and str(output) == "-":
        output = None
    elif fmt == "eml" and output is None:
        raise UsageError("--format eml writes a file for your mail client; name it with -o, e.g. -o message.eml.")
    if output is not None:
        check_output(app.store(), output, "a draft", force=force)
    reg, settings = app.read(), app.settings()
    message = drafts.build(reg, settings, app.today(), kind, target, ref=ref, emphasis=emphasis)
    rendered = messages.render(
        message,
        messages.override_dir(settings.messages, app.config_origin("messages.dir")),
        messages.limits(settings.messages),
    )
    if fmt == "eml":
        data = messages.as_eml(rendered)
    elif fmt == "mailto":
        data = (messages.as_mailto(rendered) + "\n").encode("utf-8")
    else:
        data = messages.as_text(rendered).encode("utf-8")
    if output is None:
        click.echo(data, nl=False)
        return
    write_output(output, data, force=force)
    click.echo(safe(output))
