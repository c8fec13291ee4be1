"""The build cache: results keyed by the content that made them, in the user's cache folder.

A cold process (a new `casereport build`) finds here what an earlier one computed from
the same inputs (composed figures, charts, formatted references, converted bibliography
files, compiled templates, the case models' validators), so it neither imports nor runs
the machinery again.

The cache lives in `$CASEREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/casereport`, else
`~/.cache/casereport` — never in the build folder. A build folder may sit inside a case
folder (`casereport build .`) that travels between people, and a cache found there would be
trusted input that no check looks at: compiled templates are Python code. The user's own
cache folder is as trusted as their Python installation. It is kept under `LIMIT_BYTES` by
dropping the entries least recently written.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from casereport import __version__


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
    from casereport.export.files import write_bytes_atomic

    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    write_bytes_atomic(folder / f"{key}.json", data)


LIMIT_BYTES = 1 << 30  # 1 GiB, then pruned to half
FOLDERS = ("figures", "charts", "bibliography", "sources", "jinja", "schema", "docx")


def cache_root() -> Path:
    """The user's casereport cache folder (made, private to the user, on first use)."""
    configured = os.environ.get("CASEREPORT_CACHE_DIR")
    if configured:
        root = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(base) / "casereport"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def prune(root: Path, limit: int = LIMIT_BYTES) -> int:
    """When the cache at `root` holds more than `limit` bytes, remove its oldest entries
    down to half of it; return how many files were removed."""
    from casereport.export.files import remove_stale_in

    remove_stale_in(*(root / folder for folder in FOLDERS))
    entries = sorted(_entries(root))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return 0
    removed = 0
    for _, size, path in entries:
        if total <= limit // 2:
            break
        Path(path).unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


def _entries(root: Path) -> list[tuple[int, int, str]]:
    """(time written, size, path) of every file in the cache's folders."""
    found = []
    for folder in FOLDERS:
        try:
            with os.scandir(root / folder) as entries:
                for entry in entries:
                    if entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        found.append((st.st_mtime_ns, st.st_size, entry.path))
        except OSError:
            continue
    return found
