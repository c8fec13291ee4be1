"""The build cache: results keyed by the content that made them, kept in `<build>/.cache/`.

A cold process (a new `casereport build`) finds here what an earlier one computed from
the same inputs, so it neither imports nor runs the machinery again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from casereport import __version__
from casereport.export.files import write_bytes_atomic


def content_key(*parts: str | bytes) -> str:
    """A hex key over the casereport version and `parts`."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def read_json(folder: Path, key: str) -> Any | None:
    """The value stored under `key`, or None when absent or unreadable."""
    try:
        return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(folder: Path, key: str, value: Any) -> None:
    """Store `value` under `key`, atomically."""
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    write_bytes_atomic(folder / f"{key}.json", data)
