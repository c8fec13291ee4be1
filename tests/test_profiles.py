"""Every built-in journal profile: it loads (with what it inherits), its reference style is
in the CSL collection, and each article type it publishes builds the matching example case
with exactly the errors and warnings the journal's own rules imply."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport.build import build_case
from casereport.errors import CaseError
from casereport.journal import available_journals, load_journal, search_path
from casereport.references.styles import find_style, styles_dir
from tests.conftest import CASE_REPORT, DEMO, EXAMPLE, ROOT
from tests.test_case_report import CATALOGUE, REPORT

BUILTIN = search_path()
PROFILES = available_journals(BUILTIN)
# The article types each built-in profile publishes.
PUBLISHES = {
    "american-journal-of-case-reports": ("case-report",),
    "bmj-case-reports": ("case-report", "clinical-image"),
    "care": ("case-report", "case-series", "clinical-image"),
    "clin-exp-rheumatol": ("letter",),
    "cureus": ("case-report",),
    "journal-of-medical-case-reports": ("case-report", "case-series"),
}


def test_the_built_in_profiles() -> None:
    assert sorted(PUBLISHES) == PROFILES


@pytest.mark.parametrize("name", PROFILES)
def test_a_profile_loads_and_names_its_source(name: str) -> None:
    journal = load_journal(name, BUILTIN)
    assert journal.publishes == PUBLISHES[name]
    assert journal.lineage[-1] == "base"
    assert journal.short_name
    assert journal.source is not None and journal.source.startswith("https://")


@pytest.mark.parametrize("name", PROFILES)
def test_a_profiles_style_is_in_the_collection(name: str) -> None:
    journal = load_journal(name, BUILTIN)
    if journal.style is None:  # a style file of its own (CER's style.csl)
        assert journal.csl_path.is_file()
        return
    choice = find_style(journal.style, journal.folder)
    collection = styles_dir()
    assert collection is not None and choice.path.is_relative_to(collection)


# The example case of each article type: the folder to copy, and the case file's text.
def _case_report() -> tuple[Path, str]:
    """The example case report as written for its own journal: without what it writes for
    other journals (`journals:`), which `test_retarget` and the goldens cover."""
    text = (CASE_REPORT / "case.yaml").read_text(encoding="utf-8")
    start = text.index("\njournals:\n")
    end = re.search(r"\n[a-z_]+:", text[start + 1 :])
    assert end is not None
    return CASE_REPORT, text[:start] + text[start + 1 + end.start() :]


def _case_series() -> tuple[Path, str]:
    """test_case_report's small report as two patients."""
    text = REPORT.replace("article: case-report", "article: case-series")
    text = text.replace("  case presentation: What", "  case presentations: What")
    text = text.replace("    patient information: |", "    patient 1: |")
    return CATALOGUE / "_base", text.replace("    diagnostic assessment: |", "    patient 2: |")


def _clinical_image() -> tuple[Path, str]:
    """test_case_report's small report as one figure and a short text."""
    dropped = ("tables:", "  - {id: labs", "labs:", "  - {name: Haem", "ethics:", "abbreviations:")
    lines = [line for line in REPORT.split("\n") if not line.startswith((*dropped, "contrib"))]
    text = "\n".join(lines)
    start, end = text.index("abstract:"), text.index("competing_interests:")
    body = "body: |\n  The image ([@fig:f]) and its reading [@one; @two].\n"
    text = text[:start] + body + text[end:]
    return CATALOGUE / "_base", text.replace("article: case-report", "article: clinical-image")


def _letter() -> tuple[Path, str]:
    return DEMO, (DEMO / "case.yaml").read_text(encoding="utf-8")


EXAMPLES: dict[str, Callable[[], tuple[Path, str]]] = {
    "case-report": _case_report,
    "case-series": _case_series,
    "clinical-image": _clinical_image,
    "letter": _letter,
}


def _plain_abstract(text: str) -> str:
    """The case's structured abstract as one paragraph (journals with unstructured ones)."""
    start, end = text.index("\nabstract:\n") + 1, text.index("\nkeywords:")
    lines = text[start:end].splitlines()
    words = " ".join(line.strip() for line in lines if line.startswith("    "))
    return text[:start] + f"abstract: |\n  {words}\n" + text[end:]


def _without_conclusion(text: str) -> str:
    start, end = text.index("  conclusion: |\n"), text.index("  learning points:\n")
    return text[:start] + text[end:]


TITLE = 'the title contains "case report", which BMJ Case Reports does not allow in a title'
# (profile, article type) → the errors the example case has under the journal's rules, how
# to rewrite it for the journal, and the warnings it then builds with. Every other
# combination builds its example as written, without errors or warnings.
RULES: dict[tuple[str, str], tuple[list[str], Callable[[str], str], list[str]]] = {
    ("bmj-case-reports", "case-report"): (
        [
            "BMJ Case Reports prints no section 'conclusion' in a case report (its sections: "
            "Background, Case presentation, Investigations, Differential diagnosis, Treatment, "
            "Outcome and follow-up, Discussion, Learning points, Patient's perspective); "
            "did you mean 'Discussion'?",
            "BMJ Case Reports asks for an abstract without parts in a case report",
        ],
        lambda text: _plain_abstract(_without_conclusion(text)),
        # BMJ counts everything but the abstract and the references: legends and tables too.
        [
            "2295 words (excluding abstract and references); BMJ Case Reports allows 2000 in "
            "a case report",
            "207 words in the abstract; BMJ Case Reports allows 150 in the abstract of a case "
            "report",
            TITLE,
        ],
    ),
    ("cureus", "case-report"): (
        ["Cureus asks for an abstract without parts in a case report"],
        _plain_abstract,
        [],
    ),
}


def _folder(tmp_path: Path, journal: str, article: str, edit: Callable[[str], str]) -> Path:
    source, text = EXAMPLES[article]()
    case = tmp_path / f"{journal}-{article}"
    shutil.copytree(source, case, ignore=shutil.ignore_patterns("case.yaml", "*.lock.json"))
    text = re.sub(r"(?m)^journal: .*$", f"journal: {journal}", text, count=1)
    (case / "case.yaml").write_text(edit(text), encoding="utf-8")
    return case


def _messages(diagnostics: object) -> list[str]:
    return [d.message for d in diagnostics]  # type: ignore[attr-defined]


PUBLISHED = [(name, article) for name, articles in PUBLISHES.items() for article in articles]


@pytest.mark.parametrize(("name", "article"), PUBLISHED)
def test_each_article_type_builds_its_example(tmp_path: Path, name: str, article: str) -> None:
    errors, rewrite, warnings = RULES.get((name, article), ([], lambda text: text, []))
    case = _folder(tmp_path, name, article, lambda text: text)
    if errors:
        with pytest.raises(CaseError) as raised:
            build_case(case, tmp_path / "out", formats=("html",))
        assert _messages(raised.value.diagnostics) == errors
        shutil.rmtree(case)
        case = _folder(tmp_path, name, article, rewrite)
    result = build_case(case, tmp_path / "out", formats=("html",))
    assert _messages(result.warnings) == warnings
    assert (tmp_path / "out" / "letter.html").is_file()


def test_the_letters_example_with_histology_builds_for_its_journal(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    result = build_case(case, tmp_path / "out", formats=("html",))
    assert _messages(result.warnings) == []


def test_bmj_case_reports_requires_learning_points_and_prints_a_summary(tmp_path: Path) -> None:
    def rewrite(text: str) -> str:
        return _plain_abstract(_without_conclusion(text))

    case = _folder(tmp_path, "bmj-case-reports", "case-report", rewrite)
    build_case(case, tmp_path / "out", formats=("html",))
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert "<h2>Summary</h2>" in html and "<h2>Abstract</h2>" not in html
    assert html.index("<h2>Background</h2>") < html.index("<h2>Learning points</h2>")
    assert "Figure\u00a01" in html or "<b>Figure 1</b>" in html
    text = (case / "case.yaml").read_text(encoding="utf-8")
    start, end = text.index("  learning points:\n"), text.index("  patient perspective:")
    (case / "case.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CaseError) as raised:
        build_case(case, tmp_path / "out", formats=("html",))
    assert _messages(raised.value.diagnostics) == [
        "BMJ Case Reports requires a section 'Learning points' in a case report"
    ]


def test_the_readme_shows_the_cureus_profile_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    profile = (ROOT / "templates" / "cureus" / "journal.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{profile}```" in readme
