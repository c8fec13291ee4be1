"""Atomic output: every file is written beside its destination, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _file_mode() -> int:
    """The mode a new file gets under the current umask (mkstemp would make it 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


@contextlib.contextmanager
def staged(dest: Path) -> Iterator[Path]:
    """A temporary path beside `dest`, with the mode a normal new file would have; removed
    unless the caller renames it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.fchmod(fd, _FILE_MODE)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files that a build killed mid-way (SIGKILL, power loss) left behind."""
    for temp in folder.glob("**/.*.tmp"):
        temp.unlink(missing_ok=True)


def write_bytes_atomic(dest: Path, data: bytes) -> None:
    """Replace `dest` with `data` in one step; a reader sees the old file or the new one."""
    with staged(dest) as temp:
        temp.write_bytes(data)
        temp.replace(dest)


def copy_atomic(source: Path, dest: Path) -> None:
    """Copy `source` to `dest` atomically, unless `dest` already holds the same bytes."""
    same_size = dest.is_file() and dest.stat().st_size == source.stat().st_size
    if same_size and dest.read_bytes() == source.read_bytes():
        return
    with staged(dest) as temp:
        shutil.copyfile(source, temp)
        temp.replace(dest)
