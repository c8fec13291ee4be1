"""The error tree: every problem is a Diagnostic with a position and a field path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one input, as a compiler would print it."""

    file: str
    line: int | None
    col: int | None
    field: str
    message: str
    severity: Severity = "error"

    def as_warning(self) -> Diagnostic:
        """The same problem, reported as a warning that does not stop the build."""
        return replace(self, severity="warning")

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity}: {field}{self.message}"


class CasereportError(Exception):
    """Base of every error casereport raises on purpose."""

    exit_code = 1


class CaseError(CasereportError):
    """The case has errors; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(CasereportError):
    """The command was called wrongly (no such case folder, unknown option value)."""

    exit_code = 2


class BuildError(CasereportError):
    """Rendering or export failed for a reason outside the case file."""
