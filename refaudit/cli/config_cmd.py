"""``config get|set|unset|path|edit``: your own config file, laid over the shipped settings."""

from __future__ import annotations

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._ask import stdin_is_terminal


@click.group("config")
def config_group() -> None:
    """Read and change your own settings file (config.yaml).

    The file is config.yaml in your user config folder (refaudit config path).
    Settings come in layers, each laid over the last key by key: the shipped
    config/default.yaml, your config file, the file REFAUDIT_CONFIG names, then
    --config. KEY is SECTION.NAME as in config/default.yaml; VALUE is one YAML
    value on one line. A relative path is read from the folder of the file that
    set it.

    \b
    Example:
      refaudit config set dates.order dmy
      refaudit config set lineup.size 3
      refaudit config get dates.order
      refaudit config unset dates.order
      refaudit config path
    """


@config_group.command("path")
def path_() -> None:
    """Print where your config file is (it may not exist yet).

    \b
    Example:
      refaudit config path
    """
    from refaudit import userconfig

    click.echo(str(userconfig.user_file()))


@config_group.command("get")
@click.argument("key")
@pass_app
def get(app: Invocation, key: str) -> None:
    """Print the value in force for KEY and the file it came from; exit 1 for an unknown key.

    \b
    Example:
      refaudit config get dates.order
      refaudit --config strict.yaml config get scoring.drop_risk
    """
    from refaudit import userconfig

    value, layer = userconfig.get(userconfig.layers(app.config_path), key)
    click.echo(f"{userconfig.flow(value)}\t# {layer.what}: {layer.path}")


@config_group.command("set")
@click.argument("key")
@click.argument("value")
def set_(key: str, value: str) -> None:
    """Set KEY to VALUE in your config file, checked as --config is; a bad value changes nothing.

    VALUE is one YAML value: dmy, 3, 0.25, true, [manager, mentor], or '' for empty.

    \b
    Example:
      refaudit config set dates.order dmy
      refaudit config set lineup.require "[manager, mentor]"
    """
    from refaudit import userconfig

    path = userconfig.set_value(key, value)
    click.echo(f"Set {key} in {path}.")


@config_group.command("unset")
@click.argument("key")
def unset(key: str) -> None:
    """Remove KEY from your config file, so the value below it (the shipped default) is in force again.

    \b
    Example:
      refaudit config unset dates.order
    """
    from refaudit import userconfig

    if userconfig.unset(key):
        click.echo(f"Removed {key} from {userconfig.user_file()}.")
    else:
        click.echo(f"{key} is not set in {userconfig.user_file()}; nothing to remove.")


@config_group.command("edit")
def edit() -> None:
    """Edit your config file in $VISUAL or $EDITOR; it is checked when you save, and kept only if valid.

    \b
    Example:
      EDITOR=nano refaudit config edit
    """
    import os

    from refaudit import editing, fileio, userconfig
    from refaudit.errors import ValidationError

    path = userconfig.user_file()
    original = path.read_text(encoding="utf-8") if path.exists() else userconfig.HEADER
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = fileio.write_temp(path, original.encode("utf-8"))
    try:
        while True:
            editing._run_editor(editing.editor_command(os.environ), draft)
            text = draft.read_text(encoding="utf-8")
            try:
                userconfig.check_text(text, path)
            except ValidationError as exc:
                if stdin_is_terminal() and click.confirm(f"{exc} Edit again?", default=True, err=True):
                    continue
                raise ValidationError(f"{exc} Your config file was not changed.") from None
            break
    finally:
        keep = draft.read_text(encoding="utf-8") if draft.exists() else original
        fileio.unlink_quietly(draft)
    if keep == original:
        click.echo(f"No change to {path}.")
        return
    userconfig.write_text(path, keep)
    click.echo(f"Saved {path}.")
