"""Ceilings on each build's time and memory, so a hostile or broken case cannot hang or
swamp the machine, in every mode: one build, `build --watch`, `serve`, batches, `validate`.

A long-lived process (`serve`, `--watch`, a batch worker) already holds WeasyPrint, its
fonts and the results kept between builds, so the memory ceiling is what one build may
take *on top of* what the process held when the build started: the address-space limit
(`RLIMIT_AS`) is set to that baseline plus `--max-memory` for the build and lifted after
it. The time ceiling is a wall-clock timer (`setitimer`) whose signal stops the build in
Python code (a blocking system call is interrupted, so a FIFO swapped in for a checked
file cannot hang a build past it). Both are armed by `ceilings` around each build and need
the main thread (where the command line runs every build); the library applies them only
when asked. `RLIMIT_AS` is process-wide: while a build runs, `serve`'s HTTP threads live
under the same ceiling (they need little; a request that cannot get memory fails alone).
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from casereport.errors import BuildError

DEFAULT_TIMEOUT_S = 300
DEFAULT_MEMORY_MIB = 4096
MIB = 1024 * 1024


@dataclass(frozen=True)
class Ceilings:
    """How long one build may run (seconds) and how much more memory it may take (MiB)."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mib: int = DEFAULT_MEMORY_MIB


class CeilingHit(BuildError):
    """The build ran into its time or memory ceiling and was stopped; says which."""

    @classmethod
    def time(cls, timeout_s: float) -> CeilingHit:
        return cls(f"the build took longer than --timeout {timeout_s:g} s and was stopped")

    @classmethod
    def memory(cls, memory_mib: int) -> CeilingHit:
        return cls(f"the build needed more than --max-memory {memory_mib} MiB and was stopped")


def address_space() -> int:
    """Bytes of address space this process uses now (0 where /proc is not there)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    size = next((line.split()[1] for line in status.splitlines() if line.startswith("VmSize:")), 0)
    return int(size) * 1024


def near_memory_ceiling(share: float = 0.9) -> bool:
    """Whether this process came within `share` of its address-space ceiling: the likely
    cause when a library fails in odd ways (fontconfig, cffi) instead of raising MemoryError."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    peak = next(
        (line.split()[1] for line in status.splitlines() if line.startswith("VmPeak:")), "0"
    )
    return int(peak) * 1024 >= share * soft


_active: list[Ceilings] = []  # the ceilings of the build running now, if any


def memory_ceiling_hit() -> CeilingHit | None:
    """The memory ceiling hit, to raise when a PDF process under a low ceiling (below
    1 GiB) ran out of memory or crashed (fontconfig and cffi crash when memory runs out);
    None when no such ceiling is in force."""
    if not _active or _active[-1].memory_mib >= 1024:
        return None
    return CeilingHit.memory(_active[-1].memory_mib)


@contextmanager
def ceilings(limits: Ceilings | None) -> Iterator[None]:
    """Run the body (one build) under `limits`, if any: hitting either ceiling raises
    CeilingHit saying which, and the body's outputs are not written. The address-space
    limit is inherited by a PDF worker forked inside the body."""
    if limits is None:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("ceilings apply to builds in the main thread only")
    _active.append(limits)
    try:
        with _memory_ceiling(limits.memory_mib), _time_ceiling(limits.timeout_s):
            yield
    finally:
        _active.pop()


@contextmanager
def _memory_ceiling(memory_mib: int) -> Iterator[None]:
    previous = resource.getrlimit(resource.RLIMIT_AS)
    limit = address_space() + memory_mib * MIB
    limit = min([limit, *(n for n in previous if n != resource.RLIM_INFINITY)])
    resource.setrlimit(resource.RLIMIT_AS, (limit, previous[1]))
    hit = False
    try:
        yield
    except MemoryError:
        hit = True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, previous)
    if hit:  # raised once the limit is lifted and the build's memory is let go
        raise CeilingHit.memory(memory_mib)


@contextmanager
def _time_ceiling(timeout_s: float) -> Iterator[None]:
    expired: list[bool] = []

    def expire(signum: int, frame: FrameType | None) -> None:
        expired.append(True)
        raise CeilingHit.time(timeout_s)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        yield
    except CeilingHit:
        raise
    except Exception as exc:
        # The signal lands wherever the build is: code there may wrap what it raises (an
        # import turns it into "RuntimeError: Error calling __set_name__"): still the ceiling.
        if expired:
            raise CeilingHit.time(timeout_s) from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
