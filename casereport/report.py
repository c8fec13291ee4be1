"""`casereport check`: every check of a case, without building it, in one report grouped as an
author reads it before submitting: errors, the journal's limits, the CARE checklist, privacy,
and the other warnings.

The findings are the diagnostics `validate` prints (`file:line:col: severity: field:
message`); the report adds the CARE items as data (`item`, `name`, `status`, `where`) and
notes on checks that could not run. `format_report` writes it as text, JSON, Markdown or CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from casereport.build import BuildOptions, check_case
from casereport.checks import Checked, check_limits
from casereport.errors import CaseError, Diagnostic
from casereport.positions import locate

GROUPS = ("errors", "limits", "care", "privacy", "warnings")
TITLES = {
    "errors": "Errors",
    "limits": "Journal limits",
    "care": "CARE checklist",
    "privacy": "Privacy",
    "warnings": "Other warnings",
}
FORMATS = ("text", "json", "markdown", "csv")
WARNED_CARE = ("case-report", "case-series")  # article types whose missing items are warnings


@dataclass(frozen=True)
class CareRow:
    """One CARE item as the report lists it."""

    item: str
    name: str
    status: str  # reported, missing, not applicable
    where: str
    hint: str = ""


@dataclass(frozen=True)
class Report:
    """What `check` found, by group; `care` empty when the case did not get that far."""

    case: str
    journal: str
    findings: dict[str, tuple[Diagnostic, ...]]
    care: tuple[CareRow, ...] = ()
    notes: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return len(self.findings.get("errors", ()))

    @property
    def warnings(self) -> int:
        return sum(len(v) for k, v in self.findings.items() if k != "errors")


def check_report(path: Path, options: BuildOptions) -> Report:
    """Run every check on the case at `path` (for `options.journal`, else its own)."""
    try:
        checked = check_case(
            path,
            templates=options.templates,
            style=options.style,
            offline=options.offline,
            journal=options.journal,
            libraries=options.libraries,
        )
    except CaseError as exc:
        failed = {g: () for g in GROUPS} | {"errors": exc.diagnostics}
        return Report(str(path), options.journal or "", failed)
    limits = set(locate(checked.source, check_limits(checked.resolved, checked.journal)))
    care, care_findings = _care(checked)
    privacy, notes = _privacy(checked)
    findings: dict[str, tuple[Diagnostic, ...]] = {
        "errors": (),
        "limits": tuple(d for d in checked.warnings if d in limits),
        "care": care_findings,
        "privacy": privacy,
        "warnings": tuple(d for d in checked.warnings if d not in limits),
    }
    return Report(str(checked.source.path), checked.journal.id, findings, care, notes)


def _care(checked: Checked) -> tuple[tuple[CareRow, ...], tuple[Diagnostic, ...]]:
    """The CARE items of the case, and a warning for each one missing in a case report or
    series (CARE is written for them; a letter's or an image's gaps are listed, not warned)."""
    from casereport.care.checklist import filled_checklist

    file = str(checked.source.path)
    rows = filled_checklist(checked, file=file).rows
    care = tuple(CareRow(r.item, r.name, r.status, "; ".join(r.where), r.hint) for r in rows)
    if checked.case.article not in WARNED_CARE:
        return care, ()
    missing = tuple(
        Diagnostic(file, None, None, f"CARE {r.item}", f"{r.name}: {r.hint}", "warning")
        for r in rows
        if r.status == "missing"
    )
    return care, missing


def _privacy(checked: Checked) -> tuple[tuple[Diagnostic, ...], tuple[str, ...]]:
    """Privacy findings, and notes on the checks that could not run (faces, without
    OpenCV)."""
    from casereport.privacy import privacy_report

    found = privacy_report(checked)
    return locate(checked.source, found.problems), found.notes


def format_report(report: Report, form: str) -> str:
    """The report as `text` (grouped diagnostics), `json`, `markdown` or `csv`."""
    if form == "json":
        return _json(report)
    if form == "markdown":
        return _markdown(report)
    if form == "csv":
        return _csv(report)
    return _text(report)


def _text(report: Report) -> str:
    lines: list[str] = []
    for group in GROUPS:
        found = report.findings.get(group, ())
        if group == "care" and report.care:
            missing = sum(r.status == "missing" for r in report.care)
            lines.append(
                f"== {TITLES[group]}: {len(report.care) - missing} reported or not "
                f"applicable, {missing} missing"
            )
        elif found:
            lines.append(f"== {TITLES[group]} ({len(found)})")
        lines += [d.format() for d in found]
    lines += [f"note: {note}" for note in report.notes]
    lines.append(_summary(report))
    return "\n".join(lines)


def _summary(report: Report) -> str:
    warnings = _count(report.warnings, "warning")
    if report.errors:
        return f"{report.case}: {_count(report.errors, 'error')}, {warnings}"
    return f"{report.case}: no errors, {warnings} ({report.journal})"


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def _finding(group: str, d: Diagnostic) -> dict[str, Any]:
    return {"group": group, **asdict(d)}


def _json(report: Report) -> str:
    data = {
        "case": report.case,
        "journal": report.journal,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [_finding(g, d) for g in GROUPS for d in report.findings.get(g, ())],
        "care": [
            {"item": r.item, "name": r.name, "status": r.status, "where": r.where, "hint": r.hint}
            for r in report.care
        ],
        "notes": list(report.notes),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _markdown(report: Report) -> str:
    lines = [f"# Check of {report.case} ({report.journal})", "", _summary(report)]
    for group in GROUPS:
        found = report.findings.get(group, ())
        if group == "care" and report.care:
            lines += ["", f"## {TITLES[group]}", "", "| item | name | status | where |"]
            lines.append("|---|---|---|---|")
            for r in report.care:
                where = r.where or r.hint
                lines.append(f"| {r.item} | {_cell(r.name)} | {r.status} | {_cell(where)} |")
            continue
        if found:
            lines += ["", f"## {TITLES[group]}", ""]
            lines += [f"- `{d.format()}`" for d in found]
    lines += ["", *(f"> {note}" for note in report.notes)] if report.notes else []
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["group", "file", "line", "col", "severity", "field", "message"])
    for group in GROUPS:
        for d in report.findings.get(group, ()):
            writer.writerow(
                [group, d.file, d.line or "", d.col or "", d.severity, d.field, d.message]
            )
    for r in report.care:
        writer.writerow(
            ["care-item", report.case, "", "", r.status, r.item, f"{r.name}: {r.where or r.hint}"]
        )
    return buffer.getvalue().rstrip("\n")


def exit_code(report: Report, *, strict: bool) -> int:
    """0 clean, 1 errors (or, under `strict`, any warning)."""
    return 1 if report.errors or (strict and report.warnings) else 0


def strict_report(report: Report) -> Report:
    """Under `--strict`, every warning is printed as an error."""
    findings = {g: tuple(d.as_error() for d in v) for g, v in report.findings.items()}
    return Report(report.case, report.journal, findings, report.care, report.notes)


__all__: Sequence[str] = ("FORMATS", "Report", "check_report", "exit_code", "format_report")
