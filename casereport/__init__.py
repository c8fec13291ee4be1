"""casereport: a clinical case written once as YAML, printed as a journal's letter.

The public API is what the command line uses: load_case, check_case, build_case; and the
Manuscript every writer takes (`casereport build CASE --to json` writes it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "BuildResult",
    "Case",
    "CaseError",
    "Diagnostic",
    "Manuscript",
    "UsageError",
    "build_case",
    "check_case",
    "load_case",
]

from casereport.errors import CaseError, Diagnostic, UsageError

if TYPE_CHECKING:
    from casereport.build import BuildResult, build_case, check_case, load_case
    from casereport.manuscript import Manuscript
    from casereport.model import Case


def __getattr__(name: str) -> Any:
    """Import the pipeline lazily, so `casereport --help` starts fast."""
    if name in ("BuildResult", "build_case", "check_case", "load_case"):
        from casereport import build

        return getattr(build, name)
    if name == "Manuscript":
        from casereport.manuscript import Manuscript

        return Manuscript
    if name == "Case":
        from casereport.model import Case

        return Case
    raise AttributeError(name)
