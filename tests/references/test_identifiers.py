"""Citing by DOI or PMID: looked up once from a local server, locked, then read offline."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from casereport import build_case, check_case
from casereport.errors import CaseError
from casereport.references.identifiers import LOCK_FILE, read_lock
from tests.conftest import SMALL_CASE
from tests.outputs import printed_html

LOOKUP = Path(__file__).parent / "data" / "lookup"
DOI = "10.1056/nejmoa1912196"
DOI_CASE = SMALL_CASE.replace("Second claim [@two; @one].", f"Second claim [@two; @doi:{DOI}].")
PMID_CASE = SMALL_CASE.replace("Second claim [@two; @one].", "Second claim [@pmid:31851795].")


class Recorded(BaseHTTPRequestHandler):
    """Serves the recorded answers of doi.org and the E-utilities; counts the requests."""

    requests: list[str]

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        if parts.path.startswith("/slow/"):
            time.sleep(1.5)
            return self._send(404, b"{}")
        if parts.path.startswith("/doi/"):
            doi = parts.path.removeprefix("/doi/").lower()
            if self.headers.get("Accept") != "application/vnd.citationstyles.csl+json":
                return self._send(406, b"")
            if doi.startswith("10.9999/broken"):
                return self._send(200, b"<html>not json</html>")
            return self._file(LOOKUP / f"doi-{doi.replace('/', '-')}.json")
        if parts.path == "/eutils/esummary.fcgi":
            pmid = parse_qs(parts.query)["id"][0]
            return self._file(LOOKUP / f"pmid-{pmid}.json")
        return self._send(404, b"not found")

    def _file(self, path: Path) -> None:
        if not path.is_file():
            return self._send(404, b"Resource not found")
        return self._send(200, path.read_bytes())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadingHTTPServer]:
    """A server on 127.0.0.1 that the lookups are pointed at."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("CASEREPORT_DOI_URL", f"{base}/doi")
    monkeypatch.setenv("CASEREPORT_PUBMED_URL", f"{base}/eutils")
    monkeypatch.setenv("CASEREPORT_LOOKUP_TIMEOUT", "0.5")
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _requests(server: ThreadingHTTPServer) -> list[str]:
    return list(server.requests)  # type: ignore[attr-defined]


def test_doi_is_looked_up_once_and_locked(
    server: ThreadingHTTPServer, make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case(DOI_CASE)
    build_case(case, tmp_path / "out", formats=("html",))
    assert _requests(server) == [f"/doi/{DOI}"]
    locked = read_lock(case.parent / LOCK_FILE)
    item = locked[f"doi:{DOI}"]
    assert item["title"] == "Trial of Anifrolumab in Active Systemic Lupus Erythematosus"
    assert item["container-title-short"] == "N Engl J Med"
    assert item["author"][0] == {"family": "Morand", "given": "Eric F."}
    assert "sequence" not in json.dumps(item)
    html = printed_html(tmp_path / "out" / "letter.html")
    assert "MORAND EF, FURIE R, TANAKA Y <i>et al.</i>: Trial of Anifrolumab" in html
    assert "<i>N Engl J Med</i> 2020; 382(3): 211-21. https://doi.org/10.1056/NEJMoa1912196" in html
    build_case(case, tmp_path / "out", formats=("html",))
    assert len(_requests(server)) == 1


def test_locked_build_opens_no_socket(
    server: ThreadingHTTPServer,
    make_case: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = make_case(DOI_CASE)
    check_case(case)
    first = (case.parent / LOCK_FILE).read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    build_case(case, tmp_path / "out", formats=("html",), offline=False)
    build_case(case, tmp_path / "out", formats=("html",), offline=True)
    assert (case.parent / LOCK_FILE).read_bytes() == first
    assert "Trial of Anifrolumab" in printed_html(tmp_path / "out" / "letter.html")


def test_pmid_is_converted_from_esummary(
    server: ThreadingHTTPServer, make_case: Callable[..., Path]
) -> None:
    case = make_case(PMID_CASE)
    checked = check_case(case)
    (ref,) = [r for r in checked.resolved.references if r.id == "pmid:31851795"]
    item = ref.csl()
    assert item["title"] == "Trial of Anifrolumab in Active Systemic Lupus Erythematosus"
    assert item["author"][0] == {"family": "Morand", "given": "E. F."}
    assert item["author"][-1] == {"literal": "TULIP-2 Trial Investigators"}
    assert item["issued"] == {"date-parts": [[2020, 1, 16]]}
    assert (item["DOI"], item["page"], item["container-title-short"]) == (
        "10.1056/NEJMoa1912196",
        "211-221",
        "N Engl J Med",
    )
    assert _requests(server)[0].startswith("/eutils/esummary.fcgi?db=pubmed&id=31851795")


def test_offline_names_the_missing_identifier(
    no_network: None, make_case: Callable[..., Path]
) -> None:
    case = make_case(DOI_CASE)
    with pytest.raises(CaseError) as info:
        check_case(case, offline=True)
    assert [d.format().removeprefix(str(case)) for d in info.value.diagnostics] == [
        f":11:43: error: body: doi:{DOI} is not in {LOCK_FILE} and --offline forbids looking it up"
    ]
    assert not (case.parent / LOCK_FILE).exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "doi:10.1000/unknown",
            "cannot look up doi:10.1000/unknown: DOI 10.1000/unknown not found",
        ),
        ("pmid:99999999", "cannot look up pmid:99999999: PMID 99999999 not found in PubMed"),
        ("doi:10.9999/broken", "did not answer with JSON"),
    ],
)
def test_unknown_identifiers_are_clear_errors_and_nothing_is_written(
    server: ThreadingHTTPServer, make_case: Callable[..., Path], key: str, message: str
) -> None:
    text = DOI_CASE.replace("First claim [@one].", f"First claim [@one; @{key}].")
    case = make_case(text)
    with pytest.raises(CaseError) as info:
        check_case(case)
    (error,) = info.value.diagnostics
    assert message in error.message
    assert error.line == 11
    assert not (case.parent / LOCK_FILE).exists()


def test_timeout_and_unreachable_server(
    server: ThreadingHTTPServer, make_case: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(DOI_CASE)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("CASEREPORT_DOI_URL", f"{base}/slow")
    started = time.perf_counter()
    with pytest.raises(CaseError, match=r"no answer from http://127\.0\.0\.1:\d+ within 0\.5 s"):
        check_case(case)
    assert time.perf_counter() - started < 1.4
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CASEREPORT_DOI_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(CaseError, match="cannot reach"):
        check_case(case)
    assert not (case.parent / LOCK_FILE).exists()


def test_a_failed_lookup_leaves_the_lock_file_as_it_was(
    server: ThreadingHTTPServer, make_case: Callable[..., Path]
) -> None:
    case = make_case(DOI_CASE)
    check_case(case)
    before = (case.parent / LOCK_FILE).read_bytes()
    case.write_text(DOI_CASE.replace("[@one]", "[@one; @pmid:31851795; @pmid:99999999]"))
    with pytest.raises(CaseError, match="PMID 99999999 not found"):
        check_case(case)
    assert (case.parent / LOCK_FILE).read_bytes() == before
    assert not list(case.parent.glob("*.tmp"))


def test_malformed_identifiers_and_lock_file(
    no_network: None, make_case: Callable[..., Path]
) -> None:
    case = make_case(DOI_CASE.replace(f"@doi:{DOI}", "@doi:nejmoa1912196"))
    with pytest.raises(CaseError, match="malformed DOI 'nejmoa1912196'"):
        check_case(case)
    case = make_case(DOI_CASE, name="locked")
    (case.parent / LOCK_FILE).write_text('{"version": 1,\n "references": [}', encoding="utf-8")
    with pytest.raises(CaseError) as info:
        check_case(case, offline=True)
    assert info.value.diagnostics[0].format().startswith(f"{case.parent / LOCK_FILE}:2:")
