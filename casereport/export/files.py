"""Outputs on disk: written beside their destinations, put in place together, and only
casereport's own leftovers ever removed.

A temporary file is named `.casereport-<pid>-<name>.<random>.tmp`, after the process that
made it, so a later build can tell a leftover of a build that was killed (its process is
gone) from a file another build is writing right now or a file that is not casereport's
at all; only the first kind is removed. A build stages every output, then renames them
all, holding `<out>/.casereport.lock` meanwhile: two builds into one folder take turns,
and a build that fails half-way (a full disk) has replaced nothing.

A write that fails is a `BuildError` naming the file ("cannot write build/x/letter.pdf:
No space left on device"), never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from casereport.errors import BuildError

TEMPORARY = re.compile(r"\.casereport-(?P<pid>\d+)-(?P<name>.+)\.[^.]+\.tmp")
LOCK = ".casereport.lock"
OUTPUT_FOLDERS = ("figures", "submission")


def _file_mode() -> int:
    """The mode a new file gets under the current umask (mkstemp would make it 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def cannot_write(path: Path, exc: OSError) -> BuildError:
    """The one-line error for a failed write to `path` (or to a temporary standing for it)."""
    path = destination(path)
    blocker = _file_in_the_way(path)
    if blocker is not None:
        return BuildError(f"cannot write {_shown(blocker)}: it is a file, not a folder")
    return BuildError(f"cannot write {_shown(path)}: {exc.strerror or exc}")


def destination(path: Path) -> Path:
    """The file a temporary of ours stands for; any other path as it is."""
    found = TEMPORARY.fullmatch(path.name)
    return path.with_name(found["name"]) if found else path


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing ancestor of `path` (or `path` itself, if a folder was wanted)
    when it is not a folder."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return None if candidate.is_dir() or candidate == path else candidate
    return None


def _shown(path: Path) -> str:
    """`path` relative to the current directory when it is below it, as a user typed it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def make_folder(folder: Path) -> None:
    """Create `folder` and its parents as needed; a failure is a `BuildError`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BuildError(f"cannot write {_shown(folder)}: it is a file, not a folder") from None
    except OSError as exc:
        raise cannot_write(folder, exc) from None


def temporary(dest: Path) -> Path:
    """A new empty temporary beside `dest`, named after this process, with the mode a
    normal new file would have. The caller renames it into place or removes it."""
    make_folder(dest.parent)
    prefix = f".casereport-{os.getpid()}-{dest.name}."
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise cannot_write(dest, exc) from None
    try:
        os.fchmod(fd, _FILE_MODE)
    finally:
        os.close(fd)
    return Path(name)


@contextlib.contextmanager
def staged(dest: Path) -> Iterator[Path]:
    """A temporary path beside `dest`; removed unless the caller renames it into place."""
    temp = temporary(dest)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(dest: Path, write: Callable[[BinaryIO], object]) -> None:
    """Replace `dest` with what `write(file)` writes, in one step: a reader sees the old
    file or the new one, never part of one."""
    with staged(dest) as temp:
        try:
            with temp.open("wb") as file:
                write(file)
            temp.replace(dest)
        except OSError as exc:
            raise cannot_write(dest, exc) from None


def write_bytes_atomic(dest: Path, data: bytes) -> None:
    """Replace `dest` with `data` in one step."""
    write_atomic(dest, lambda file: file.write(data))


def copy_atomic(source: Path, dest: Path) -> None:
    """Copy `source` to `dest` atomically, unless `dest` already holds the same bytes."""
    if _same_bytes(source, dest):
        return
    write_atomic(dest, lambda file: _copy_into(source, file))


def _same_bytes(source: Path, dest: Path) -> bool:
    """Whether `dest` is a file (not a link to one elsewhere) holding `source`'s bytes."""
    if dest.is_symlink() or not dest.is_file():
        return False
    same_size = dest.stat().st_size == source.stat().st_size
    return same_size and dest.read_bytes() == source.read_bytes()


def _copy_into(source: Path, file: BinaryIO) -> None:
    try:
        data = source.open("rb")
    except OSError as exc:  # a cached file removed while the build ran
        raise BuildError(f"cannot read {_shown(source)}: {exc.strerror or exc}") from None
    with data:
        shutil.copyfileobj(data, file)


def is_stale(temp: Path) -> bool:
    """Whether `temp` is a temporary of ours whose process is gone."""
    found = TEMPORARY.fullmatch(temp.name)
    if found is None:
        return False
    pid = int(found["pid"])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's
        return False
    return False


def remove_stale_temporaries(out: Path) -> None:
    """Delete the temporaries that builds killed mid-way (SIGKILL, power loss) left in the
    build folder and its output folders; nothing else."""
    remove_stale_in(out, *(out / name for name in OUTPUT_FOLDERS))


def remove_stale_in(*folders: Path) -> None:
    """Delete casereport's temporaries in `folders` whose process is gone."""
    for folder in folders:
        for temp in folder.glob(".casereport-*.tmp"):
            if is_stale(temp):
                temp.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold `<out>/.casereport.lock`: one build at a time puts outputs into `out`."""
    make_folder(out)
    lock = out / LOCK
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, _FILE_MODE)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES):
            raise cannot_write(lock, exc) from None
        fd = _open_read_only(lock)  # the staging below will say what cannot be written
    try:
        if fd >= 0:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd >= 0:
            os.close(fd)


def _open_read_only(lock: Path) -> int:
    try:
        return os.open(lock, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return -1


class Outputs:
    """The outputs of one build, staged beside their destinations until `commit` puts
    them all in place; whatever was not committed is removed by `discard`."""

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}
        self.written: list[Path] = []

    def temporary(self, dest: Path) -> Path:
        """A temporary that will become `dest` (for a writer that opens the file itself)."""
        temp = temporary(dest)
        self._staged[dest] = temp
        self.written.append(dest)
        return temp

    def write(self, dest: Path, data: bytes) -> None:
        """Stage `data` as `dest`."""
        temp = self.temporary(dest)
        try:
            temp.write_bytes(data)
        except OSError as exc:
            raise cannot_write(dest, exc) from None

    def copy(self, source: Path, dest: Path) -> None:
        """Stage a copy of `source` as `dest` (nothing to stage when `dest` is the same)."""
        if _same_bytes(source, dest):
            self.written.append(dest)
            return
        temp = self.temporary(dest)
        try:
            with temp.open("wb") as file:
                _copy_into(source, file)
        except OSError as exc:
            raise cannot_write(dest, exc) from None

    def commit(self) -> None:
        """Rename every staged file into place, in the order they were staged."""
        for dest, temp in list(self._staged.items()):
            try:
                temp.replace(dest)
            except OSError as exc:
                raise cannot_write(dest, exc) from None
            del self._staged[dest]

    def discard(self) -> None:
        """Remove what was staged and not committed."""
        for temp in self._staged.values():
            temp.unlink(missing_ok=True)
        self._staged.clear()


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Outputs]:
    """Outputs for `out`, under its lock, stale temporaries removed first; whatever is not
    committed by the end is removed."""
    with locked(out):
        remove_stale_temporaries(out)
        outputs = Outputs()
        try:
            yield outputs
        finally:
            outputs.discard()
