"""A journal's limits and its own counting rules: the profile's `limits:` read strictly,
words counted part by part as each journal counts them, and one warning per exceeded limit
at its field, naming the journal, the limit and the count (errors under `--strict`)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from casereport.build import build_case, check_case
from casereport.checks import Checked, check_limits
from casereport.errors import BuildError, PathKey
from casereport.journal import builtin_templates, load_journal, search_path
from casereport.journal_limits import (
    COUNT_PARTS,
    DEFAULT_COUNT,
    Limits,
    count_words,
    counting_rule,
    parse_limits,
    reference_words,
    title_phrase,
    words_in,
)
from tests.conftest import CASE_REPORT, DEMO, run_cli

FULL = """\
limits:
  case-report:
    words: 2000
    words_exclude: [abstract, references]
    abstract_words: 150
    references: 30
    figures: 6
    tables: 3
    figures_and_tables: 8
    authors: 4
    learning_points: {min: 3, max: 5}
    title_words: 20
    title_chars: 160
    running_title_chars: 50
    title_forbidden: [case report, rare case, first case, "!"]
    title_required: [case report]
    section_words: {introduction: 500, Case Presentation: 800, discussion: 1000}
  letter: {words: 800, words_include: [text, legends, tables]}
  clinical-image:
"""


# Reading a profile's limits -----------------------------------------------------------------


def test_every_key_is_read() -> None:
    limits = parse_limits(yaml.safe_load(FULL)["limits"])
    assert limits["case-report"] == Limits(
        words=2000,
        count=frozenset(COUNT_PARTS) - {"abstract", "references"},
        abstract_words=150,
        references=30,
        figures=6,
        tables=3,
        figures_and_tables=8,
        authors=4,
        learning_points=(3, 5),
        title_chars=160,
        title_words=20,
        running_title_chars=50,
        title_forbidden=("case report", "rare case", "first case", "!"),
        title_required=("case report",),
        section_words={"introduction": 500, "case-presentation": 800, "discussion": 1000},
    )
    assert limits["letter"].count == {"text", "legends", "tables"}
    assert limits["clinical-image"] == Limits()
    assert Limits().count == DEFAULT_COUNT == {"text", "patient-perspective", "learning-points"}


def test_how_words_are_counted_reads_as_a_journal_says_it() -> None:
    assert counting_rule(frozenset(COUNT_PARTS) - {"abstract", "references"}) == (
        "excluding abstract and references"
    )
    assert counting_rule(DEFAULT_COUNT) == "counting text, patient perspective and learning points"
    assert counting_rule(frozenset({"text"})) == "counting text"
    assert counting_rule(frozenset(COUNT_PARTS)) == "counting everything"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["case-report"], "expected a mapping of article types, not list"),
        ({"case-reprot": {}}, "'case-reprot' is not an article type; did you mean 'case-report'?"),
        ({"letter": [800]}, "letter: expected a mapping of limits, not list [800]"),
        ({"letter": {"word": 800}}, "letter: unknown limit 'word'; did you mean 'words'?"),
        ({"letter": {"pages": 2}}, "letter: unknown limit 'pages'"),
        ({"letter": {"words": "800"}}, "letter: words: expected a whole number of 0 or more"),
        ({"letter": {"words": True}}, "letter: words: expected a whole number"),
        ({"letter": {"references": -1}}, "letter: references: expected a whole number"),
        ({"letter": {"title_chars": 1.5}}, "letter: title_chars: expected a whole number"),
        (
            {"letter": {"words_exclude": ["abstract", "refrences"]}},
            "letter: words_exclude: 'refrences' is not a part words are counted in; "
            "did you mean 'references'?",
        ),
        (
            {"letter": {"words_include": ["bibliography"]}},
            "letter: words_include: 'bibliography' is not a part words are counted in (text, "
            "patient-perspective, learning-points, abstract, title, legends, tables, "
            "declarations, references)",
        ),
        ({"letter": {"words_exclude": "abstract"}}, "letter: words_exclude: expected a list"),
        ({"letter": {"words_include": []}}, "letter: words_include: name at least one part"),
        ({2020: {}}, "2020 is not an article type"),
        (
            {"letter": {"words_include": ["text"], "words_exclude": ["abstract"]}},
            "letter: words_include and words_exclude: give one of them, not both",
        ),
        ({"letter": {"learning_points": 3}}, "letter: learning_points: expected {min: N, max: N}"),
        ({"letter": {"learning_points": {"mn": 3}}}, "letter: learning_points: expected {min"),
        ({"letter": {"learning_points": {"min": "3"}}}, "letter: learning_points: min: expected"),
        (
            {"letter": {"learning_points": {"min": 5, "max": 3}}},
            "letter: learning_points: min 5 is more than max 3",
        ),
        (
            {"letter": {"title_forbidden": "case report"}},
            "letter: title_forbidden: expected a list",
        ),
        ({"letter": {"title_required": [" "]}}, "letter: title_required: an empty phrase"),
        ({"letter": {"section_words": ["intro"]}}, "letter: section_words: expected section name"),
        (
            {"letter": {"section_words": {"introduction": 500, "background": 400}}},
            "letter: section_words: 'background' names a section given already",
        ),
        (
            {"letter": {"section_words": {"introduction": "500"}}},
            "letter: section_words: introduction: expected a whole number",
        ),
    ],
)
def test_a_typo_or_a_wrong_type_is_an_error_naming_it(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_limits(data)


def test_a_bad_profile_is_a_build_error_naming_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "journal.yaml").write_text(
        "name: Typo\nlimits:\n  letter: {words: 800, words_exclude: [abstrct]}\n", encoding="utf-8"
    )
    with pytest.raises(BuildError) as raised:
        load_journal("typo", search_path(tmp_path))
    assert str(raised.value) == (
        f"{folder / 'journal.yaml'}: limits: letter: words_exclude: 'abstrct' is not a part "
        "words are counted in; did you mean 'abstract'?"
    )


def test_the_built_in_profiles_keep_their_limits() -> None:
    path = (builtin_templates(),)
    care = load_journal("care", path)
    assert care.limits_for("case-report") == Limits(
        words=3000, references=30, title_required=("case report",)
    )
    assert care.limits_for("clinical-image") == Limits(words=500, references=5, figures=1)
    letters = load_journal("clin-exp-rheumatol", path)
    assert letters.limits_for("letter") == Limits(words=800, references=10, figures=2, authors=5)
    assert letters.limits_for("case-report") == Limits()


# Counting -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Checked:
    return check_case(CASE_REPORT, offline=True)


def _copy(tmp_path: Path, edit: tuple[str, str] = ("", "")) -> Path:
    """A copy of the example case report, one piece of its text replaced."""
    case = tmp_path / "case"
    shutil.copytree(CASE_REPORT, case)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    (case / "case.yaml").write_text(text.replace(*edit, 1), encoding="utf-8")
    return case


def _parts(case: Path) -> dict[str, int]:
    checked = check_case(case, offline=True)
    rules = checked.journal.article("case-report")
    return count_words(checked.resolved, Limits(), rules=rules).parts


def test_by_default_the_text_counts_as_before(report: Checked) -> None:
    counted = count_words(report.resolved, Limits(), rules=report.journal.article("case-report"))
    assert counted.total == report.resolved.words == 1778
    assert counted.parts["patient-perspective"] > 0 and counted.parts["learning-points"] > 0
    text = counted.parts["text"] + counted.parts["patient-perspective"]
    assert text + counted.parts["learning-points"] == counted.total


@pytest.mark.parametrize("part", COUNT_PARTS)
def test_each_part_counts_when_the_journal_counts_it(report: Checked, part: str) -> None:
    rules = report.journal.article("case-report")
    alone = count_words(report.resolved, Limits(count=frozenset({part})), rules=rules)
    assert alone.total == alone.parts[part] > 0
    every = frozenset(COUNT_PARTS)
    without = count_words(report.resolved, Limits(count=every - {part}), rules=rules)
    assert without.total == sum(alone.parts.values()) - alone.parts[part]


def test_legends_are_the_figures_titles_and_legends(report: Checked) -> None:
    parts = count_words(report.resolved, Limits()).parts
    figures = report.resolved.figures
    assert parts["legends"] == sum(words_in(f.figure.title) + f.legend.words for f in figures)


@pytest.mark.parametrize(
    ("part", "edit", "added"),
    [
        (
            "legends",
            ("title: The eruption and", "title: Four more words, the eruption and"),
            3,
        ),
        (
            "tables",
            ("note: Usual creatinine before", "note: Three words more. Usual creatinine before"),
            3,
        ),
        ("declarations", ("acknowledgements: None.", "acknowledgements: We thank the ward."), 3),
        ("title", ("a synthetic case report", "a synthetic and instructive case report"), 2),
    ],
)
def test_an_edit_changes_the_count_of_its_part_only(
    tmp_path: Path, report: Checked, part: str, edit: tuple[str, str], added: int
) -> None:
    before = count_words(report.resolved, Limits(), rules=report.journal.article("case-report"))
    after = _parts(_copy(tmp_path, edit))
    assert after[part] == before.parts[part] + added
    assert {k: v for k, v in after.items() if k != part} == {
        k: v for k, v in before.parts.items() if k != part
    }


def test_declarations_count_what_the_journal_prints(tmp_path: Path) -> None:
    """`consent: written` counts the journal's own consent sentence; a statement the
    article type does not print counts nothing."""
    parts = _parts(_copy(tmp_path))
    case = tmp_path / "case"
    text = (case / "case.yaml").read_text(encoding="utf-8")
    start = text.index("consent: >-")
    end = text.index("ethics: >-")
    (case / "case.yaml").write_text(text[:start] + "consent: written\n" + text[end:])
    consent_sentence = load_journal("care", (builtin_templates(),)).article("case-report").consent
    assert consent_sentence is not None
    written = _parts(case)
    old_consent = words_in(" ".join(text[start:end].split()[2:]))
    assert written["declarations"] == (
        parts["declarations"] - old_consent + words_in(consent_sentence)
    )


def test_the_reference_list_counts_its_printed_text_or_an_estimate(
    tmp_path: Path, report: Checked
) -> None:
    given = count_words(report.resolved, Limits(), references=["One two (2020).", "Three."])
    assert given.parts["references"] == 4
    build_case(CASE_REPORT, tmp_path / "out", formats=("json",))
    manuscript = json.loads((tmp_path / "out" / "manuscript.json").read_text(encoding="utf-8"))
    printed = [entry["text"] for entry in manuscript["references"]["entries"]]
    exact = count_words(report.resolved, Limits(), references=printed).parts["references"]
    estimate = count_words(report.resolved, Limits()).parts["references"]
    assert estimate == sum(reference_words(r) for r in report.resolved.references)
    assert abs(estimate - exact) <= exact * 0.1


def test_title_phrases_are_whole_words_in_any_case() -> None:
    assert title_phrase("A Case Report of DRESS", "case report")
    assert title_phrase("A rare\n case of DRESS", "rare case")
    assert not title_phrase("Rare cases of DRESS", "rare case")
    assert not title_phrase("A showcase report", "case report")
    assert title_phrase("DRESS again!", "!")
    assert not title_phrase("DRESS again", "!")


# Warnings -----------------------------------------------------------------------------------

JOURNAL = "CARE case report"


def _warnings(checked: Checked, **limits: Any) -> list[tuple[PathKey, str]]:
    journal = replace(checked.journal, limits={checked.case.article: Limits(**limits)})
    found = list(check_limits(checked.resolved, journal))
    assert all(p.severity == "warning" for p in found)
    return [(p.path, p.message) for p in found]


@pytest.mark.parametrize(
    ("limits", "path", "message"),
    [
        (
            {"words": 1000},
            ("sections",),
            "1778 words (counting text, patient perspective and learning points); "
            f"{JOURNAL} allows 1000 in a case report",
        ),
        (
            {"words": 2000, "count": frozenset(COUNT_PARTS) - {"abstract", "references"}},
            ("sections",),
            f"2338 words (excluding abstract and references); {JOURNAL} allows 2000 in a "
            "case report",
        ),
        (
            {"section_words": {"introduction": 100}},
            ("sections", "introduction"),
            f"208 words in the section 'introduction'; {JOURNAL} allows 100 in that section "
            "of a case report",
        ),
        (
            {"section_words": {"patient-information": 50}},
            ("sections", "case presentation", "patient information"),
            f"169 words in the section 'patient information'; {JOURNAL} allows 50 in that "
            "section of a case report",
        ),
        (
            {"abstract_words": 150},
            ("abstract",),
            f"207 words in the abstract; {JOURNAL} allows 150 in the abstract of a case report",
        ),
        (
            {"title_chars": 100},
            ("title",),
            f"154 characters in the title; {JOURNAL} allows 100 in the title of a case report",
        ),
        (
            {"title_words": 20},
            ("title",),
            f"22 words in the title; {JOURNAL} allows 20 in the title of a case report",
        ),
        (
            {"running_title_chars": 20},
            ("running_title",),
            f"23 characters in the running title; {JOURNAL} allows 20 in the running title of "
            "a case report",
        ),
        (
            {"title_forbidden": ("rare case", "case report", "!")},
            ("title",),
            f'the title contains "case report", which {JOURNAL} does not allow in a title',
        ),
        (
            {"title_required": ("DRESS", "allopurinol")},
            ("title",),
            f'{JOURNAL} asks for "DRESS" in the title',
        ),
        ({"figures": 1}, ("figures",), f"2 figures; {JOURNAL} allows 1 in a case report"),
        ({"tables": 1}, ("tables",), f"2 tables; {JOURNAL} allows 1 in a case report"),
        (
            {"figures_and_tables": 3},
            ("figures",),
            f"4 figures and tables (2 figures, 2 tables); {JOURNAL} allows 3 in a case report",
        ),
        ({"authors": 2}, ("authors",), f"3 authors; {JOURNAL} allows 2 in a case report"),
        (
            {"learning_points": (3, 4)},
            ("sections", "learning points"),
            f"5 learning points; {JOURNAL} allows 4 in a case report",
        ),
        (
            {"learning_points": (6, None)},
            ("sections", "learning points"),
            f"5 learning points; {JOURNAL} asks for at least 6 in a case report",
        ),
        ({"references": 5}, ("references",), f"7 references; {JOURNAL} allows 5 in a case report"),
    ],
)
def test_each_exceeded_limit_is_one_warning_at_its_field(
    report: Checked, limits: dict[str, Any], path: PathKey, message: str
) -> None:
    assert _warnings(report, **limits) == [(path, message)]


def test_a_count_at_its_limit_is_no_warning(report: Checked) -> None:
    at_the_limit = _warnings(
        report,
        words=1778,
        abstract_words=207,
        title_chars=154,
        title_words=22,
        running_title_chars=23,
        figures=2,
        tables=2,
        figures_and_tables=4,
        authors=3,
        learning_points=(5, 5),
        references=7,
        section_words={"introduction": 208},
        title_forbidden=("rare case", "first case", "!"),
        title_required=("case report",),
    )
    assert at_the_limit == []


def test_the_article_types_abstract_words_apply_without_a_limit_of_their_own(
    report: Checked,
) -> None:
    rules = report.journal.articles["case-report"]
    shorter = replace(rules, abstract=replace(rules.abstract, words=200))
    journal = replace(report.journal, articles={"case-report": shorter})
    found = [(p.path, p.message) for p in check_limits(report.resolved, journal)]
    message = f"207 words in the abstract; {JOURNAL} allows 200 in the abstract of a case report"
    assert found == [(("abstract",), message)]


def test_no_learning_points_where_the_journal_asks_for_them(tmp_path: Path) -> None:
    case = _copy(tmp_path, ("  learning points:\n", "  take-home notes:\n"))
    checked = check_case(case, offline=True)
    found = _warnings(checked, learning_points=(3, 5))
    assert found == [
        (("sections",), f"no learning points; {JOURNAL} asks for at least 3 in a case report")
    ]


def test_a_letter_warns_at_its_body_and_bibliography() -> None:
    letter = check_case(DEMO, offline=True)
    name = "Clinical and Experimental Rheumatology"
    found = _warnings(letter, words=400, references=3)
    assert found == [
        (
            ("body",),
            f"436 words (counting text, patient perspective and learning points); {name} "
            "allows 400 in a letter",
        ),
        (("bibliography",), f"7 references; {name} allows 3 in a letter"),
    ]


# Through the command line -------------------------------------------------------------------

TIGHT = """\
limits:
  case-report:
    words: 1000
    words_exclude: [abstract, references]
    abstract_words: 150
    references: 5
    figures_and_tables: 3
    authors: 2
    learning_points: {min: 3, max: 4}
    title_chars: 100
    running_title_chars: 20
    title_forbidden: [case report, rare case, first case, "!"]
    section_words: {discussion: 300}
"""


def _tight(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example case report for a journal of tight limits: a full profile
    copied from the built-in CARE one, its limits replaced."""
    templates = tmp_path / "templates"
    (templates / "tight").mkdir(parents=True)
    care = (builtin_templates() / "care" / "journal.yaml").read_text(encoding="utf-8")
    profile = care[: care.index("\nlimits:")].replace("name: CARE case report", "name: Tight")
    (templates / "tight" / "journal.yaml").write_text(profile + "\n" + TIGHT, encoding="utf-8")
    case = _copy(tmp_path, ("journal: care\n", "journal: tight\n"))
    return case, templates


def test_validate_prints_each_exceeded_limit_at_its_line_and_strict_fails(
    tmp_path: Path,
) -> None:
    case, templates = _tight(tmp_path)
    file = case / "case.yaml"
    done = run_cli("validate", str(case), "--templates", str(templates))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{file}: valid (10 warnings)"
    expected = [
        f"{file}:75:3: warning: sections: 2338 words (excluding abstract and references); "
        "Tight allows 1000 in a case report",
        f"{file}:182:15: warning: sections.discussion: 403 words in the section 'discussion'; "
        "Tight allows 300 in that section of a case report",
        f"{file}:46:3: warning: abstract: 207 words in the abstract; Tight allows 150 in the "
        "abstract of a case report",
        f"{file}:14:8: warning: title: 154 characters in the title; Tight allows 100 in the "
        "title of a case report",
        f"{file}:17:16: warning: running_title: 23 characters in the running title; Tight "
        "allows 20 in the running title of a case report",
        f'{file}:14:8: warning: title: the title contains "case report", which Tight does not '
        "allow in a title",
        f"{file}:360:3: warning: figures: 4 figures and tables (2 figures, 2 tables); Tight "
        "allows 3 in a case report",
        f"{file}:20:3: warning: authors: 3 authors; Tight allows 2 in a case report",
        f"{file}:224:5: warning: sections.learning points: 5 learning points; Tight allows 4 "
        "in a case report",
        f"{file}:420:3: warning: references: 7 references; Tight allows 5 in a case report",
    ]
    assert done.stderr.splitlines() == expected
    strict = run_cli("validate", str(case), "--templates", str(templates), "--strict")
    assert strict.returncode == 1
    errors = [line.replace(": warning: ", ": error: ", 1) for line in expected]
    assert strict.stderr.splitlines() == [*errors, "10 errors; nothing was written."]
