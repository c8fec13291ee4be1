"""Atomic output: every file is written beside its destination, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged(dest: Path) -> Iterator[Path]:
    """A temporary path beside `dest`; removed unless the caller `commit`s it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
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
