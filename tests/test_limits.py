"""The ceilings themselves: what a hit looks like wherever the build happens to be."""

from __future__ import annotations

import time

import pytest

from casereport.limits import CeilingHit, Ceilings, ceilings


class _SlowName:
    """A descriptor whose `__set_name__` runs long: Python 3.11 wraps whatever it raises
    (the timer's CeilingHit included) in "RuntimeError: Error calling __set_name__"."""

    def __set_name__(self, owner: type, name: str) -> None:
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            pass


def test_time_ceiling_hit_inside_code_that_wraps_errors() -> None:
    """Reproduction: `--timeout 0.05` firing while a module was imported (a class being
    made) ended as `internal error: RuntimeError: Error calling __set_name__ …`."""
    with pytest.raises(CeilingHit, match=r"longer than --timeout 0.05 s"):  # noqa: SIM117
        with ceilings(Ceilings(timeout_s=0.05)):

            class Slow:
                field = _SlowName()


def test_no_ceiling_no_change() -> None:
    with ceilings(Ceilings(timeout_s=5)):
        assert sum(range(10)) == 45
