"""`casereport new`: a scaffold for every journal and article type it publishes, checked by the
case file's schema (check-jsonschema) and by `casereport validate` (placeholders only), laid out
as its journal asks; the refusals; the warning for a TODO left in a case."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casereport.build import build_case, check_case
from casereport.case_schema import SHIPPED
from casereport.journal import available_journals, load_journal, search_path
from casereport.scaffold import new_case
from tests.conftest import ROOT
from tests.test_case_schema import check_jsonschema

PAIRS = [
    (journal, article)
    for journal in available_journals(search_path())
    for article in load_journal(journal, search_path()).publishes
]
PLACEHOLDER = "a TODO placeholder is left to fill"


def _cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "casereport", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)


@pytest.fixture(scope="module")
def scaffolds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """A new case for every journal and article type it publishes."""
    root = tmp_path_factory.mktemp("scaffolds")
    return {
        (journal, article): new_case(root / f"{journal}--{article}", journal, article).folder
        for journal, article in PAIRS
    }


def _case(folder: Path) -> dict[str, object]:
    data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_journal_and_article_type_has_a_scaffold() -> None:
    assert ("bmj-case-reports", "clinical-image") in PAIRS
    assert ("care", "case-series") in PAIRS
    assert len(PAIRS) >= 10


def test_every_scaffold_validates_with_check_jsonschema(
    scaffolds: dict[tuple[str, str], Path],
) -> None:
    done = check_jsonschema(*(folder / "case.yaml" for folder in scaffolds.values()))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("journal", "article"), PAIRS, ids=lambda v: str(v))
def test_every_scaffold_validates_with_placeholder_warnings_only(
    scaffolds: dict[tuple[str, str], Path], journal: str, article: str
) -> None:
    checked = check_case(scaffolds[journal, article], offline=True)
    assert checked.journal.id == journal
    assert checked.case.article == article
    others = [d.format() for d in checked.warnings if d.message != PLACEHOLDER]
    assert others == []
    assert len(checked.warnings) >= 10


def test_casereport_new_then_validate(tmp_path: Path) -> None:
    made = _cli("new", "my-case", "--journal", "bmj-case-reports", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.split() == [
        "my-case/case.yaml",
        "my-case/references.bib",
        "my-case/case.schema.json",
        "my-case/images/placeholder.png",
        "my-case/images/README.txt",
    ]
    checked = _cli("validate", "my-case", "--offline", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    lines = checked.stderr.splitlines()
    assert lines and all(": warning: " in line and line.endswith(PLACEHOLDER) for line in lines)
    assert "my-case/case.yaml: valid (" in checked.stdout


def test_bmj_gets_its_sections_in_order_a_summary_and_learning_points(
    scaffolds: dict[tuple[str, str], Path],
) -> None:
    data = _case(scaffolds["bmj-case-reports", "case-report"])
    sections = data["sections"]
    assert isinstance(sections, dict)
    assert list(sections) == [
        "introduction",
        "case presentation",
        "investigations",
        "differential diagnosis",
        "treatment",
        "outcome and follow-up",
        "discussion",
        "learning points",
        "patient perspective",
    ]
    assert isinstance(sections["learning points"], list) and len(sections["learning points"]) == 3
    assert isinstance(data["abstract"], str)
    assert "Patient consent for publication" in (
        scaffolds["bmj-case-reports", "case-report"] / "case.yaml"
    ).read_text(encoding="utf-8")


def test_a_letter_has_a_body_and_a_case_series_a_part_per_patient(
    scaffolds: dict[tuple[str, str], Path],
) -> None:
    letter = _case(scaffolds["clin-exp-rheumatol", "letter"])
    assert "body" in letter and "sections" not in letter and "abstract" not in letter
    series = _case(scaffolds["care", "case-series"])
    sections = series["sections"]
    assert isinstance(sections, dict)
    assert list(sections["case presentation"]) == ["patient 1", "patient 2"]
    report = _case(scaffolds["care", "case-report"])
    assert report["abstract"] == {
        "background": "TODO",
        "case presentation": "TODO",
        "conclusions": "TODO",
    }
    assert report["keywords"][0] == "case report"  # type: ignore[index]


def test_a_scaffold_points_editors_at_its_copy_of_the_schema(
    scaffolds: dict[tuple[str, str], Path],
) -> None:
    for folder in scaffolds.values():
        first = (folder / "case.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=case.schema.json"
        assert (folder / "case.schema.json").read_bytes() == SHIPPED.read_bytes()
        assert (folder / "images" / "README.txt").is_file()
        assert "@article{gagnier2013," in (folder / "references.bib").read_text(encoding="utf-8")


def test_a_scaffold_builds(scaffolds: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    built = build_case(scaffolds["bmj-case-reports", "case-report"], tmp_path, formats=("html",))
    html = (tmp_path / "letter.html").read_text(encoding="utf-8")
    assert "Learning points" in html and "Gagnier" in html
    assert built.warnings


def test_new_never_writes_into_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "case.yaml").write_text("title: mine\n", encoding="utf-8")
    done = _cli("new", "mine", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "error: mine: already exists; casereport new never writes into a folder\n"
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["case.yaml"]
    assert (tmp_path / "mine" / "case.yaml").read_text(encoding="utf-8") == "title: mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--journal", "bmj-case-report"),
            "error: --journal: unknown journal 'bmj-case-report'; did you mean 'bmj-case-reports'?",
        ),
        (
            ("--journal", "bmj-case-reports", "--article", "letter"),
            "error: --article: BMJ Case Reports (bmj-case-reports) publishes no letter; it "
            "publishes: case-report, clinical-image",
        ),
        (
            ("--article", "case-reprot"),
            "error: --article: unknown article type 'case-reprot'; did you mean 'case-report'?",
        ),
    ],
)
def test_new_refuses_what_the_journal_does_not_have(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = _cli("new", "x", *args, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, message + "\n")
    assert not (tmp_path / "x").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_todo_left_in_any_case_is_a_warning_at_its_place(tmp_path: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    text = (ROOT / "cases" / "anifrolumab-alopecia" / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("competing_interests: none declared", "competing_interests: TODO")
    (case / "case.yaml").write_text(text, encoding="utf-8")
    for name in ("references.json", "before-1.jpg", "before-2.jpg", "after-1.jpg", "after-2.jpg"):
        (case / name).write_bytes((ROOT / "cases" / "anifrolumab-alopecia" / name).read_bytes())
    warnings = check_case(case, offline=True).warnings
    line = text.splitlines().index("competing_interests: TODO") + 1
    assert [d.format() for d in warnings if d.message == PLACEHOLDER] == [
        f"{case / 'case.yaml'}:{line}:22: warning: competing_interests: {PLACEHOLDER}"
    ]
