"""The ``tumar`` command line. It only wraps library functions and turns TumarError into exit codes."""

from __future__ import annotations

from typing import Any

import click

from tumar.errors import TumarError


class _TumarCliError(click.ClickException):
    def __init__(self, error: TumarError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"tumar: error: {self.format_message()}", err=True)


class TumarGroup(click.Group):
    """A click group whose subcommands report :class:`TumarError` as a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TumarError as exc:
            raise _TumarCliError(exc) from exc


@click.group(cls=TumarGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tumar")
def cli() -> None:
    """Tumar: recognise, document and answer technology-facilitated gender-based violence."""


def _register() -> None:
    from tumar.interfaces.cli.analyze import analyze
    from tumar.interfaces.cli.batch import batch
    from tumar.interfaces.cli.bot import bot
    from tumar.interfaces.cli.case import case
    from tumar.interfaces.cli.chat import chat
    from tumar.interfaces.cli.glossary import glossary
    from tumar.interfaces.cli.images import images
    from tumar.interfaces.cli.serve import serve
    from tumar.interfaces.cli.user import user

    cli.add_command(glossary)
    cli.add_command(analyze)
    cli.add_command(batch)
    cli.add_command(serve)
    cli.add_command(images)
    cli.add_command(chat)
    cli.add_command(case)
    cli.add_command(user)
    cli.add_command(bot)


_register()


def main() -> None:
    cli(prog_name="tumar")
