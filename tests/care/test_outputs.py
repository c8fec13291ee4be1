"""`casereport build --to care`: care-checklist.md, .csv and .html in the build folder,
each readable by what reads its format, the Markdown equal to its golden copy."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from casereport import build_case
from casereport.export.writers import WRITERS
from tests.care.golden import FILE, checklist_markdown
from tests.care.test_checklist import CARE_NUMBERS
from tests.conftest import CASE_REPORT, DEMO
from tests.test_layout import GRAPH, STAGES

NAMES = ("care-checklist.md", "care-checklist.csv", "care-checklist.html")


@cache
def _built(case: Path, out: Path) -> Path:
    build_case(case, out, formats=("care",))
    return out


@pytest.fixture(scope="module")
def dress(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(CASE_REPORT, tmp_path_factory.mktemp("care") / "dress")


def test_care_is_an_output_format() -> None:
    assert WRITERS["care"].module == "casereport.export.care"


def test_build_to_care_writes_the_three_files(dress: Path) -> None:
    manifest = json.loads((dress / "build.json").read_text(encoding="utf-8"))
    assert manifest["outputs"] == sorted(NAMES)
    written = {p.name for p in dress.iterdir()} - {".casereport.lock"}
    assert written == {*NAMES, "build.json"}


def test_the_csv_has_a_row_per_item_and_sub_item(dress: Path) -> None:
    text = (dress / "care-checklist.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["Item"] for r in rows] == CARE_NUMBERS
    assert {r["Status"] for r in rows} == {"reported", "missing"}
    by_item = {r["Item"]: r for r in rows}
    assert by_item["3b"]["Item (care-statement.org checklist)"] == "3b, 3c"
    assert by_item["8b"]["Where reported"] == ""
    assert by_item["8b"]["What is missing, or why not applicable"].endswith("or that nothing did")
    consent = "Consent for publication (declaration) (case.yaml:"
    assert by_item["13"]["Where reported"].startswith(consent)


def test_the_html_is_well_formed_standalone_and_accessible(dress: Path) -> None:
    html = (dress / "care-checklist.html").read_text(encoding="utf-8")
    root = etree.fromstring(html.encode("utf-8"))  # XML: every element closed, every entity known
    assert root.get("lang") == "en"
    loads = "//script | //link | //img | //iframe | //@*[starts-with(name(), 'on')]"
    assert root.xpath(loads) == []
    assert "http" not in html
    assert root.xpath("//table/caption")
    assert len(root.xpath("//thead//th[@scope='col']")) == 6
    assert [th.text for th in root.xpath("//tbody//th[@scope='row']")] == CARE_NUMBERS
    missing = root.xpath("//tbody/tr[th='8b']/td[@class='missing']")
    assert [td.text for td in missing] == ["missing"]  # the status is written, not only coloured


def test_the_markdown_equals_its_golden_copy() -> None:
    made = checklist_markdown()
    if not FILE.exists():
        FILE.write_text(made, encoding="utf-8")
        pytest.fail(f"wrote {FILE}: read it, then commit it")
    assert made == FILE.read_text(encoding="utf-8"), (
        "care-checklist.md differs: run `python -m tests.care.golden`, review the diff"
    )


def test_a_letter_writes_its_checklist_too(tmp_path: Path) -> None:
    out = _built(DEMO, tmp_path / "demo")
    text = (out / "care-checklist.md").read_text(encoding="utf-8")
    assert "Journal: Clinical and Experimental Rheumatology (letter)" in text
    assert "| 7 | 7 | Timeline |" in text and "Missing: add `timeline:`" in text


def test_the_care_domain_imports_no_stage() -> None:
    """As `test_layout` holds every domain to (its DOMAINS do not list `care` yet)."""
    stages = {f"casereport.{stage}" for stage in STAGES}
    found = {
        (name, target)
        for name, targets in GRAPH.items()
        if name == "casereport.care" or name.startswith(("casereport.care.", "casereport.export."))
        for target in targets & stages
    }
    assert found == set()
