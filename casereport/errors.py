"""The error tree: every problem is a Diagnostic with a position and a field path.

Stages below the command line's boundary report a `Problem` (a field path and a message,
not yet a line and column) and raise `ProblemsFound`; the stage that holds the loaded case
file turns them into Diagnostics with `positions.locate`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]
PathKey = tuple[str | int, ...]  # a field path: ("figures", 0, "panels", 1, "image")
Origin = tuple[str, int | None, int | None]  # file, line, column (1-based; None: not known)


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


@dataclass(frozen=True)
class Problem:
    """One problem, placed by what a stage knows: the field path of the case file it is at.

    `needle` (text, or a pattern) points inside the text value at `path` (a citation key in
    the body); `key` points at the field's name rather than its value (an unknown field).
    `origin` places it in a file at a line known already (a reference read from a
    bibliography file); `path` then names the field in that file, if any.
    """

    path: PathKey
    message: str
    _: KW_ONLY
    severity: Severity = "error"
    needle: str | re.Pattern[str] | None = None
    key: bool = False
    origin: Origin | None = None

    def as_warning(self) -> Problem:
        """The same problem, reported as a warning that does not stop the build."""
        return replace(self, severity="warning")


class ProblemsFound(Exception):
    """Problems that stop a stage, not yet positioned. Not a `CasereportError`: the stage
    boundary (`positions.positioned`) turns them into a `CaseError` with each one's line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


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
