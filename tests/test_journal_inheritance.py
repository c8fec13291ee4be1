"""Journal profiles inherit (`extends:`): a profile of a few lines overrides only what differs
from its parent; templates and stylesheets come from the nearest profile that has them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casereport.build import build_case
from casereport.errors import BuildError
from casereport.journal import (
    JournalNotFound,
    available_journals,
    load_journal,
    merge,
    search_path,
)
from tests.conftest import ROOT
from tests.test_case_report import CATALOGUE, REPORT

SHORT = """\
extends: care
name: Journal of Short Profiles
style: vancouver-nlm
figures:
  caption: "Figure {number}:"
articles:
  case-series: null
  case-report:
    sections:
      case presentation: {heading: Case report, required: true}
      introduction: {heading: Background, required: true}
      discussion: {required: true}
limits:
  case-report: {words: 1500}
"""


def _templates(tmp_path: Path, **profiles: str) -> Path:
    folder = tmp_path / "templates"
    for name, text in profiles.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "journal.yaml").write_text(text, encoding="utf-8")
    return folder


def _case(tmp_path: Path, journal: str) -> Path:
    case = tmp_path / "case"
    case.mkdir()
    for image in ("a.jpg", "b.jpg"):
        shutil.copy(CATALOGUE / "_base" / image, case / image)
    text = REPORT.replace("journal: care", f"journal: {journal}")
    (case / "case.yaml").write_text(text, encoding="utf-8")
    return case


def test_merge_rules() -> None:
    parent = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "sections": {"p": 1, "q": 2}, "c": 3}
    child = {"a": {"y": [3]}, "sections": {"q": 1}, "c": None}
    assert merge(parent, child) == {"a": {"x": 1, "y": [3]}, "b": 1, "sections": {"q": 1}}
    assert parent["a"] == {"x": 1, "y": [1, 2]}  # the parent is not changed


def test_a_short_profile_inherits_the_rest(tmp_path: Path) -> None:
    path = search_path(_templates(tmp_path, short=SHORT))
    journal = load_journal("short", path)
    care = load_journal("care", path)
    assert journal.lineage == ("short", "care", "base")
    assert journal.name == "Journal of Short Profiles"
    assert journal.publishes == ("case-report", "clinical-image")
    rules = journal.article("case-report")
    assert [s.heading for s in rules.sections] == ["Case report", "Background", "Discussion"]
    # inherited untouched: the abstract, the declarations, the figure style but its caption
    assert rules.abstract == care.article("case-report").abstract
    assert rules.declarations == care.article("case-report").declarations
    assert journal.figure_style.caption == "Figure {number}:"
    assert journal.figure_style.legend == care.figure_style.legend
    assert journal.figure_width_mm == care.figure_width_mm
    assert journal.limits_for("case-report").words == 1500


def test_a_short_profile_builds_with_its_parents_template_and_stylesheet(
    tmp_path: Path,
) -> None:
    templates = _templates(tmp_path, short=SHORT)
    (templates / "short" / "style.css").write_text("h2 { color: #123456; }\n", encoding="utf-8")
    out = tmp_path / "out"
    build_case(_case(tmp_path, "short"), out, formats=("html",), templates=templates)
    html = (out / "letter.html").read_text(encoding="utf-8")
    css = (out / "letter.css").read_text(encoding="utf-8")
    assert html.index("<h2>Case report</h2>") < html.index("<h2>Background</h2>")
    assert "Figure 1:" in html
    care_css = (ROOT / "templates" / "care" / "style.css").read_text(encoding="utf-8")
    assert care_css in css
    assert css.index(care_css) < css.index("#123456")  # the profile's own rules come last


def test_a_template_of_its_own_wins_over_the_parents(tmp_path: Path) -> None:
    templates = _templates(tmp_path, short=SHORT)
    (templates / "short" / "case-report.html.j2").write_text(
        '{% extends "care/case-report.html.j2" %}{% block kind %}OWN{% endblock %}',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build_case(_case(tmp_path, "short"), out, formats=("html",), templates=templates)
    html = (out / "letter.html").read_text(encoding="utf-8")
    assert '<p class="kind">OWN</p>' in html
    assert "<h2>Case report</h2>" in html  # the rest is the parent's


def test_a_parents_edit_is_read_again(tmp_path: Path) -> None:
    templates = _templates(tmp_path, parent=SHORT, child="extends: parent\nname: Child\n")
    path = search_path(templates)
    assert load_journal("child", path).limits_for("case-report").words == 1500
    profile = templates / "parent" / "journal.yaml"
    profile.write_text(SHORT.replace("1500", "1200"), encoding="utf-8")
    os.utime(profile, ns=(profile.stat().st_atime_ns, profile.stat().st_mtime_ns + 10**9))
    assert load_journal("child", path).limits_for("case-report").words == 1200


def test_a_base_profile_is_not_a_journal(tmp_path: Path) -> None:
    path = search_path(_templates(tmp_path))
    assert "base" not in available_journals(path)
    with pytest.raises(JournalNotFound, match="'base' is a base profile"):
        load_journal("base", path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extends: care\nname: X\nstyel: vancouver\n", "unknown key 'styel'; did you mean 'style'"),
        ("extends: cair\nname: X\n", "extends: unknown journal 'cair'; did you mean 'care'"),
        ("extends: bad\nname: X\n", "cannot extend itself \\(bad -> bad\\)"),
        ("extends: [care]\nname: X\n", "extends: name one profile"),
        ("extends: care\n", None),  # inherits care's name: fine
        ("- a list\n", "a journal profile is a mapping"),
    ],
)
def test_a_broken_profile_is_an_error_naming_its_file(
    tmp_path: Path, text: str, message: str | None
) -> None:
    path = search_path(_templates(tmp_path, bad=text))
    if message is None:
        assert load_journal("bad", path).name == "CARE case report"
        return
    with pytest.raises((BuildError, JournalNotFound), match=message) as raised:
        load_journal("bad", path)
    if isinstance(raised.value, BuildError):
        assert "bad/journal.yaml" in str(raised.value)


def test_every_builtin_profile_extends_the_base() -> None:
    path = search_path()
    for name in available_journals(path):
        assert load_journal(name, path).lineage[-1] == "base", name


def test_figure_files_are_named_and_sized_as_the_journal_asks(tmp_path: Path) -> None:
    profile = SHORT.replace(
        '  caption: "Figure {number}:"',
        '  caption: "Figure {number}:"\n  file_name: "Figure {number}"\n  max_mb: 0.001',
    )
    templates = _templates(tmp_path, short=profile)
    out = tmp_path / "out"
    result = build_case(
        _case(tmp_path, "short"), out, formats=("html", "figures"), templates=templates
    )
    assert (out / "submission" / "Figure 1.tiff").is_file()
    assert not (out / "submission" / "figure-1.tiff").exists()
    [warning] = [d for d in result.warnings if "MB" in d.message]
    assert "submission/Figure 1.tiff is" in warning.message
    assert "at most 0.001 MB" in warning.message
    assert warning.line is not None and warning.line > 1  # at the figure in the case file


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ('file_name: "figures/{number}"', "no folder or extension"),
        ('file_name: "Figure"', "with \\{number\\}"),
        ("max_mb: -1", "max_mb -1: a size in megabytes"),
    ],
)
def test_a_bad_figure_file_rule_is_an_error(tmp_path: Path, figures: str, message: str) -> None:
    profile = SHORT.replace('  caption: "Figure {number}:"', f"  {figures}")
    with pytest.raises(BuildError, match=message):
        load_journal("short", search_path(_templates(tmp_path, short=profile)))
