"""Shared fixtures: the demo case, a small valid case to mutate, and a built demo."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "cases" / "anifrolumab-alopecia"
EXAMPLE = ROOT / "cases" / "lupus-histology-imaging"
CASE_REPORT = ROOT / "cases" / "dress-allopurinol"

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
# A shell that starts a command in the background without job control starts it with
# SIGINT ignored, and an ignored signal is inherited: the `serve` and `--watch` processes
# that tests stop with Ctrl-C would then never stop. A handler (unlike "ignore") is reset
# by exec, so every process the tests start gets Python's KeyboardInterrupt again.
signal.signal(signal.SIGINT, signal.default_int_handler)
# The build cache of the test run: its own folder, not the user's (~/.cache/casereport).
os.environ.setdefault("CASEREPORT_CACHE_DIR", tempfile.mkdtemp(prefix="casereport-test-cache-"))

# Import WeasyPrint once for the whole session, so library builds in tests render in this
# process; the forked PDF worker of a cold `casereport build` has its own tests.
from casereport.export.weasy import import_weasyprint  # noqa: E402

import_weasyprint()

SMALL_CASE = """\
title: A small test letter
authors:
  - name: A. Author
    degrees: [MD]
    affiliations: [x]
affiliations:
  x: Department of Testing, Example University, Italy
competing_interests: none declared
consent: written informed consent was obtained
body: |
  First claim [@one]. Second claim [@two; @one].

  The figure shows it ([@fig:f]).
figures:
  - id: f
    title: A test figure.
    subject: the lesion
    layout: {rows: 1, columns: 2}
    panels:
      - {image: a.jpg, timepoint: before treatment}
      - {image: b.jpg, timepoint: after treatment}
references:
  - id: one
    type: article-journal
    title: The first reference
    author: [{family: Smith, given: J.}]
    container-title-short: J Test
    issued: {date-parts: [[2020]]}
    volume: "1"
    page: 1-10
  - id: two
    type: article-journal
    title: The second reference
    author: [{family: Jones, given: A. B.}]
    container-title-short: J Test
    issued: {date-parts: [[2021]]}
    volume: "2"
    page: "5"
"""


@pytest.fixture(autouse=True)
def _own_build_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test builds with an empty build cache of its own, so that what one test
    composed or formatted is never found by another; and a configuration folder of its
    own, so that the user's `~/.config/casereport/config.yaml` never reaches a test."""
    monkeypatch.setenv("CASEREPORT_CACHE_DIR", str(tmp_path / "build-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))


def _image(path: Path, colour: str) -> None:
    from PIL import Image

    Image.new("RGB", (800, 600), colour).save(path, quality=90)


@pytest.fixture
def make_case(tmp_path: Path) -> Callable[..., Path]:
    """Write a case folder with two small images; return its case.yaml."""

    def make(text: str = SMALL_CASE, *, images: bool = True, name: str = "case") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        if images:
            _image(folder / "a.jpg", "red")
            _image(folder / "b.jpg", "blue")
        case = folder / "case.yaml"
        case.write_text(textwrap.dedent(text), encoding="utf-8")
        return case

    return make


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case, built once for the session to HTML and PDF."""
    from casereport import build_case

    out = tmp_path_factory.mktemp("demo-build")
    build_case(DEMO, out)
    return out


@pytest.fixture(scope="session")
def example_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example case under every profile it fits (`tests.golden.CASES`: `<case>` or
    `<case>@<journal>`), built once for the session as `build --journal` builds it, to
    HTML, PDF (tagged PDF/UA-1), manuscript.json and Word: the build folder of each."""
    from casereport.build import BuildOptions, build_with
    from tests.golden import CASES

    found = {}
    formats = ("html", "pdf", "json", "docx")
    for case in CASES:
        folder, _, journal = case.partition("@")
        out = tmp_path_factory.mktemp("examples") / case
        build_with(ROOT / "cases" / folder, out, BuildOptions(formats, journal=journal or None))
        found[case] = out
    return found


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The histology-and-imaging example, built once for the session with submission files."""
    from casereport import build_case

    out = tmp_path_factory.mktemp("example-build") / "out"
    result = build_case(EXAMPLE, out, formats=("html", "pdf", "figures"))
    assert result.warnings == ()
    return out


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium, if installed (`make test` installs it; no browser download)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium found: install Debian's chromium package (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m casereport ARGS` in a new process, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "casereport", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
