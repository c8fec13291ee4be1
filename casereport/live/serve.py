"""`casereport serve`: the letter in the browser, rebuilt on every save, reloaded by itself.

A standard-library HTTP server on 127.0.0.1 serves the case's build folder and nothing else,
plus a small live-reload channel (server-sent events) under `/__casereport/`. The page
served for the letter gets one script tag added on the way out (the file on disk is the
letter as built, without it): the script reloads the page when a new letter is built and
shows the errors of a failed build over the last good letter. Requests whose Host or
Origin is not this server on the loopback address are refused (no DNS rebinding, no
other site reading the letter).
"""

from __future__ import annotations

import errno
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from casereport.errors import BuildError, CasereportError
from casereport.export.writers import renders_pdf
from casereport.live.http import LiveHandler
from casereport.live.state import LiveState
from casereport.live.watch import Rebuild, Stop, live_loop

ADDRESS = "127.0.0.1"
HTML_PHASE = ("html",)
PDF_PHASE = ("html", "pdf")


class PortInUse(CasereportError):
    """The port is taken by another program."""

    def __init__(self, port: int) -> None:
        super().__init__(
            f"port {port} on {ADDRESS} is already in use; "
            f"choose another with --port (e.g. --port {port + 1}, or --port 0 for any free port)"
        )


def publish(state: LiveState, rebuild: Rebuild) -> None:
    """Turn one rebuild into what the pages show."""
    if not rebuild.ok:
        errors = list(rebuild.diagnostics())
        state.update(ok=False, building=False, summary=_failure_summary(rebuild), errors=errors)
        return
    result = rebuild.result
    assert result is not None
    if renders_pdf(rebuild.formats):
        built = time.strftime("%H:%M:%S", time.localtime(rebuild.finished))
        version, current = state.snapshot()
        pdf = {
            "href": f"letter.pdf?v={version}",
            "built": built,
            "seconds": rebuild.seconds,
            "pages": result.pages,
        }
        state.update(ok=True, building=False, pdf=pdf, errors=[], summary="")
        return
    _, current = state.snapshot()
    warnings = list(rebuild.diagnostics())
    state.update(letter=current["letter"] + 1, ok=True, building=True, errors=[], warnings=warnings)


def _failure_summary(rebuild: Rebuild) -> str:
    return "the PDF failed" if renders_pdf(rebuild.formats) else rebuild.summary()


@dataclass
class Server:
    """A running preview server: its address, and how to stop it."""

    httpd: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{ADDRESS}:{self.httpd.server_port}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    """The HTTP server, quiet about clients that went away, and not waiting for open
    connections when it stops (each has its own daemon thread and a timeout)."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def start_server(out_dir: Path, state: LiveState, port: int) -> Server:
    """Listen on 127.0.0.1:`port` (0: any free port) and serve in a background thread."""
    handler = partial(LiveHandler, out_dir=out_dir, state=state)
    try:
        httpd = _Server((ADDRESS, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(port) from None
        raise BuildError(f"cannot listen on {ADDRESS}:{port}: {exc.strerror}") from None
    thread = threading.Thread(target=httpd.serve_forever, name="casereport-http", daemon=True)
    thread.start()
    return Server(httpd, thread)


def serve(
    session: Any,
    *,
    port: int,
    started: Callable[[str], None],
    ready: Callable[[str], None],
    report: Callable[[Rebuild], None],
    missing: Callable[[str], None],
    stop: Stop,
) -> None:
    """Serve `session`'s letter until `stop` is set (or Ctrl-C): build, then rebuild on
    every change, the HTML first (the page reloads at once), then the PDF too.

    `started(url)` is called once the server listens, `ready(url)` once the first HTML
    build is done (to open the browser); WeasyPrint is warmed up right after.
    """
    state = LiveState()
    server = start_server(session.out_dir, state, port)
    started(server.url)
    first = True

    def on_rebuild(rebuild: Rebuild) -> None:
        nonlocal first
        publish(state, rebuild)
        report(rebuild)
        if first:
            first = False
            ready(server.url)
            session.warm_up()

    def on_missing(message: str) -> None:
        state.update(ok=False, building=False, summary="the case is gone", errors=[message])
        missing(message)

    try:
        live_loop(session, (HTML_PHASE, PDF_PHASE), on_rebuild, on_missing, stop)
    finally:
        state.close()
        server.stop()
