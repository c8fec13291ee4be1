"""Tables from structured data: scores, laboratory values with flags, the CARE timeline."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import build_case, check_case
from casereport.clinical.tables import table_views
from casereport.errors import CaseError
from casereport.prose import roman
from tests.conftest import SMALL_CASE

DATA = """\
scores:
  - {at: baseline, SLEDAI-2K: 9, PhGA: 2}
  - {at: month 6, SLEDAI-2K: 2}
labs:
  - {name: Platelets, at: baseline, value: 42, unit: ×10⁹/L, range: 150-400}
  - {name: Platelets, at: month 6, value: 180, unit: ×10⁹/L, range: 150-400}
  - {name: Anti-dsDNA, at: baseline, value: positive, range: negative}
  - {name: C3, at: month 6, value: 2.1, unit: g/L, range: [0.9, 1.8]}
timeline:
  - {when: 2005, event: SLE diagnosed}  # a bare year is read as text
  - {when: baseline, event: anifrolumab started}
tables:
  - {id: labs, title: Laboratory values., shows: labs}
  - {id: scores, title: Disease activity., shows: scores, note: Blank cells were not measured.}
  - {id: events, title: Timeline., shows: timeline}
"""
BODY = "The figure shows it ([@fig:f])."
MENTIONS = "The figure shows it ([@fig:f]); see [@tbl:scores], then [@tbl:labs; @tbl:events]."


def with_tables(body: str = MENTIONS) -> str:
    return SMALL_CASE.replace(BODY, body) + DATA


def test_numbered_by_first_mention(make_case: Callable[..., Path]) -> None:
    resolved = check_case(make_case(with_tables())).resolved
    assert [(t.number, t.table.id) for t in resolved.tables] == [
        (1, "scores"),
        (2, "labs"),
        (3, "events"),
    ]
    assert resolved.numbers["tbl:labs"] == 2
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]


def test_views(make_case: Callable[..., Path]) -> None:
    checked = check_case(make_case(with_tables()))
    scores, labs, events = table_views(
        checked.resolved.tables, checked.case, checked.journal.citations
    )
    assert (scores.label, scores.header) == ("Table\u00a0I", ("", "Baseline", "Month 6"))
    assert [[c.text for c in row] for row in scores.rows] == [
        ["SLEDAI-2K", "9", "2"],
        ["PhGA", "2", "\u2013"],
    ]
    assert scores.notes == ("Blank cells were not measured.",)
    assert labs.header == ("Test", "Baseline", "Month 6", "Unit", "Reference range")
    assert [[(c.text, c.flag) for c in row] for row in labs.rows] == [
        [
            ("Platelets", None),
            ("42", "low"),
            ("180", None),
            ("×10⁹/L", None),
            ("150\u2013400", None),
        ],
        [
            ("Anti-dsDNA", None),
            ("positive", "abnormal"),
            ("\u2013", None),
            ("", None),
            ("negative", None),
        ],
        [("C3", None), ("\u2013", None), ("2.1", "high"), ("g/L", None), ("0.9\u20131.8", None)],
    ]
    assert labs.notes == (
        "\u2191 above the reference range; \u2193 below the reference range; * abnormal.",
    )
    assert labs.wide and not scores.wide
    assert [[c.text for c in row] for row in events.rows] == [
        ["2005", "SLE diagnosed"],
        ["Baseline", "Anifrolumab started"],
    ]


def test_tables_in_the_letter(make_case: Callable[..., Path], tmp_path: Path) -> None:
    build_case(make_case(with_tables()), tmp_path / "out", formats=("html",))
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert 'see <span class="tableref">Table\u00a0I</span>' in html
    assert '<span class="tableref">Tables\u00a0II, III</span>' in html
    captions = re.findall(r"<caption><b>(.*?)</b> (.*?)</caption>", html)
    assert captions == [
        ("Table\u00a0I.", "Disease activity."),
        ("Table\u00a0II.", "Laboratory values."),
        ("Table\u00a0III.", "Timeline."),
    ]
    assert '<td class="flag low">42<span class="mark">&#8202;\u2193</span></td>' in html
    assert '<div id="table-labs" class="table labs wide short">' in html


def test_unknown_table_and_mixed_clusters(make_case: Callable[..., Path]) -> None:
    case = make_case(with_tables(MENTIONS.replace("@tbl:scores", "@tbl:score")))
    with pytest.raises(CaseError) as info:
        check_case(case)
    assert [d.message for d in info.value.diagnostics] == [
        "unknown table 'score'; did you mean '@tbl:scores'?"
    ]
    case = make_case(with_tables(MENTIONS.replace("[@tbl:scores]", "[@tbl:scores; @one]")))
    with pytest.raises(CaseError) as info:
        check_case(case)
    assert [d.message for d in info.value.diagnostics] == [
        "do not mix figures, tables and references in one [...]"
    ]


def test_unmentioned_table_warns(make_case: Callable[..., Path]) -> None:
    warnings = check_case(make_case(with_tables(BODY + " [@tbl:labs; @tbl:events]"))).warnings
    assert [w.message for w in warnings] == [
        "table 'scores' is never mentioned in the text (cite it as [@tbl:scores])"
    ]


HOSPITAL_STAY = """\
timeline:
  - {when: 2019, event: psoriasis diagnosed}
  - {when: 2 days before admission, event: fever and a spreading rash}
  - {when: admission, event: "toxic epidermal necrolysis; carbamazepine stopped"}
  - {event: skin biopsy}  # no time: it keeps its place
  - {when: hospital day 3, event: ciclosporin started}
  - {when: discharge, event: re-epithelialised}
  - {when: month 3, event: no relapse}
tables:
  - {id: events, title: Timeline., shows: timeline}
"""


def test_a_timeline_of_a_hospital_stay(make_case: Callable[..., Path], tmp_path: Path) -> None:
    text = SMALL_CASE.replace(BODY, BODY + " See [@tbl:events].") + HOSPITAL_STAY
    checked = check_case(make_case(text))
    assert checked.warnings == ()
    (events,) = table_views(checked.resolved.tables, checked.case, checked.journal.citations)
    assert events.header == ("When", "Event")
    assert [[c.text for c in row] for row in events.rows] == [
        ["2019", "Psoriasis diagnosed"],
        ["2 days before admission", "Fever and a spreading rash"],
        ["Admission", "Toxic epidermal necrolysis; carbamazepine stopped"],
        ["", "Skin biopsy"],
        ["Hospital day 3", "Ciclosporin started"],
        ["Discharge", "Re-epithelialised"],
        ["Month 3", "No relapse"],
    ]
    build_case(make_case(text), tmp_path / "out", formats=("html",))
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert '<tr><th scope="row"></th><td>Skin biopsy</td></tr>' in html


def test_a_timeline_without_times_is_a_list_of_events(make_case: Callable[..., Path]) -> None:
    undated = "timeline:\n  - {event: rash}\n  - {event: fever}\n"
    undated += "tables:\n  - {id: events, title: Timeline., shows: timeline}\n"
    checked = check_case(make_case(SMALL_CASE.replace(BODY, BODY + " [@tbl:events]") + undated))
    (events,) = table_views(checked.resolved.tables, checked.case, checked.journal.citations)
    assert events.header == ("Event",)
    assert [[c.text for c in row] for row in events.rows] == [["Rash"], ["Fever"]]
