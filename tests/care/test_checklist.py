"""The CARE checklist of the example cases: each item reported where the case reports it,
missing with what would satisfy it, or not applicable to the article type."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from casereport.articles import known_section
from casereport.build import check_case
from casereport.care import CareItem, care_checklist, where_lines
from casereport.care.evidence import FIELDS
from casereport.care.items import requirements
from casereport.checks import Checked
from tests.conftest import CASE_REPORT, DEMO, EXAMPLE, SMALL_CASE

SUB_ITEMS = {"3": "abc", "5": "abc", "8": "abcd", "9": "abc", "10": "abcd", "11": "abcd"}
CARE_NUMBERS = [f"{n}{s}" for n in map(str, range(1, 14)) for s in SUB_ITEMS.get(n, [""])]
STATEMENT_NUMBERS = [
    f"{n}{s}"
    for n in map(str, range(1, 14))
    for s in (SUB_ITEMS | {"3": "abcd", "5": "abcd"}).get(n, [""])
]


@cache
def _checked(folder: Path) -> Checked:
    return check_case(folder)


def _by_item(items: tuple[CareItem, ...]) -> dict[str, CareItem]:
    return {i.item: i for i in items}


def _with(items: tuple[CareItem, ...], status: str) -> set[str]:
    return {i.item for i in items if i.status == status}


def test_every_item_and_sub_item_in_both_numberings() -> None:
    checked = _checked(CASE_REPORT)
    assert [i.item for i in care_checklist(checked)] == CARE_NUMBERS
    statement = care_checklist(checked, "care-statement")
    assert [i.item for i in statement] == STATEMENT_NUMBERS
    # the guideline's 3b is care-statement.org's 3b and 3c, its 5c their 5c and 5d
    assert _by_item(care_checklist(checked))["3b"].other == "3b, 3c"
    assert _by_item(statement)["5d"].other == "5c"


def test_the_data_names_only_what_exists() -> None:
    """Every section id is a standard section, every field a finder, every text written."""
    for requirement in requirements():
        look = requirement.look
        assert all(known_section(s) for s in (*look.sections, *look.within)), requirement
        assert all(f in FIELDS for f in look.fields), requirement
        assert requirement.text and requirement.hint and requirement.name, requirement
        assert look.words is None or look.within, requirement


def test_the_full_case_report_is_nearly_all_reported() -> None:
    items = care_checklist(_checked(CASE_REPORT))
    assert _with(items, "missing") == {"8b", "8d"}
    assert _with(items, "not applicable") == set()
    missing = _by_item(items)
    assert "that nothing did" in missing["8b"].hint
    assert all(i.where for i in items if i.status == "reported")
    assert all(not i.hint for i in items if i.status == "reported")


def test_where_gives_the_place_and_its_line() -> None:
    checked = _checked(CASE_REPORT)
    items = _by_item(care_checklist(checked))
    lines = checked.source.text.splitlines()
    table = lines.index("  - id: timeline") + 1
    assert where_lines(items["7"], checked.source, file="case.yaml") == (
        f"Case presentation › Patient information (Table 1) (case.yaml:{table})",
    )
    adverse = where_lines(items["10d"], checked.source)[0]
    line = int(adverse.rpartition(":")[2].rstrip(")"))
    assert adverse.startswith("Case presentation › Follow-up and outcomes: “adverse”")
    assert "adverse effect" in lines[line - 1]
    assert items["13"].where[0].path == ("consent",)


def test_a_letter_has_no_abstract_or_key_words_and_misses_what_it_does_not_say() -> None:
    items = care_checklist(_checked(DEMO))
    assert _with(items, "not applicable") == {"2", "3a", "3b", "3c", "8b", "8d", "11a", "12"}
    assert _with(items, "missing") == {"7", "8c", "10c"}
    by_item = _by_item(items)
    assert "shows: timeline" in by_item["7"].hint
    assert by_item["10d"].status == "reported"  # "she reported no adverse events"
    assert by_item["10d"].where[0].label == "Text, paragraph 4: “adverse”"
    assert by_item["4"].where[0].label == "Text, paragraph 1"  # opens citing the literature


def test_the_example_letter_misses_case_report_in_its_title_and_its_adverse_events() -> None:
    items = _by_item(care_checklist(_checked(EXAMPLE)))
    assert items["1"].status == "missing"
    assert '"case report" in the title' in items["1"].hint
    assert items["10d"].status == "missing"
    assert items["10d"].hint == "state adverse events, or that there were none"
    assert items["7"].status == "reported"
    assert [p.label for p in items["7"].where] == [
        "Text, paragraph 2 (Table I)",  # the journal numbers tables in Roman
        "Text, paragraph 3 (Fig. 2)",  # the clinical-course chart
    ]


def test_without_its_timeline_the_timeline_item_is_missing(tmp_path: Path) -> None:
    case = tmp_path / "dress"
    shutil.copytree(CASE_REPORT, case)
    data = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    del data["timeline"]
    data["tables"] = [t for t in data["tables"] if t["shows"] != "timeline"]
    parts = data["sections"]["case presentation"]
    mention = r"\s*The course of events is summarised in\s+\[@tbl:timeline\]\."
    parts["patient information"] = re.sub(mention, "", parts["patient information"])
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (case / "case.yaml").write_text(text, encoding="utf-8")
    items = _by_item(care_checklist(check_case(case)))
    assert items["7"].status == "missing"
    assert items["7"].where == ()
    assert items["7"].hint.startswith("add `timeline:` (when, event) and a table that shows it")
    before = _by_item(care_checklist(_checked(CASE_REPORT)))
    changed = {n for n, item in items.items() if item.status != before[n].status}
    assert changed == {"7"}


def test_a_case_report_without_a_patient_perspective_misses_it(tmp_path: Path) -> None:
    case = tmp_path / "dress"
    shutil.copytree(CASE_REPORT, case)
    data = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    del data["sections"]["patient perspective"]
    (case / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    item = _by_item(care_checklist(check_case(case)))["12"]
    hint = next(r.hint for r in requirements() if r.care == "12")
    assert (item.status, item.hint) == ("missing", hint)


def test_an_unknown_numbering_is_refused() -> None:
    with pytest.raises(ValueError, match="care-statement"):
        care_checklist(_checked(CASE_REPORT), "scare")


@pytest.mark.parametrize(
    "journal",
    [
        "bmj-case-reports",
        "cureus",
        "american-journal-of-case-reports",
        "journal-of-medical-case-reports",
    ],
)
def test_the_case_report_for_another_journal(journal: str) -> None:
    """A plain abstract (BMJ Case Reports' summary, Cureus) reports every abstract item; a
    journal that forbids "case report" in titles has item 1 without it."""
    items = _by_item(care_checklist(check_case(CASE_REPORT, journal=journal)))
    assert {n for n, i in items.items() if i.status != "reported"} == {"8b", "8d"}
    if journal == "bmj-case-reports":
        assert items["1"].where[0].label.startswith("Title (without “case report”")
        assert [p.label for p in items["3a"].where] == ["Abstract"]


def test_a_clinical_image_is_asked_only_what_its_few_lines_hold(make_case: Any) -> None:
    case = make_case("journal: care\narticle: clinical-image\n" + SMALL_CASE)
    items = care_checklist(check_case(case))
    applicable = [i.item for i in items if i.status != "not applicable"]
    assert applicable == ["1", "5a", "5b", "6", "8c", "9a", "10a", "13"]
    by_item = _by_item(items)
    assert by_item["6"].where[0].label == "Text, paragraph 2 (Figure 1)"  # its photographs
    assert by_item["5a"].status == "missing"


def test_what_does_not_apply_says_why() -> None:
    items = _by_item(care_checklist(_checked(DEMO)))
    journal = "Clinical and Experimental Rheumatology"
    assert items["3a"].hint == f"{journal} prints no abstract in a letter"
    assert items["2"].hint == f"{journal} takes no key words in a letter"
    assert items["12"].hint.startswith("not asked of a letter, which has no room for it")
