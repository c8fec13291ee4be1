"""`casereport serve`: the letter in the browser, rebuilt on every save."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from casereport.cli.build import RebuildPrinter, say_missing
from casereport.cli.options import (
    BIBLIOGRAPHY,
    CASE,
    JOURNAL,
    MAX_MEMORY,
    OUT,
    TEMPLATES,
    TIMEOUT,
    checked_journal,
    user_libraries,
)
from casereport.limits import Ceilings


@click.command()
@click.argument("case", type=CASE)
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--no-open", is_flag=True, help="Do not open the letter in the browser.")
@OUT
@JOURNAL
@BIBLIOGRAPHY
@TEMPLATES
@TIMEOUT
@MAX_MEMORY
def serve(
    case: Path,
    port: int,
    no_open: bool,
    out: Path | None,
    journal: str | None,
    bibliography: tuple[Path, ...],
    templates: Path | None,
    timeout: float,
    max_memory: int,
) -> None:
    """Preview CASE in the browser, rebuilt on every save and reloaded by itself."""
    import threading

    from casereport.build import BuildOptions
    from casereport.live.serve import serve as serve_case
    from casereport.live.session import Session

    checked_journal(journal, templates)
    libraries = user_libraries(bibliography)
    options = BuildOptions(templates=templates, journal=journal, libraries=libraries)
    session = Session(case, out, options=options, ceilings=Ceilings(timeout, max_memory))
    try:
        serve_case(
            session,
            port=port,
            started=lambda url: click.echo(f"serving {session.case_dir} at {url} (Ctrl-C to stop)"),
            ready=open_browser if not no_open else lambda url: None,
            report=RebuildPrinter(),
            missing=say_missing,
            stop=threading.Event(),
        )
    except KeyboardInterrupt:
        click.echo("stopped")


def open_browser(url: str) -> None:
    """Open `url` in the desktop's browser; without a desktop, say where to point one
    (a text-mode browser taking over the terminal would be worse than nothing)."""
    import os
    import webbrowser

    desktop = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    if not (desktop and webbrowser.open(url)):
        click.echo(f"open {url} in your browser")
