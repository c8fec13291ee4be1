"""`casereport check`: every check without building, grouped, in four formats, with the exit
codes of `validate` (0 clean, 1 errors or, under --strict, warnings, 2 usage)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CASE_REPORT, run_cli


@pytest.fixture
def report_case(tmp_path: Path) -> Path:
    case = tmp_path / "dress"
    shutil.copytree(CASE_REPORT, case)
    return case


def test_a_case_report_exits_0_and_writes_nothing(report_case: Path, tmp_path: Path) -> None:
    done = run_cli("check", str(report_case), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    # what the example case report lacks of CARE: two warnings, each with what would satisfy it
    care = [line for line in done.stdout.splitlines() if ": warning: CARE " in line]
    assert [line.split("warning: ")[1].split(":")[0] for line in care] == ["CARE 8b", "CARE 8d"]
    assert "or that nothing did" in care[0]
    assert done.stdout.splitlines()[-1].endswith("(care)")
    assert "no errors" in done.stdout.splitlines()[-1]
    assert not (tmp_path / "build").exists()


def test_limits_are_their_own_group_and_strict_fails(report_case: Path, tmp_path: Path) -> None:
    done = run_cli("check", str(report_case), "--journal", "bmj-case-reports", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("== Journal limits (1)")
    assert (
        ": warning: sections: 2289 words (excluding abstract and references); BMJ Case "
        "Reports allows 2000 in a case report" in lines[start + 1]
    )
    strict = run_cli(
        "check", str(report_case), "--journal", "bmj-case-reports", "--strict", cwd=tmp_path
    )
    assert strict.returncode == 1
    assert ": error: sections: 2289 words" in strict.stdout


def test_errors_are_reported_as_validate_reports_them(report_case: Path, tmp_path: Path) -> None:
    text = (report_case / "case.yaml").read_text(encoding="utf-8")
    (report_case / "case.yaml").write_text(
        text.replace("[@gagnier2013", "[@gagnier2031"), encoding="utf-8"
    )
    done = run_cli("check", str(report_case), cwd=tmp_path)
    validate = run_cli("validate", str(report_case), cwd=tmp_path)
    assert done.returncode == 1 and validate.returncode == 1
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert errors and errors == [
        line for line in validate.stderr.splitlines() if ": error: " in line
    ]
    assert done.stdout.splitlines()[0] == f"== Errors ({len(errors)})"


def test_json_markdown_and_csv_carry_the_same_findings(report_case: Path, tmp_path: Path) -> None:
    args = ("check", str(report_case), "--journal", "bmj-case-reports", "--format")
    data = json.loads(run_cli(*args, "json", cwd=tmp_path).stdout)
    assert data["journal"] == "bmj-case-reports" and data["errors"] == 0
    limits = [f for f in data["findings"] if f["group"] == "limits"]
    assert len(limits) == 1 and limits[0]["line"] == 75 and limits[0]["field"] == "sections"
    care = {row["item"]: row for row in data["care"]}
    assert len(care) == 28 and {"item", "name", "status", "where"} <= set(care["7"])
    assert care["7"]["status"] == "reported" and "case.yaml:" in care["7"]["where"]
    assert care["8d"]["status"] == "missing"
    rows = list(csv.reader(io.StringIO(run_cli(*args, "csv", cwd=tmp_path).stdout)))
    assert rows[0] == ["group", "file", "line", "col", "severity", "field", "message"]
    assert next(r for r in rows if r[0] == "limits")[2] == "75"
    markdown = run_cli(*args, "markdown", cwd=tmp_path).stdout
    assert "## Journal limits" in markdown and "2289 words" in markdown


def test_usage_errors_exit_2(report_case: Path, tmp_path: Path) -> None:
    assert run_cli("check", str(report_case), "--format", "xml", cwd=tmp_path).returncode == 2
    unknown = run_cli("check", str(report_case), "--journal", "bmj", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr
