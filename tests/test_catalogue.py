"""The catalogue of bad inputs: each folder under tests/catalogue/ holds a case (plus the files
it needs) and `expected.txt`, the exit code and the exact lines the command must print.

A new entry without `expected.txt` gets one written from what casereport printed, and the
test fails until a person has read it and committed it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from casereport.cli import main
from tests.safety import unsafe_html

CATALOGUE = Path(__file__).parent / "catalogue"
ENTRIES = sorted(p for p in CATALOGUE.iterdir() if p.is_dir() and not p.name.startswith("_"))
OWN_FILES = {"about.txt", "expected.txt", "symlinks.txt"}
PREVIOUS = b"<!-- a previous good letter -->\n"


def _prepare(entry: Path, tmp_path: Path) -> Path:
    case = tmp_path / "case"
    shutil.copytree(CATALOGUE / "_base", case)
    for item in entry.iterdir():
        if item.name in OWN_FILES:
            continue
        if item.is_dir():
            shutil.copytree(item, case / item.name)
        else:
            shutil.copyfile(item, case / item.name)
    links = entry / "symlinks.txt"
    for line in links.read_text().splitlines() if links.exists() else []:
        name, target = (part.strip() for part in line.split("->"))
        (case / name).symlink_to(target)
    return case


def _run(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[str]]:
    monkeypatch.chdir(case.parent)
    try:
        main(["build", "case", "-o", "out"])
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    return code, capsys.readouterr().err.splitlines()


def test_catalogue_is_large_enough() -> None:
    assert len(ENTRIES) >= 60


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_bad_input(
    entry: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _prepare(entry, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "letter.html").write_bytes(PREVIOUS)
    started = time.perf_counter()
    code, lines = _run(case, capsys, monkeypatch)
    elapsed = time.perf_counter() - started
    got = [f"exit: {code}", *lines]
    expected_file = entry / "expected.txt"
    if not expected_file.exists():
        expected_file.write_text("\n".join(got) + "\n", encoding="utf-8")
        pytest.fail(f"wrote {expected_file}: read it, then commit it")
    assert got == expected_file.read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith(("Traceback", "internal error")) for line in lines)
    if code == 0:
        assert unsafe_html((out / "letter.html").read_text(encoding="utf-8")) == []
    else:
        assert (out / "letter.html").read_bytes() == PREVIOUS
        outputs = sorted(p.name for p in out.iterdir() if p.name != ".cache")
        assert outputs == ["letter.html"]
    assert elapsed < 5, f"took {elapsed:.1f} s"
