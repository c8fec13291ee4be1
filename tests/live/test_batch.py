"""Batches: a folder of cases built in parallel; a failing case is reported, the others build."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport.live.batch import CaseOutcome, build_many, find_cases, summary_table
from tests.conftest import SMALL_CASE

BROKEN = SMALL_CASE.replace(
    "title: A small", "titel: A small"
)  # two errors: title missing, titel unknown


@pytest.fixture
def cases(make_case: Callable[..., Path], tmp_path: Path) -> Path:
    """Three cases in tmp_path: alpha and gamma build, beta has two errors."""
    make_case(name="alpha")
    make_case(BROKEN, name="beta")
    make_case(SMALL_CASE.replace("First claim", "Only claim"), name="gamma")
    (tmp_path / "notes").mkdir()  # a folder without case.yaml is not a case
    return tmp_path


def test_find_cases(cases: Path) -> None:
    assert [p.name for p in find_cases(cases)] == ["alpha", "beta", "gamma"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_many(cases: Path, tmp_path: Path, jobs: int) -> None:
    out = tmp_path / f"out-{jobs}"
    outcomes = {o.case: o for o in build_many(find_cases(cases), out, jobs=jobs)}
    assert outcomes["alpha"].ok and outcomes["gamma"].ok
    assert outcomes["beta"].status == "failed (2 errors)"
    assert any("title: required field is missing" in m for m in outcomes["beta"].messages)
    assert any("unknown field 'titel'" in m for m in outcomes["beta"].messages)
    alpha = outcomes["alpha"]
    assert (alpha.pages, alpha.references, alpha.figures) == (1, 2, 1)
    assert alpha.words is not None and alpha.words > 5
    for name in ("alpha", "gamma"):
        assert (out / name / "letter.pdf").is_file() and (out / name / "letter.html").is_file()
    assert not (out / "beta").exists()
    assert "Only claim" in (out / "gamma" / "letter.html").read_text(encoding="utf-8")


def test_summary_table() -> None:
    rows = [
        CaseOutcome("zeta", "ok", 1.234, 2, 640, 7, 1),
        CaseOutcome("a", "failed (1 error)", 0.01),
    ]
    assert summary_table(rows).splitlines() == [
        "case  pages  words  references  figures    time  status",
        "a         -      -           -        -  0.01 s  failed (1 error)",
        "zeta      2    640           7        1  1.23 s  ok",
    ]


def run_cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "casereport", "build", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload,no-any-return]


def test_batch_command_plain_output(cases: Path, tmp_path: Path) -> None:
    done = run_cli(str(cases), "-j", "2", "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    progress = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 3 and all(" in " in line for line in progress)
    assert "[3/3]" in progress[-1]
    assert "beta: failed (2 errors)" in done.stderr
    assert "title: required field is missing" in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["case", "pages", "words", "references", "figures", "time", "status"]
    assert [line.split()[0] for line in lines[1:4]] == ["alpha", "beta", "gamma"]
    assert lines[1].split()[1:4] == ["1", lines[1].split()[2], "2"]
    assert lines[1].endswith(" ok") and "failed (2 errors)" in lines[2]
    assert lines[-1].startswith("3 cases: 2 built, 1 failed, in ")
    assert lines[-1].endswith("with 2 jobs")


def test_batch_command_all_good_exits_0(make_case: Callable[..., Path], tmp_path: Path) -> None:
    make_case(name="one")
    make_case(name="two")
    done = run_cli(str(tmp_path), "--html-only", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "one" / "letter.html").is_file()
    assert not (tmp_path / "build" / "one" / "letter.pdf").exists()
    assert done.stdout.splitlines()[-1].startswith("2 cases: 2 built, 0 failed")


def test_batch_progress_bar_on_a_terminal(cases: Path, tmp_path: Path) -> None:
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    command = [sys.executable, "-m", "casereport", "build", str(cases), "-o", str(tmp_path / "o")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    out, _ = process.communicate(timeout=120)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    text = screen.decode("utf-8", "replace")
    assert "100%" in text and "3/3" in text  # tqdm's bar
    assert "beta: failed (2 errors)" in text
    assert "[1/3]" not in text  # no plain progress lines on a terminal
    assert process.returncode == 1 and out.splitlines()[0].startswith("case")
