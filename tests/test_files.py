"""Outputs on disk: concurrent builds into one folder, other people's files, and writes
that fail (a full disk, a read-only folder, a file where the folder should be)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casereport import build_case
from casereport.cli import main
from tests.conftest import SMALL_CASE, _image

NO_FIGURES = (
    SMALL_CASE.split("figures:")[0].replace("The figure shows it ([@fig:f]).", "")
    + "references:"
    + SMALL_CASE.split("references:")[1]
)


def _outputs(folder: Path) -> dict[str, str]:
    """Every file of the build folder but the cache, by its sha256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts and not p.name.startswith(".")
    }


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".casereport-*.tmp"))


def test_next_build_keeps_foreign_and_live_temporaries(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    out = tmp_path / "out"
    build_case(case, out)
    foreign = [out / ".notes.tmp", out / "figures" / ".draft.tmp", out / "mine" / ".x.tmp"]
    live = out / f".casereport-{os.getpid()}-letter.pdf.abc123.tmp"
    dead = out / "figures" / f".casereport-{_dead_pid()}-figure-1.jpg.abc123.tmp"
    for path in [*foreign, live, dead]:
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{path.name} stays", encoding="utf-8")
    build_case(case, out)
    for path in [*foreign, live]:
        assert path.read_text(encoding="utf-8") == f"{path.name} stays", path
    assert not dead.exists(), "a temporary of a process that died is stale"


def test_links_planted_in_the_build_folder_lead_nowhere(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    from casereport.errors import BuildError

    case = make_case()
    out = tmp_path / "out"
    build_case(case, out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "figure.jpg").write_bytes((out / "figures" / "figure-1.jpg").read_bytes())
    (out / "figures" / "figure-1.jpg").unlink()
    (out / "figures" / "figure-1.jpg").symlink_to(elsewhere / "figure.jpg")
    build_case(case, out)
    assert not (out / "figures" / "figure-1.jpg").is_symlink(), "replaced by the figure"
    (out / ".casereport.lock").unlink()
    (out / ".casereport.lock").symlink_to(elsewhere / "lock")
    with pytest.raises(BuildError, match=r"^cannot write .*/out/\.casereport\.lock: "):
        build_case(case, out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["figure.jpg"]


def _build_rounds(case: Path, out: Path, rounds: int) -> list[str]:
    """In a forked process: build `rounds` times; the failures, as text."""
    failures = []
    for _ in range(rounds):
        try:
            build_case(case, out)
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    return failures


def test_concurrent_builds_into_one_folder(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    out = tmp_path / "out"
    build_case(case, out)
    expected = _outputs(out)
    notes = out / ".notes.tmp"
    notes.write_text("not casereport's", encoding="utf-8")
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        runs = pool.starmap_async(_build_rounds, [(case, out, 12)] * 2)
        failures = [f for run in runs.get(timeout=240) for f in run]
    assert failures == []
    assert notes.read_text(encoding="utf-8") == "not casereport's"
    assert _outputs(out) == expected
    assert _temporaries(out) == []


# Writes that fail: each is one line naming the file, and every previous output is kept.


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs of its own (needs root, or CAP_SYS_ADMIN)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    try:
        main(args)
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    return code, capsys.readouterr().err.splitlines()


def _fill(disk: Path, leave: int) -> None:
    """Fill `disk` up, then free `leave` bytes."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    block = b"\0" * 65536
    with filler.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(block)
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))


def _new_figure(case: Path, n: int) -> None:
    _image(case.parent / "a.jpg", ["green", "yellow", "purple", "orange"][n % 4])
    text = SMALL_CASE.replace("First claim", f"Claim number {n}")
    case.write_text(text, encoding="utf-8")


def test_full_disk_leaves_previous_outputs(
    make_case: Callable[..., Path],
    small_disk: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    case = make_case()
    out = small_disk / "out"
    build_case(case, out, formats=("html", "pdf", "figures"))
    failed = 0
    for n, leave in enumerate([0, 4096, 16384, 32768, 65536, 98304, 131072, 196608, 262144]):
        before = _outputs(out)
        _new_figure(case, n)
        _fill(small_disk, leave)
        code, err = _cli(["build", str(case), "-o", "disk/out", "--figures"], capsys)
        (small_disk / "filler").unlink()
        assert _temporaries(out) == []
        if code == 0:
            break
        failed += 1
        assert code == 1
        assert len(err) == 1, err
        assert err[0].startswith("error: cannot write disk/out/"), err
        assert err[0].endswith(": No space left on device"), err
        assert _outputs(out) == before, f"outputs changed by a failed build, {leave} bytes free"
    assert failed >= 3


def test_read_only_output_folder(
    make_case: Callable[..., Path],
    small_disk: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    case = make_case()
    out = small_disk / "out"
    build_case(case, out)
    before = _outputs(out)
    case.write_text(SMALL_CASE.replace("First claim", "Changed claim"), encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, err = _cli(["build", str(case), "-o", "disk/out"], capsys)
    message = "error: cannot write disk/out/letter.html: Read-only file system"
    assert (code, err) == (1, [message])
    assert _outputs(out) == before


def test_output_folder_below_a_file(
    make_case: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    case = make_case()
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, err = _cli(["build", str(case), "-o", "notes.txt/out"], capsys)
    assert (code, err) == (1, ["error: cannot write notes.txt: it is a file, not a folder"])
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("formats", [("html",), ("html", "pdf", "figures")])
def test_output_folder_that_is_a_file(
    make_case: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    formats: tuple[str, ...],
) -> None:
    """The command line refuses it as a usage error; the library says the same as above."""
    from casereport.errors import BuildError

    monkeypatch.chdir(tmp_path)
    case = make_case(NO_FIGURES if formats == ("html",) else SMALL_CASE)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    message = "cannot write notes.txt: it is a file, not a folder"
    with pytest.raises(BuildError, match=f"^{message}$"):
        build_case(case, Path("notes.txt"), formats=formats)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
