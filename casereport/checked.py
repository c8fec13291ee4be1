"""`CheckedCase`: what a domain reads of a checked case (`checks.Checked` is one), so that
`figures/`, `care/` and `privacy/` take the value without importing the `checks` stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from casereport.journal import Journal
    from casereport.load import Source
    from casereport.model import Case
    from casereport.numbered import Resolved


class CheckedCase(Protocol):
    """A case that loaded, validated and resolved, with its journal."""

    @property
    def source(self) -> Source: ...
    @property
    def case(self) -> Case: ...
    @property
    def journal(self) -> Journal: ...
    @property
    def resolved(self) -> Resolved: ...
