"""Positions: the one function that turns problems at field paths into `file:line:col`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casereport.errors import CaseError, Problem, ProblemsFound
from casereport.load import Source, parse_case_bytes
from casereport.positions import key_pattern, locate, positioned

CASE = """\
title: A title
authors:
  - name: A. Author
body: |
  First line.
  See [@one] here.
legend: "quoted [@two]"
"""


def _source(tmp_path: Path) -> Source:
    return parse_case_bytes(tmp_path / "case.yaml", CASE.encode("utf-8"))


def _located(tmp_path: Path, *problems: Problem) -> list[str]:
    prefix = str(tmp_path / "case.yaml")
    return [d.format().removeprefix(prefix) for d in locate(_source(tmp_path), problems)]


def test_a_field_path_is_its_value_or_its_key(tmp_path: Path) -> None:
    assert _located(
        tmp_path,
        Problem(("authors", 0, "name"), "a value"),
        Problem(("authors", 0, "name"), "a key", key=True),
        Problem(("authors", 0, "email"), "missing: its nearest ancestor").as_warning(),
        Problem((), "the file"),
    ) == [
        ":3:11: error: authors[0].name: a value",
        ":3:5: error: authors[0].name: a key",
        ":3:5: warning: authors[0].email: missing: its nearest ancestor",
        ":1:1: error: the file",
    ]


def test_a_needle_points_inside_the_text(tmp_path: Path) -> None:
    assert _located(
        tmp_path,
        Problem(("body",), "block scalar", needle=key_pattern("one")),
        Problem(("legend",), "quoted", needle="[@two]"),
        Problem(("legend",), "a pattern", needle=re.compile(r"@t\w+")),
        Problem(("title",), "not there: the value", needle="absent"),
    ) == [
        ":6:8: error: body: block scalar",
        ":7:17: error: legend: quoted",
        ":7:18: error: legend: a pattern",
        ":1:8: error: title: not there: the value",
    ]


def test_an_origin_is_taken_as_it_is(tmp_path: Path) -> None:
    problem = Problem((2,), "in a file", origin=("r.json", 4, None))
    (diagnostic,) = locate(_source(tmp_path), [problem])
    assert diagnostic.format() == "r.json:4: error: [2]: in a file"


def test_positioned_turns_problems_that_stop_a_stage_into_a_case_error(tmp_path: Path) -> None:
    source = _source(tmp_path)
    with pytest.raises(CaseError) as info, positioned(source):
        raise ProblemsFound([Problem(("title",), "stopped")])
    assert [d.format() for d in info.value.diagnostics] == [
        f"{source.path}:1:8: error: title: stopped"
    ]
