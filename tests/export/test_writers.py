"""The writers registry and `--to`: each format writes its files and nothing else."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from casereport.errors import UsageError
from casereport.export.writers import WRITERS, chosen_formats, parse_formats
from tests.conftest import DEMO


def _build(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "casereport", "build", str(DEMO), "-o", str(out), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _files(out: Path) -> set[str]:
    return {
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and ".casereport" not in p.name
    }


def test_every_writer_is_a_module_with_a_write_function() -> None:
    for writer in WRITERS.values():
        assert callable(importlib.import_module(writer.module).write), writer.name


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("json", {"manuscript.json"}),
        ("pdf", {"letter.pdf"}),
        ("html", {"letter.html", "letter.css", "figures/figure-1.jpg"}),
        ("figures", {"submission/figure-1.tiff", "submission/legends.txt"}),
    ],
)
def test_each_format_writes_its_files_and_no_other(
    tmp_path: Path, to: str, expected: set[str]
) -> None:
    out = tmp_path / "out"
    done = _build(out, "--to", to)
    assert done.returncode == 0, done.stderr
    assert _files(out) == expected | {"build.json"}


def test_a_pdf_without_the_html_still_has_its_figure(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(out, "--to", "pdf").returncode == 0
    page = PdfReader(out / "letter.pdf").pages[0]
    assert len(page.images) == 1


def test_html_only_is_to_html(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert _build(one, "--html-only").returncode == 0
    assert _build(two, "--to", "html").returncode == 0
    assert _files(one) == _files(two)
    assert (one / "letter.html").read_bytes() == (two / "letter.html").read_bytes()


def test_the_built_line_names_the_documents(tmp_path: Path) -> None:
    done = _build(tmp_path / "out", "--to", "json,html")
    assert done.returncode == 0
    assert ": letter.html, manuscript.json (" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--to", "odt"), "unknown output format 'odt'; choose from html, figures, pdf, json"),
        (("--to", " , "), "--to: name at least one format"),
        (("--to", "pdf", "--html-only"), "--html-only is --to html: give one of them"),
    ],
)
def test_a_bad_format_is_a_usage_error_that_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "out"
    done = _build(out, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert not out.exists()


def test_formats_run_in_the_registry_order() -> None:
    assert parse_formats("json, PDF,html,pdf") == ("html", "pdf", "json")
    assert chosen_formats(None, html_only=False, figures=True) == ("html", "pdf", "figures")
    assert chosen_formats(None, html_only=True, figures=False) == ("html",)
    with pytest.raises(UsageError):
        parse_formats("html,word")
