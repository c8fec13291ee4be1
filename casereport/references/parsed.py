"""What a bibliography reader returns: CSL-JSON items, each with the line it starts on, and the
problems found, each at a line of the file it read (see `readers` for the readers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casereport.errors import PathKey

Item = tuple[dict[str, Any], int | None]  # a CSL-JSON item and its line (None: not known)


@dataclass(frozen=True)
class ReadProblem:
    """Something wrong at a line of the file (1-based; None: the file as a whole), and at a
    column or in an item (`path`, as `[2]`) when the format tells."""

    line: int | None
    message: str
    col: int | None = None
    path: PathKey = ()


Parsed = tuple[Sequence[Item], Sequence[ReadProblem]]
