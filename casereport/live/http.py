"""The preview server's requests: the build folder's files, the page script, the event stream.

Only GET and HEAD; only files inside the build folder (no hidden ones such as `.cache/`, no
`..`, no link leading out); only requests addressed to this server on the loopback
address, by Host and, when a browser sends one, by Origin. A connection idle for
`LiveHandler.timeout` seconds is closed (the event stream sends a heartbeat well within it).
"""

from __future__ import annotations

import json
import mimetypes
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from casereport.live.state import LiveState

LIVE = "/__casereport/"
HEARTBEAT_S = 15.0
LETTER = "letter.html"
PLACEHOLDER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>casereport</title></head>
<body><p>No letter has been built yet.</p></body></html>
"""


def static_path(out_dir: Path, url_path: str) -> Path | None:
    """The file in `out_dir` that `url_path` names, or None if it names none we serve."""
    parts = unquote(url_path).split("/")[1:]
    if not parts or any(_unsafe(part) for part in parts):
        return None
    root = out_dir.resolve()
    try:
        found = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    return found if found.is_relative_to(root) and found.is_file() else None


def _unsafe(part: str) -> bool:
    return part in ("", ".", "..") or part.startswith(".") or "\\" in part or "\0" in part


def with_live_script(html: str, letter: int) -> str:
    """The letter's HTML with the live-reload script added before `</body>`."""
    tag = f'<script src="{LIVE}live.js" data-letter="{letter}"></script>\n'
    at = html.rfind("</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class LiveHandler(BaseHTTPRequestHandler):
    """One request to the preview server."""

    server_version = "casereport"
    timeout = 30.0  # seconds a connection may sit idle (a reading or writing socket call)

    def __init__(self, *args: Any, out_dir: Path, state: LiveState, **kwargs: Any) -> None:
        self.out_dir = out_dir
        self.state = state
        super().__init__(*args, **kwargs)

    def handle(self) -> None:
        """Serve the connection; a browser that goes away mid-response (a reload, a
        closed tab) or one that stays silent past `timeout` just ends it, quietly."""
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows rebuilds, not requests."""

    def _respond(self, *, send_body: bool) -> None:
        target = urlsplit(self.path)
        if not self._is_local() or target.scheme or target.netloc:
            self._send(HTTPStatus.FORBIDDEN, b"forbidden: not a local request\n", send_body)
            return
        path = target.path
        if path == LIVE + "events" and send_body:
            self._events()
        elif path == LIVE + "live.js":
            body = resources.files("casereport.live").joinpath("live.js").read_bytes()
            self._send(HTTPStatus.OK, body, send_body, "text/javascript; charset=utf-8")
        elif path == LIVE + "state":
            body = json.dumps(self.state.snapshot()[1]).encode()
            self._send(HTTPStatus.OK, body, send_body, "application/json")
        elif path in ("/", "/" + LETTER):
            self._letter(send_body)
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", send_body)
        else:
            self._static(path, send_body)

    def _is_local(self) -> bool:
        port = self.server.server_port  # type: ignore[attr-defined]
        hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{host}" for host in hosts}:
            return False
        return self.headers.get("Host", "").lower() in hosts

    def _letter(self, send_body: bool) -> None:
        letter = self.state.snapshot()[1]["letter"]
        try:
            html = (self.out_dir / LETTER).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            html = PLACEHOLDER
        body = with_live_script(html, letter).encode("utf-8")
        self._send(HTTPStatus.OK, body, send_body, "text/html; charset=utf-8")

    def _static(self, url_path: str, send_body: bool) -> None:
        found = static_path(self.out_dir, url_path)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", send_body)
            return
        try:
            body = found.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", send_body)
            return
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/json":
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, send_body, kind)

    def _send(
        self, status: HTTPStatus, body: bytes, send_body: bool, kind: str = "text/plain"
    ) -> None:
        self.send_response(status)
        self._common_headers(kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _common_headers(self, kind: str) -> None:
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _events(self) -> None:
        """Server-sent events: the current state now, then each new one as it comes."""
        self.send_response(HTTPStatus.OK)
        self._common_headers("text/event-stream; charset=utf-8")
        self.end_headers()
        seen, state = self.state.snapshot()
        try:
            self._event(state, retry=True)
            while not self.state.closed:
                news = self.state.wait(seen, HEARTBEAT_S)
                if news is None:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    continue
                seen, state = news
                self._event(state)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _event(self, state: dict[str, Any], *, retry: bool = False) -> None:
        data = json.dumps(state, ensure_ascii=False)
        prefix = "retry: 1000\n" if retry else ""
        self.wfile.write(f"{prefix}data: {data}\n\n".encode())
        self.wfile.flush()
