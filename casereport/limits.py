"""Ceilings on a build's time and memory, so a hostile or broken case cannot hang or swamp
the machine. Used by the command line around one build; the library leaves them to callers.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from casereport.errors import CasereportError

DEFAULT_TIMEOUT_S = 300
DEFAULT_MEMORY_MIB = 4096


class CeilingHit(CasereportError):
    """The build ran into its time or memory ceiling and was stopped."""


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


@contextmanager
def ceilings(timeout_s: float, memory_mib: int) -> Iterator[None]:
    """Run the body with a wall-clock timeout and an address-space ceiling (inherited by
    the PDF worker); hitting either raises CeilingHit and nothing is written."""
    previous_limit = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_mib * 1024 * 1024
    if previous_limit[1] == resource.RLIM_INFINITY or limit < previous_limit[1]:
        resource.setrlimit(resource.RLIMIT_AS, (limit, previous_limit[1]))

    def expire(signum: int, frame: FrameType | None) -> None:
        raise CeilingHit(f"the build took longer than {timeout_s:g} s (--timeout) and was stopped")

    previous_handler = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        yield
    except MemoryError:
        message = f"the build needed more than {memory_mib} MiB (--max-memory) and was stopped"
        raise CeilingHit(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        resource.setrlimit(resource.RLIMIT_AS, previous_limit)
