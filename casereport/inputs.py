"""The files a case names, checked before a single byte of them is read.

A case folder is untrusted: `bibliography: /proc/self/environ`, a link to `/dev/zero` or a
FIFO named `references.json` must be refused, not read, hashed or waited on. Every file of
a case — the case file, its images, bibliographies, style and lock file — goes through
`case_input` (the checks) and is read with `read_input` (the same checks, then a bounded
read of a descriptor opened without blocking and checked again, so a file swapped for a
FIFO or a device in between is refused too).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_IMAGE_BYTES = 256 * 1024 * 1024  # a 16-bit TIFF scan; Pillow's pixel limit bounds more
MAX_BIBLIOGRAPHY_BYTES = 20_000_000  # some 50,000 references
MAX_STYLE_BYTES = 2_000_000  # the largest CSL style of the collection is about 300 kB
MAX_LOCK_BYTES = 20_000_000


class InputRefused(ValueError):
    """A named file that must not be read; the message says why, in plain English."""


def case_input(folder: Path, name: str, *, max_bytes: int, what: str = "files") -> Path:
    """The file `name` of the case in `folder`, resolved, once it is known to be a regular
    file inside the folder (symbolic links followed) of at most `max_bytes`; raise
    InputRefused otherwise. Nothing is opened: a FIFO or a device is only looked at."""
    if "\0" in name:
        raise InputRefused(f"{name!r} contains a NUL character; give a file name")
    if "://" in name or name.startswith(("data:", "file:")):
        raise InputRefused(f"{name!r} is a URL; {what} must be files in the case folder")
    relative = Path(name)
    if not name or relative.is_absolute() or ".." in relative.parts:
        raise InputRefused(f"{name!r} is outside the case folder; give a path relative to it")
    try:
        resolved = (folder / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputRefused(f"file {name!r} not found") from None
    if not resolved.is_relative_to(folder.resolve()):
        raise InputRefused(f"{name!r} leads outside the case folder (symbolic link)")
    try:
        status = resolved.stat()
    except OSError:
        raise InputRefused(f"file {name!r} not found") from None
    _check_status(name, status, max_bytes)
    return resolved


def _check_status(name: str, status: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise InputRefused(f"{name!r} is not a file")
    if not stat.S_ISREG(status.st_mode):
        raise InputRefused(f"{name!r} is not a regular file (a FIFO, socket or device)")
    if status.st_size > max_bytes:
        raise InputRefused(f"{name!r} is {status.st_size:,} bytes; the limit is {max_bytes:,}")


def read_input(folder: Path, name: str, *, max_bytes: int, what: str = "files") -> bytes:
    """The bytes of the case's file `name`, checked as `case_input` does before and after
    it is opened; InputRefused if it must not be read, OSError if it cannot be."""
    return read_checked(case_input(folder, name, max_bytes=max_bytes, what=what), name, max_bytes)


def read_checked(path: Path, name: str, max_bytes: int) -> bytes:
    """At most `max_bytes` of the regular file at `path`, opened without blocking (a FIFO put
    there since it was checked does not hang the build) and checked again once open."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        _check_status(name, os.fstat(fd), max_bytes)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while being read
        raise InputRefused(f"{name!r} is larger than the limit of {max_bytes:,} bytes")
    return data


def file_problem(
    folder: Path, name: str, what: str = "images", *, max_bytes: int = MAX_IMAGE_BYTES
) -> str | None:
    """Why `name` cannot be used as a file of the case in `folder` (an image, a bibliography,
    a style: `what`), or None if it can (see `inputs.case_input`)."""
    try:
        case_input(folder, name, max_bytes=max_bytes, what=what)
    except InputRefused as exc:
        return str(exc)
    return None
