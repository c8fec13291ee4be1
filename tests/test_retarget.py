"""Retargeting after a rejection: the same case built for another journal, into its own
folder (the primary outputs untouched), with what the case writes for that journal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casereport.build import BuildOptions, build_case, build_with
from casereport.errors import CaseError
from casereport.live.session import Session
from tests.conftest import run_cli
from tests.test_case_report import CATALOGUE, REPORT

# A journal of one's own that prints the case report as care does, with another title rule.
OTHER = """\
extends: care
name: Other Journal of Cases
figures:
  caption: "Figure {number}:"
articles:
  case-report:
    sections:
      introduction: {heading: Background, required: true}
      case presentation: {heading: Case report, required: true}
      discussion: {required: true}
      learning points: {required: true}
"""

OVERRIDES = """\
journals:
  other:
    title: A title for the other journal
    keywords: [case report, other, keywords]
    sections:
      skin biopsy: null
      discussion: |
        The other journal's discussion [@two].
  bmj-case-reports:
    abstract: Why it matters. What happened. What it shows.
    sections:
      skin biopsy: null
  cureus:
    abstract: Why it matters. What happened. What it shows.
    keywords: [case report, testing, software, journals, profiles]
    sections:
      conclusion: What it shows.
"""


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    for image in ("a.jpg", "b.jpg"):
        shutil.copy(CATALOGUE / "_base" / image, folder / image)
    (folder / "case.yaml").write_text(REPORT + OVERRIDES, encoding="utf-8")
    return folder


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates" / "other"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text(OTHER, encoding="utf-8")
    return folder.parent


def _html(folder: Path) -> str:
    return (folder / "letter.html").read_text(encoding="utf-8")


def test_another_journal_builds_into_its_own_folder(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_case(case, out, formats=("html",), templates=templates)
    primary = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    stamps = {p: p.stat().st_mtime_ns for p in primary}
    result = run_cli(
        "build",
        str(case),
        "--journal",
        "other",
        "--to",
        "html",
        "--templates",
        str(templates),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "built build/case/other" in result.stdout or "build/case/other" in result.stdout
    other = tmp_path / "build" / "case" / "other"
    html = _html(other)
    # the other journal's structure, labels and the case's overrides for it
    assert "A title for the other journal" in html
    assert html.index("<h2>Background</h2>") < html.index("<h2>Case report</h2>")
    assert "Figure 1:" in html
    assert "The other journal's discussion" in html
    assert "A section the journal does not name" not in html  # skin biopsy: null
    assert "It agrees with the second paper" not in html
    # the primary build is untouched, and keeps the case's own title and sections
    assert {p: p.read_bytes() for p in primary} == primary
    assert {p: p.stat().st_mtime_ns for p in primary} == stamps
    assert "A small test case report" in _html(out)
    assert "A section the journal does not name" in _html(out)


def test_what_the_other_journal_requires_is_an_error_naming_it(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    text = (case / "case.yaml").read_text(encoding="utf-8")
    lines = text.replace("  learning points:\n    - First point.\n    - Second point [@one].\n", "")
    (case / "case.yaml").write_text(lines, encoding="utf-8")
    with pytest.raises(CaseError) as raised:
        build_with(case, tmp_path / "out", BuildOptions(("html",), templates, journal="other"))
    [error] = raised.value.diagnostics
    assert "Other Journal of Cases" in error.message and "Learning points" in error.message
    # the case's own journal does not require them: it builds
    build_case(case, tmp_path / "own", formats=("html",), templates=templates)


def test_a_bad_override_is_reported_at_its_own_line(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    text = (case / "case.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    keywords: [case report, other, keywords]", "    keywords: {not: a list}"
    )
    (case / "case.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("    keywords: {not: a list}") + 1
    with pytest.raises(CaseError) as raised:
        build_with(case, tmp_path / "out", BuildOptions(("html",), templates, journal="other"))
    errors = raised.value.diagnostics
    assert errors and all(e.line == line for e in errors), [e.format() for e in errors]


def test_an_override_for_no_journal_is_a_warning(case: Path, tmp_path: Path) -> None:
    text = (case / "case.yaml").read_text(encoding="utf-8") + "  bmj-case-report:\n    title: X\n"
    (case / "case.yaml").write_text(text, encoding="utf-8")
    result = build_case(case, tmp_path / "out", formats=("html",))
    [warning] = [d for d in result.warnings if d.field == "journals.bmj-case-report"]
    assert "no journal profile 'bmj-case-report'" in warning.message
    assert warning.line == text.splitlines().index("  bmj-case-report:") + 1
    assert "did you mean" in warning.message or "journals:" in warning.message


def test_an_unknown_journal_is_a_usage_error(case: Path, tmp_path: Path) -> None:
    result = run_cli("build", str(case), "--journal", "carre", cwd=tmp_path)
    assert result.returncode == 2
    assert "--journal: unknown journal 'carre'; did you mean 'care'?" in result.stderr
    assert not (tmp_path / "build").exists()


def test_journal_all_builds_every_journal_that_fits_and_prints_a_table(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "build",
        str(case),
        "--journal",
        "all",
        "--to",
        "html",
        "--templates",
        str(templates),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line}
    assert "care" in rows and "other" in rows
    assert "clin-exp-rheumatol" not in rows  # it publishes letters only
    assert rows["care"][1].endswith("/3000")  # words against the journal's limit
    for journal in ("care", "other"):
        built = tmp_path / "build" / "case" / journal / "letter.html"
        assert built.is_file()
    # each equals a build for that journal alone
    alone = tmp_path / "alone"
    build_with(case, alone, BuildOptions(("html",), templates, journal="other"))
    assert _html(alone) == _html(tmp_path / "build" / "case" / "other")


def test_journal_all_reports_a_journal_that_fails_and_exits_1(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    text = (case / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("  learning points:\n    - First point.\n    - Second point [@one].\n", "")
    (case / "case.yaml").write_text(text, encoding="utf-8")
    result = run_cli(
        "build",
        str(case),
        "--journal",
        "all",
        "--to",
        "html",
        "--templates",
        str(templates),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "other: not built" in result.stderr
    assert "Learning points" in result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line}
    assert rows["other"][4] == "1" and rows["care"][4] == "0"
    assert (tmp_path / "build" / "case" / "care" / "letter.html").is_file()
    assert not (tmp_path / "build" / "case" / "other").exists()


def test_a_rebuild_for_another_journal_equals_a_fresh_build(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    options = BuildOptions(("html",), templates, journal="other")
    session = Session(case, tmp_path / "live", options=options)
    session.build(("html",))
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(
        text.replace("A title for the other journal", "A new title"), encoding="utf-8"
    )
    session.build(("html",))
    build_with(case, tmp_path / "fresh", options)
    assert _html(tmp_path / "live") == _html(tmp_path / "fresh")
    assert "A new title" in _html(tmp_path / "live")


def test_journals_lists_the_profiles_with_their_article_types_and_limits(
    templates: Path, tmp_path: Path
) -> None:
    listed = run_cli("journals", "--templates", str(templates), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines() if not line.startswith(" ")]
    assert "care" in names and "clin-exp-rheumatol" in names and "other" in names
    assert "base" not in names
    assert (
        "    letter: 800 words (counting text, patient perspective and learning points), "
        "10 references" in listed.stdout
    )
    assert "Other Journal of Cases  (extends care)" in listed.stdout
    found = run_cli("journals", "rheumatology", cwd=tmp_path)
    assert [line for line in found.stdout.splitlines() if not line.startswith(" ")] == [
        "clin-exp-rheumatol  Clinical and Experimental Rheumatology"
    ]
    assert found.stderr.strip() == "1 journal"


def test_journal_all_writes_every_pdf_through_one_worker(
    case: Path, templates: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "build",
        str(case),
        "--journal",
        "all",
        "--to",
        "pdf",
        "--templates",
        str(templates),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    for journal in ("care", "other"):
        pdf = tmp_path / "build" / "case" / journal / "letter.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line}
    assert rows["care"][-1].isdigit() and rows["other"][-1].isdigit()  # pages
