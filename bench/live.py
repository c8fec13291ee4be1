"""Warm rebuilds in one long-lived process, and `casereport serve` over 100 rebuilds.

A one-word edit alternates between two words in the body of a copy of the demo case, so
every rebuild has a real change to make and the memo cannot serve the whole letter.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cases import DEMO

WORDS = ("distressing", "upsetting")

# `serve` is stopped with Ctrl-C: give it back SIGINT if this ran from a background job
# (which starts with SIGINT ignored, and children inherit "ignored"; see tests/conftest.py).
signal.signal(signal.SIGINT, signal.default_int_handler)


def copy_demo(folder: Path) -> Path:
    case = folder / "demo"
    shutil.copytree(DEMO, case)
    return case / "case.yaml"


def edit_one_word(case_file: Path, n: int) -> None:
    text = case_file.read_text(encoding="utf-8")
    old, new = WORDS if n % 2 == 0 else WORDS[::-1]
    case_file.write_text(text.replace(old, new, 1), encoding="utf-8")


def warm_rebuilds(folder: Path, runs: int) -> dict[str, list[float]]:
    """Seconds of warm rebuilds after a one-word edit: to HTML, and to HTML + PDF, with
    the PDF's share (layout + writing) alongside; then to the Word file alone."""
    from casereport.export.pdf import PdfRenderer
    from casereport.live.session import Session

    case_file = copy_demo(folder)
    session = Session(case_file, folder / "out")
    session.warm_up()
    session.build()
    session.build()
    renderer = PdfRenderer()  # its own, so the session's keeps its fonts
    times: dict[str, list[float]] = {
        "html": [],
        "pdf": [],
        "pdf export": [],
        "one column": [],
        "docx": [],
    }
    for n in range(runs):
        edit_one_word(case_file, 2 * n)
        started = time.perf_counter()
        session.build(("html",))
        times["html"].append(time.perf_counter() - started)
        edit_one_word(case_file, 2 * n + 1)
        started = time.perf_counter()
        result = session.build()
        times["pdf"].append(time.perf_counter() - started)
        times["pdf export"].append(result.timings["export"])
        times["one column"].append(_one_column_pdf(session, renderer, folder / "one.pdf"))
    session.build(("docx",))  # python-docx imported, as a session asked for Word has it
    for n in range(runs):
        edit_one_new_word(case_file, n)  # a letter never built before: the file is made
        started = time.perf_counter()
        session.build(("docx",))
        times["docx"].append(time.perf_counter() - started)
    return times


def _one_column_pdf(session: Any, renderer: Any, dest: Path) -> float:
    """Seconds to render the same letter in one column (the journal's two balanced columns
    are what costs most in WeasyPrint's layout): for comparison only."""
    out = session.out_dir
    html = (out / "letter.html").read_text(encoding="utf-8")
    html = html.replace("</head>", "<style>.columns { column-count: 1 }</style></head>")
    staged = {out / "letter.css": out / "letter.css"}
    staged |= {p: p for p in (out / "figures").iterdir()}
    started = time.perf_counter()
    renderer(html, out, dest, allowed=[out], staged_files=staged)
    return time.perf_counter() - started


def edit_one_new_word(case_file: Path, n: int) -> None:
    """Change the edited word to one not used before ("distressing3"), so the build cache
    holds no Word file of the letter (the alternating edit would find the last but one)."""
    text = case_file.read_text(encoding="utf-8")
    text = re.sub(rf"\b(?:{'|'.join(WORDS)})\d*\b", f"{WORDS[0]}{n}", text, count=1)
    case_file.write_text(text, encoding="utf-8")


class ServeProcess:
    """`casereport serve` on a copy of the demo, followed through its event stream."""

    def __init__(self, case_file: Path, out: Path) -> None:
        command = [sys.executable, "-m", "casereport", "serve", str(case_file.parent)]
        command += ["--port", "0", "--no-open", "-o", str(out)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        url = self.process.stdout.readline().split(" at ")[1].split()[0]
        self.port = int(url.rsplit(":", 1)[1].strip("/"))
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._listen, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _ in self.process.stdout:
            pass

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        connection.request("GET", "/__casereport/events")
        response = connection.getresponse()
        for raw in response.fp:
            line = raw.decode()
            if line.startswith("data: "):
                with self.arrived:
                    self.events.append((time.perf_counter(), json.loads(line[6:])))
                    self.arrived.notify_all()

    def wait(self, check: Any, since: int, timeout: float = 30) -> float:
        """Time of the first event after index `since` for which `check(state)` holds."""
        with self.arrived:
            deadline = time.monotonic() + timeout
            while True:
                for at, state in self.events[since:]:
                    if check(state):
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SystemExit(f"serve did not rebuild in {timeout} s")
                self.arrived.wait(left)

    def memory(self) -> tuple[float, float]:
        """Peak and current resident MiB of the server process."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.split()
        return int(fields["VmHWM"][0]) / 1024, int(fields["VmRSS"][0]) / 1024

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)


@dataclass(frozen=True)
class ServeRun:
    """Seconds from save to reload and to PDF; (peak, resident) MiB after the first
    rebuild and after the last."""

    reload: list[float]
    pdf: list[float]
    first: tuple[float, float]
    last: tuple[float, float]

    @property
    def growth(self) -> float:
        return self.last[0] / self.first[0] - 1


def serve_rebuilds(folder: Path, count: int) -> ServeRun:
    """Edit → page told to reload, and edit → PDF rebuilt, over `count` edits; the server's
    peak memory after the first rebuild and after the last."""
    case_file = copy_demo(folder)
    server = ServeProcess(case_file, folder / "out")
    server.wait(lambda s: s["pdf"] is not None and not s["building"], 0)
    reload_s: list[float] = []
    pdf_s: list[float] = []
    after_first: tuple[float, float] = (0.0, 0.0)
    for n in range(count):
        since = len(server.events)
        letter = server.events[-1][1]["letter"]
        time.sleep(0.06)  # a new save, not part of the last one's group
        started = time.perf_counter()
        edit_one_word(case_file, n)
        reloaded = server.wait(lambda s, shown=letter: s["letter"] > shown, since)
        reload_s.append(reloaded - started)
        pdf_s.append(server.wait(lambda s: not s["building"] and s["ok"], since) - started)
        if n == 0:
            after_first = server.memory()
    after_last = server.memory()
    server.stop()
    return ServeRun(reload_s, pdf_s, after_first, after_last)


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
