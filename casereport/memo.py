"""Stage results kept in memory, keyed by the inputs that made them.

A long-lived process (`serve`, `build --watch`, a batch worker) builds the same case many
times. Each stage asks the memo for its result under a key made of exactly its inputs (the
body's text, the references and the style's bytes, a figure's spec and its panels' file
stamps); when the key is unchanged the earlier result is reused, otherwise the stage runs.
Only a few results are kept per stage, so memory stays flat however long the process lives.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PER_STAGE = 8


class Memo:
    """Results per stage under their input keys, least recently used dropped first."""

    def __init__(self, per_stage: int = PER_STAGE) -> None:
        self._per_stage = per_stage
        self._stages: dict[str, OrderedDict[Hashable, Any]] = {}
        self.ran: list[str] = []

    def get(self, stage: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The result of `stage` for `key`, computed (and recorded in `ran`) on a miss.
        Keep no result that names a file someone may delete (a cache file): keep what
        makes it, and let the stage write the file again when it is gone."""
        results = self._stages.setdefault(stage, OrderedDict())
        if key in results:
            results.move_to_end(key)
            value: T = results[key]
            return value
        value = compute()
        self.ran.append(stage)
        results[key] = value
        if len(results) > self._per_stage:
            results.popitem(last=False)
        return value

    def record(self, stage: str) -> None:
        """Note that `stage` ran, for a stage that is never kept (rendering, the PDF)."""
        self.ran.append(stage)

    def start(self) -> None:
        """Begin a new build: forget which stages ran in the last one."""
        self.ran = []

    def size(self) -> int:
        """How many results are kept, over all stages."""
        return sum(len(results) for results in self._stages.values())


def digest(*parts: str | bytes) -> str:
    """A short hex digest over `parts` (lengths included, so parts cannot run together)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int, int] | tuple[str], ...]:
    """Each file's (path, size, mtime, inode), or (path,) when it cannot be read: what
    `make` would compare, enough for photos, which editors replace whole."""
    found: list[tuple[str, int, int, int] | tuple[str]] = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            found.append((str(path),))
            continue
        found.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(found)
