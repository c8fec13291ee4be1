"""`casereport serve`: what it serves, what it refuses, and that bad input never stops it."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casereport.live.http import static_path, with_live_script
from tests.conftest import SMALL_CASE, _image
from tests.live.serving import TIMEOUT, Served


def _serve(case: Path, out: Path) -> Iterator[tuple[Served, Path]]:
    server = Served(case.parent, out)
    server.ready()
    yield server, case
    stdout, stderr = server.stop()
    assert server.process.returncode == 0, stderr
    assert stdout.splitlines()[-1] == "stopped", stdout + stderr


@pytest.fixture
def served(make_case: Callable[..., Path], tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    """A server of its own, for a test that edits the case."""
    yield from _serve(make_case(), tmp_path / "out")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    """One server for the tests that only read."""
    folder = tmp_path_factory.mktemp("shared") / "case"
    folder.mkdir()
    _image(folder / "a.jpg", "red")
    _image(folder / "b.jpg", "blue")
    (folder / "case.yaml").write_text(SMALL_CASE, encoding="utf-8")
    yield from _serve(folder / "case.yaml", folder.parent / "out")


def test_static_path(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "figure-1.jpg").write_bytes(b"x")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "k.json").write_text("{}")
    (tmp_path / "escape.txt").symlink_to("/etc/hostname")
    assert static_path(tmp_path, "/figures/figure-1.jpg") == tmp_path / "figures" / "figure-1.jpg"
    for bad in (
        "/../x",
        "/figures/../../x",
        "/%2e%2e/x",
        "/figures/%2e%2e%2f%2e%2e%2fx",
        "/.cache/k.json",
        "/figures",
        "/",
        "//etc/passwd",
        "/escape.txt",
        "/figures\\..\\x",
        "/a%00b",
    ):
        assert static_path(tmp_path, bad) is None, bad


def test_with_live_script() -> None:
    page = with_live_script("<html><body><p>x</p></body></html>", 7)
    assert page.endswith(
        '<script src="/__casereport/live.js" data-letter="7"></script>\n</body></html>'
    )


def test_serves_the_letter_and_its_files(shared: tuple[Served, Path]) -> None:
    server, _ = shared
    status, headers, body = server.request("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"First claim" in body and b'src="/__casereport/live.js"' in body
    assert server.request("/letter.html")[2] == body
    assert headers["Cache-Control"] == "no-store"
    status, headers, body = server.request("/letter.pdf?v=1")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    status, headers, _ = server.request("/figures/figure-1.jpg")
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert server.request("/letter.css")[0] == 200
    status, headers, body = server.request("/__casereport/live.js")
    assert status == 200 and b"EventSource" in body
    assert server.request("/favicon.ico")[0] == 204
    status, _, body = server.request("/letter.pdf", method="HEAD")
    assert status == 200 and body == b""
    assert server.request("/", method="POST")[0] == 501


@pytest.mark.parametrize(
    "path",
    [
        "/../case/case.yaml",
        "/%2e%2e/case/case.yaml",
        "/figures/../../case/case.yaml",
        "/figures/%2e%2e/%2e%2e/case/case.yaml",
        "/.cache/",
        "/build.json/../../case/case.yaml",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
    ],
)
def test_refuses_paths_outside_the_build_folder(shared: tuple[Served, Path], path: str) -> None:
    server, _ = shared
    status, _, body = server.request(path)
    assert status == 404
    assert b"First claim" not in body and b"root:" not in body


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"Host": "evil.example:80"},
        {"Host": ""},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
    ],
)
def test_refuses_requests_that_are_not_local(
    shared: tuple[Served, Path], headers: dict[str, str]
) -> None:
    server, _ = shared
    status, _, body = server.request("/", headers=headers)
    assert status == 403 and b"First claim" not in body
    assert server.request("/__casereport/events", headers=headers)[0] == 403


def test_accepts_its_own_names(shared: tuple[Served, Path]) -> None:
    server, _ = shared
    local = f"localhost:{server.port}"
    assert server.request("/", headers={"Host": local})[0] == 200
    assert server.request("/", headers={"Origin": f"http://{local}"})[0] == 200
    assert server.request(f"http://evil.example:{server.port}/")[0] == 403


def test_events_stream_the_state(served: tuple[Served, Path]) -> None:
    server, case = served
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    connection.request("GET", "/__casereport/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next_event() -> dict[str, object]:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                event: dict[str, object] = json.loads(line[6:])
                return event

    first = next_event()
    assert first["letter"] == 1 and first["ok"] is True
    case.write_text(SMALL_CASE.replace("First claim", "Initial claim"), encoding="utf-8")
    assert next_event()["letter"] == 2
    connection.close()


def test_bad_input_never_stops_the_server(served: tuple[Served, Path], tmp_path: Path) -> None:
    server, case = served
    case.write_text("title: [unclosed\n", encoding="utf-8")
    state = server.wait_for(lambda s: not s["ok"])
    assert state["errors"][0].startswith(f"{case}:2:1: error: YAML syntax error")
    assert state["summary"] == "1 error"
    assert b"First claim" in server.request("/")[2]  # the last good letter stays
    case.write_text(SMALL_CASE, encoding="utf-8")
    server.wait_for(lambda s: s["ok"] and s["letter"] == 2 and not s["building"])
    image = (case.parent / "b.jpg").read_bytes()
    (case.parent / "b.jpg").unlink()
    state = server.wait_for(lambda s: not s["ok"])
    assert (
        "figures[0].panels[1].image: figure 'f', panel B: file 'b.jpg' not found"
        in state["errors"][0]
    )
    (case.parent / "b.jpg").write_bytes(image)
    server.wait_for(lambda s: s["ok"] and s["letter"] == 3 and not s["building"])
    case.write_text(SMALL_CASE + "bibliography: missing.json\n", encoding="utf-8")
    state = server.wait_for(lambda s: not s["ok"])
    assert "bibliography: file 'missing.json' not found" in state["errors"][0]
    case.write_text(SMALL_CASE.replace("First claim", "Fixed claim"), encoding="utf-8")
    state = server.wait_for(lambda s: s["ok"] and s["pdf"] and not s["building"])
    assert b"Fixed claim" in server.request("/")[2]


def test_removed_case_folder(served: tuple[Served, Path]) -> None:
    server, case = served
    folder = case.parent
    shutil.move(folder, folder.with_name("moved"))
    state = server.wait_for(lambda s: not s["ok"])
    assert "the case file or its folder was removed; waiting for it" in state["errors"][0]
    assert server.request("/")[0] == 200
    shutil.move(folder.with_name("moved"), folder)
    server.wait_for(lambda s: s["ok"] and s["letter"] == 2)
    _, err = server.stop()
    assert "was removed; waiting for it to come back" in err


def test_port_in_use(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "casereport", "serve", str(case.parent), "--no-open"]
        command += ["--port", str(port), "-o", str(tmp_path / "out")]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: port {port} on 127.0.0.1 is already in use; choose another with --port "
        f"(e.g. --port {port + 1}, or --port 0 for any free port)"
    )
    assert not (tmp_path / "out").exists()


def test_serve_needs_a_case(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "casereport", "serve", str(tmp_path), "--no-open"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2 and "no case.yaml here" in done.stderr


def test_first_build_failing_still_serves(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case("title: [unclosed\n")
    server = Served(case.parent, tmp_path / "out")
    try:
        state = server.wait_for(lambda s: not s["ok"])
        assert state["letter"] == 0 and state["pdf"] is None
        status, _, body = server.request("/")
        assert status == 200 and b"No letter has been built yet" in body
        case.write_text(SMALL_CASE, encoding="utf-8")
        server.ready()
    finally:
        server.stop()


def test_no_desktop_means_no_browser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import webbrowser

    from casereport.cli.serve import open_browser as _open_browser

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    _open_browser("http://127.0.0.1:8000/")
    assert opened == []  # no text-mode browser taking over the terminal
    assert capsys.readouterr().out == "open http://127.0.0.1:8000/ in your browser\n"
    monkeypatch.setenv("DISPLAY", ":0")
    _open_browser("http://127.0.0.1:8000/")
    assert opened == ["http://127.0.0.1:8000/"]


def test_listens_on_the_loopback_address_only(tmp_path: Path) -> None:
    from casereport.live.serve import start_server
    from casereport.live.state import LiveState

    server = start_server(tmp_path, LiveState(), 0)
    try:
        host, port = server.httpd.server_address[:2]
        assert host == "127.0.0.1"
        others = [a for a in _own_addresses() if not a.startswith("127.")]
        for address in others:  # the machine's own network address does not reach it
            with socket.socket() as probe:
                probe.settimeout(1)
                assert probe.connect_ex((address, port)) != 0
    finally:
        server.stop()


def _own_addresses() -> list[str]:
    """This machine's address on its default route (a UDP connect sends no packet)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))
        except OSError:
            return []
        return [probe.getsockname()[0]]


# Connections: a browser that goes away mid-response, and one that never sends anything.


def _handler_threads() -> list[object]:
    import threading

    return [t for t in threading.enumerate() if "process_request" in t.name]


def _wait_for_handlers(deadline_s: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + deadline_s
    while _handler_threads():
        assert time.monotonic() < deadline, "a connection is still being handled"
        time.sleep(0.02)


def _abort(sock: socket.socket) -> None:
    """Close with a reset (RST), as a browser does when a page is reloaded mid-download."""
    import struct

    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_client_closing_mid_response_prints_no_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from casereport.live.serve import start_server
    from casereport.live.state import LiveState

    (tmp_path / "big.bin").write_bytes(b"x" * (16 * 2**20))
    (tmp_path / "letter.html").write_text("<html><body>hi</body></html>", encoding="utf-8")
    server = start_server(tmp_path, LiveState(), 0)
    port = server.httpd.server_port
    request = f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    try:
        for n in range(20):
            sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            sock.sendall(request)
            if n % 2:
                sock.recv(4096)
            _abort(sock)
        _wait_for_handlers()
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.sendall(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            assert sock.recv(12).startswith(b"HTTP/1.0 200")
    finally:
        server.stop()
    _wait_for_handlers()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\n"])
def test_idle_connection_is_closed_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sent: bytes
) -> None:
    import time

    from casereport.live.http import HEARTBEAT_S, LiveHandler
    from casereport.live.serve import start_server
    from casereport.live.state import LiveState

    default = LiveHandler.timeout
    assert default is not None and HEARTBEAT_S < default <= 60, default
    monkeypatch.setattr(LiveHandler, "timeout", 0.5)
    server = start_server(tmp_path, LiveState(), 0)
    try:
        with socket.create_connection(("127.0.0.1", server.httpd.server_port)) as sock:
            sock.settimeout(TIMEOUT)
            sock.sendall(sent)
            started = time.monotonic()
            assert sock.recv(4096) in (b"", b"HTTP/1.0 408 Request Timeout\r\n")
            assert time.monotonic() - started < 5
        _wait_for_handlers()
    finally:
        server.stop()
