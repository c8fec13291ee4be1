"""The error tree: every problem is a Diagnostic with a position and a field path."""

from __future__ import annotations

import sys
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

    def as_error(self) -> Diagnostic:
        """The same problem, reported as an error (a warning under `--strict`)."""
        return replace(self, severity="error")

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity}: {field}{self.message}"


class CasereportError(Exception):
    """Base of every error casereport raises on purpose. It prints itself (`lines`,
    `show`) and owns its exit code, so the command line has one place that handles it."""

    exit_code = 1

    def lines(self) -> tuple[str, ...]:
        """The error as the command line prints it, one line per problem."""
        return (f"error: {self}",)

    def summary(self) -> str:
        """A few words for a status line ("3 errors")."""
        return "error"

    def show(self) -> None:
        """Print the error to standard error, with a closing line where one helps."""
        for line in (*self.lines(), *self.closing()):
            print(line, file=sys.stderr)

    def closing(self) -> tuple[str, ...]:
        return ()


class CaseError(CasereportError):
    """The case has errors; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def lines(self) -> tuple[str, ...]:
        return tuple(d.format() for d in self.diagnostics)

    def summary(self) -> str:
        count = sum(d.severity == "error" for d in self.diagnostics)
        return f"{count} error{'s' if count != 1 else ''}"

    def closing(self) -> tuple[str, ...]:
        return (f"{self.summary()}; nothing was written.",)


class UsageError(CasereportError):
    """The command was called wrongly (no such case folder, unknown option value)."""

    exit_code = 2


class BuildError(CasereportError):
    """Rendering or export failed for a reason outside the case file; `file` and `line`
    say where, when the reason is in a file (a template)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message, self.file, self.line = message, file, line
        super().__init__(f"{self.where}: {message}" if self.where else message)

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def lines(self) -> tuple[str, ...]:
        if not self.where:
            return super().lines()
        return (f"{self.where}: error: {self.message}",)
