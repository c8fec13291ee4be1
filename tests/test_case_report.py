"""Full case reports: sections in the journal's order, the abstract, keywords, figures placed
where first mentioned, declarations as the article type prints them, numbering in print order."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from casereport.build import build_case
from casereport.errors import CaseError
from tests.conftest import ROOT

CATALOGUE = ROOT / "tests" / "catalogue"
# Written out of the journal's order: the discussion first, the introduction last.
REPORT = """\
journal: care
article: case-report
title: A small test case report
running_title: Small report
authors:
  - {name: A. Author, degrees: [MD], affiliations: [x], orcid: 0000-0002-1825-0097}
  - {name: B. Writer, degrees: [PhD], affiliations: [y], corresponding: true, email: b@example.org}
affiliations:
  x: Department of Testing, Example University, Italy
  y: Institute of Samples, Example University, Italy
abstract:
  conclusions: What it shows.
  background: Why it matters.
  case presentation: What happened.
keywords: [case report, testing, software]
sections:
  discussion: |
    It agrees with the second paper [@two].
  case presentation:
    patient information: |
      A patient came.

      The figure shows it ([@fig:f]).
    diagnostic assessment: |
      Table [@tbl:labs] gives the values.
  skin biopsy: |
    A section the journal does not name, kept after the one written before it.
  introduction: |
    The first paper [@one].
  learning points:
    - First point.
    - Second point [@one].
competing_interests: none declared
consent: written
ethics: not required for a single case
contributions: {A. Author: [conceptualisation, writing - original draft], B. Writer: [Supervision]}
abbreviations: {DLE: discoid lupus erythematosus}
labs:
  - {name: Haemoglobin, value: 10.9, unit: g/dL, range: 12-16, at: baseline}
tables:
  - {id: labs, title: Laboratory values, shows: labs}
figures:
  - id: f
    title: A test figure.
    panels:
      - {image: a.jpg, timepoint: before treatment}
      - {image: b.jpg, timepoint: after treatment}
references:
  - {id: one, type: article-journal, title: The first reference,
     author: [{family: Smith, given: J.}], container-title-short: J Test,
     issued: {date-parts: [[2020]]}, volume: "1", page: 1-10}
  - {id: two, type: article-journal, title: The second reference,
     author: [{family: Jones, given: A.}], container-title-short: J Test,
     issued: {date-parts: [[2021]]}, volume: "2", page: "5"}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = tmp_path_factory.mktemp("report") / "case"
    case.mkdir()
    for image in ("a.jpg", "b.jpg"):
        shutil.copy(CATALOGUE / "_base" / image, case / image)
    (case / "case.yaml").write_text(REPORT, encoding="utf-8")
    out = case.parent / "out"
    result = build_case(case, out, formats=("html", "pdf", "json"))
    assert result.warnings == ()
    return out


def _order(html: str, *needles: str) -> list[int]:
    return [html.index(n) for n in needles]


def test_sections_print_in_the_journals_order_with_their_headings(built: Path) -> None:
    html = (built / "letter.html").read_text(encoding="utf-8")
    places = _order(
        html,
        "<h2>Introduction</h2>",
        "<h2>Case presentation</h2>",
        "<h3>Patient information</h3>",
        "<h3>Diagnostic assessment</h3>",
        "<h2>skin biopsy</h2>",
        "<h2>Discussion</h2>",
        "<h2>Learning points</h2>",
    )
    assert places == sorted(places)


def test_citations_are_numbered_in_printed_order(built: Path) -> None:
    html = (built / "letter.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)  # citations are linked: <a href="#ref-1">1</a>
    assert "The first paper (1)" in text[text.index("Introduction") :]
    assert "second paper (2)" in text


def test_the_abstract_has_the_journals_parts_in_its_order(built: Path) -> None:
    html = (built / "letter.html").read_text(encoding="utf-8")
    places = _order(
        html, "<h3>Background</h3>", "<h3>Case presentation</h3>", "<h3>Conclusions</h3>"
    )
    assert places == sorted(places)
    assert "case report; testing; software" in html


def test_figures_and_tables_follow_the_paragraph_that_first_mentions_them(built: Path) -> None:
    html = (built / "letter.html").read_text(encoding="utf-8")
    mention = html.index('<span class="figref">')
    figure = html.index('<figure id="fig-1"')
    assert mention < figure < html.index("<h3>Diagnostic assessment</h3>")
    assert html.index('<span class="tableref">') < html.index('<div id="table-labs"')


def test_declarations_as_the_article_type_prints_them(built: Path) -> None:
    data = json.loads((built / "manuscript.json").read_text(encoding="utf-8"))
    kinds = [d["kind"] for d in data["declarations"]]
    assert kinds == ["abbreviations", "ethics", "consent", "competing-interests", "contributions"]
    consent = data["declarations"][2]["text"]
    assert consent.startswith("Written informed consent was obtained from the patient")
    contributions = data["declarations"][4]["text"]
    assert contributions == (
        "A. Author: Conceptualization, Writing – original draft. B. Writer: Supervision."
    )


def test_the_manuscript_json_of_a_case_report_validates(built: Path) -> None:
    schema = ROOT / "casereport" / "schemas" / "manuscript.schema.json"
    checker = Path(sys.executable).with_name("check-jsonschema")
    command = [str(checker), "--schemafile", str(schema), str(built / "manuscript.json")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def test_the_pdf_has_the_report(built: Path) -> None:
    text = "".join(page.extract_text() for page in PdfReader(built / "letter.pdf").pages)
    for words in ("A small test case report", "Abstract", "Learning points", "References"):
        assert words in text


def test_a_declaration_the_letter_does_not_print_is_a_warning(
    make_case: object, tmp_path: Path
) -> None:
    source = (CATALOGUE / "schema-bad-article" / "case.yaml").read_text(encoding="utf-8")
    case = tmp_path / "case"
    case.mkdir()
    for image in ("a.jpg", "b.jpg"):
        shutil.copy(CATALOGUE / "_base" / image, case / image)
    text = source.replace("article: review\n", "ethics: approved by the board\n")
    (case / "case.yaml").write_text(text, encoding="utf-8")
    result = build_case(case, tmp_path / "out", formats=("html",))
    messages = [d.message for d in result.warnings]
    assert (
        "Clinical and Experimental Rheumatology prints no ethics statement in a letter: "
        "it would be left out"
    ) in messages


def _report_folder(tmp_path: Path, text: str) -> Path:
    case = tmp_path / "case"
    case.mkdir()
    for image in ("a.jpg", "b.jpg"):
        shutil.copy(CATALOGUE / "_base" / image, case / image)
    (case / "case.yaml").write_text(text, encoding="utf-8")
    return case


def test_a_case_series_presents_each_patient(tmp_path: Path) -> None:
    text = REPORT.replace("article: case-report", "article: case-series").replace(
        "  case presentation: What happened.", "  case presentations: What happened."
    )
    text = text.replace("    patient information: |", "    patient 1: |").replace(
        "    diagnostic assessment: |", "    patient 2: |"
    )
    out = tmp_path / "out"
    build_case(_report_folder(tmp_path, text), out, formats=("html",))
    html = (out / "letter.html").read_text(encoding="utf-8")
    assert '<p class="kind">Case series</p>' in html
    assert "<h2>Case presentations</h2>" in html
    assert html.index("<h3>patient 1</h3>") < html.index("<h3>patient 2</h3>")


def test_a_clinical_image_prints_its_figure_before_its_text(tmp_path: Path) -> None:
    text = "\n".join(
        line
        for line in REPORT.split("\n")
        if not line.startswith(("tables:", "  - {id: labs", "labs:", "  - {name: Haem"))
    )
    start, end = text.index("abstract:"), text.index("competing_interests:")
    text = (
        text[:start]
        + "body: |\n  The image ([@fig:f]) and its reading [@one; @two].\n"
        + text[end:]
    )
    text = text.replace("article: case-report", "article: clinical-image")
    text = text.replace("ethics: not required for a single case\n", "")
    text = text.replace("abbreviations: {DLE: discoid lupus erythematosus}\n", "")
    text = text.replace(
        "contributions: {A. Author: [conceptualisation, writing - original draft], "
        "B. Writer: [Supervision]}\n",
        "",
    )
    out = tmp_path / "out"
    result = build_case(_report_folder(tmp_path, text), out, formats=("html",))
    assert result.warnings == ()
    html = (out / "letter.html").read_text(encoding="utf-8")
    assert '<p class="kind">Clinical image</p>' in html
    assert html.index('<figure id="fig-1"') < html.index("The image")


def test_the_readme_example_builds(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\njournal: care\narticle: case-report")
    example = readme[start + len("```yaml\n") : readme.index("```", start + 8)]
    case = tmp_path / "case"
    case.mkdir()
    shutil.copy(CATALOGUE / "_base" / "a.jpg", case / "trunk.jpg")
    (case / "case.yaml").write_text(example, encoding="utf-8")
    result = build_case(case, tmp_path / "out", formats=("html",))
    assert (tmp_path / "out" / "letter.html").is_file()
    assert [d.message for d in result.warnings if "too small" not in d.message] == []


def test_an_unmentioned_table_is_printed_in_the_section_it_names(tmp_path: Path) -> None:
    text = REPORT.replace(
        "tables:\n",
        "timeline:\n  - {when: baseline, event: admitted}\n"
        "tables:\n  - {id: course, title: Timeline, shows: timeline, section: discussion}\n",
    )
    out = tmp_path / "out"
    result = build_case(_report_folder(tmp_path, text), out, formats=("html",))
    assert any("never mentioned" in d.message for d in result.warnings)
    html = (out / "letter.html").read_text(encoding="utf-8")
    table = html.index('<div id="table-course"')
    assert html.index("<h2>Discussion</h2>") < table < html.index("<h2>Learning points</h2>")


def test_an_unmentioned_figure_is_never_left_out(tmp_path: Path) -> None:
    text = REPORT.replace("The figure shows it ([@fig:f]).", "The figure is not cited.")
    out = tmp_path / "out"
    result = build_case(_report_folder(tmp_path, text), out, formats=("html",))
    assert any("figure 'f' is never mentioned" in d.message for d in result.warnings)
    html = (out / "letter.html").read_text(encoding="utf-8")
    assert html.index("<h2>Learning points</h2>") < html.index('<figure id="fig-1"')


def _profile(root: Path, articles: str) -> Path:
    """A journal profile of one's own: the care templates, its own sections."""
    folder = root / "templates" / "strict-journal"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text(
        f"name: Strict Journal\nstyle: nlm-citation-sequence\narticles:\n{articles}",
        encoding="utf-8",
    )
    template = '{% extends "!builtin/care/case-report.html.j2" %}'
    (folder / "case-report.html.j2").write_text(template, encoding="utf-8")
    shutil.copy(ROOT / "templates" / "care" / "style.css", folder / "style.css")
    return root / "templates"


STRICT = """\
  case-report:
    other_sections: false
    sections:
      introduction: {heading: Background}
      case presentation: {heading: Case report, required: true}
      discussion: {heading: Discussion}
      conclusion: {heading: Conclusion}
    declarations: {consent: Consent, competing-interests: Conflicts of interest}
"""


def test_a_journal_renames_reorders_and_forbids_sections(tmp_path: Path) -> None:
    templates = _profile(tmp_path, STRICT)
    text = REPORT.replace("journal: care", "journal: strict-journal")
    case = _report_folder(tmp_path, text)
    with pytest.raises(CaseError) as raised:
        build_case(case, tmp_path / "out", formats=("html",), templates=templates)
    messages = [d.message for d in raised.value.diagnostics]
    assert messages == [
        "Strict Journal prints no section 'skin biopsy' in a case report (its sections: "
        "Background, Case report, Discussion, Conclusion)",
        "Strict Journal prints no section 'learning points' in a case report (its sections: "
        "Background, Case report, Discussion, Conclusion)",
    ]
    start, end = text.index("  skin biopsy: |"), text.index("  introduction: |")
    text = text[:start] + text[end:]
    text = text[: text.index("  learning points:")] + text[text.index("competing_interests:") :]
    (case / "case.yaml").write_text(text, encoding="utf-8")
    result = build_case(case, tmp_path / "out", formats=("html",), templates=templates)
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    places = _order(html, "<h2>Background</h2>", "<h2>Case report</h2>", "<h2>Discussion</h2>")
    assert places == sorted(places)
    assert "<h3>Conflicts of interest</h3>" in html
    left_out = [d.message for d in result.warnings if "would be left out" in d.message]
    assert len(left_out) == 4  # abstract, ethics, contributions, abbreviations: never silently


def test_abbreviations_are_gathered_from_the_text_when_the_case_lists_none(
    tmp_path: Path,
) -> None:
    text = REPORT.replace("abbreviations: {DLE: discoid lupus erythematosus}\n", "")
    text = text.replace(
        "    A patient came.", "    A patient with discoid lupus erythematosus (DLE) came."
    )
    out = tmp_path / "out"
    build_case(_report_folder(tmp_path, text), out, formats=("json",))
    data = json.loads((out / "manuscript.json").read_text(encoding="utf-8"))
    listed = [d["text"] for d in data["declarations"] if d["kind"] == "abbreviations"]
    assert listed == ["DLE, discoid lupus erythematosus."]
