"""Export: the restricted URL fetcher, the forked PDF worker, atomic files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casereport.errors import BuildError
from casereport.export.files import copy_atomic, write_bytes_atomic
from casereport.export.pdf import PdfWorker, write_pdf
from tests.conftest import DEMO


def _pdf(tmp_path: Path, html: str, writer: object = write_pdf) -> Path:
    """`html` in a document that tagged PDF/UA accepts (a language; images carry alt)."""
    dest = tmp_path / "out.pdf"
    html = '<html lang="en"><title>Test</title>' + html.replace("<img ", '<img alt="x" ')
    writer(html, tmp_path, dest, allowed=[tmp_path], staged_files={})  # type: ignore[operator]
    return dest


def test_allowed_image_loads(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(tmp_path / "a.png")
    assert _pdf(tmp_path, '<img src="a.png">').stat().st_size > 0


@pytest.mark.parametrize(
    "src",
    [
        "/etc/hostname",
        "file:///etc/hostname",
        "../outside.png",
        "http://127.0.0.1:9/x.png",
        "missing.png",
    ],
)
def test_other_resources_fail_the_build(tmp_path: Path, src: str) -> None:
    (tmp_path.parent / "outside.png").write_bytes(b"x")
    with pytest.raises(BuildError, match="PDF: "):
        _pdf(tmp_path, f'<p>x</p><img src="{src}">')


def test_stylesheet_outside_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="refused to load"):
        _pdf(tmp_path, '<link rel="stylesheet" href="file:///etc/hostname"><p>x</p>')


def test_worker_writes_the_same_pdf(tmp_path: Path) -> None:
    html = "<h1>Worker</h1><p>text</p>"
    in_process = _pdf(tmp_path, html).read_bytes()
    worker = PdfWorker()
    try:
        assert _pdf(tmp_path, html, worker.write_pdf).read_bytes() == in_process
    finally:
        worker.close()


def test_worker_writes_several_pdfs_then_ends_when_closed(tmp_path: Path) -> None:
    """One worker writes every PDF it is sent (`--journal all`), and ends by itself once the
    pipe is closed: exit code 0, not killed after close()'s wait (which cost every cold
    build two seconds while the worker held the parent's end of the pipe)."""
    worker = PdfWorker()
    try:
        for n in range(3):
            folder = tmp_path / str(n)
            folder.mkdir()
            assert _pdf(folder, f"<p>PDF {n}</p>", worker.write_pdf).read_bytes()[:5] == b"%PDF-"
    finally:
        worker.close()
    assert worker._process.exitcode == 0


def test_worker_reports_errors(tmp_path: Path) -> None:
    worker = PdfWorker()
    try:
        with pytest.raises(BuildError, match="refused to load 'file:///etc/hostname'"):
            _pdf(tmp_path, '<img src="file:///etc/hostname">', worker.write_pdf)
    finally:
        worker.close()


def test_cold_cli_build_with_the_worker(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casereport", "build", str(DEMO), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o" / "letter.pdf").read_bytes().startswith(b"%PDF-")


def test_atomic_writes(tmp_path: Path) -> None:
    write_bytes_atomic(tmp_path / "a" / "f.txt", b"one")
    copy_atomic(tmp_path / "a" / "f.txt", tmp_path / "b.txt")
    assert (tmp_path / "b.txt").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b.txt", "f.txt"]
