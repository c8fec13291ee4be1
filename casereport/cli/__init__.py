"""The command line: parse arguments, call the library, print diagnostics, set exit codes.

One module per command (or family of commands); they import the pipeline lazily, so that
`casereport --help` and a usage error stay fast."""

from __future__ import annotations

import sys

import click

from casereport import __version__
from casereport.cli import build, bundle, check, info, scaffold, serve
from casereport.errors import CasereportError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casereport")
def cli() -> None:
    """Turn a clinical case written as YAML into a journal's letter, as HTML and PDF."""


cli.add_command(check.validate)
cli.add_command(check.check)
cli.add_command(build.build)
cli.add_command(bundle.bundle)
cli.add_command(info.styles)
cli.add_command(info.journals)
cli.add_command(serve.serve)
cli.add_command(scaffold.new)
cli.add_command(scaffold.schema)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI. The one error boundary: casereport's errors and click's
    print themselves and own their exit code; anything else is a bug, reported in one line
    without a traceback."""
    try:
        cli.main(args=argv, prog_name="casereport", standalone_mode=False)
    except (CasereportError, click.ClickException) as error:
        error.show()
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        sys.exit(130)
    except Exception as exc:
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("Please report this with the case file that caused it.", err=True)
        sys.exit(1)
