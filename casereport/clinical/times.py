"""Times in a case: offsets from baseline ("day 28", "month -6") or dates ("2019-03").

A clinical course is told in one of two clocks: relative to the start of the treatment
that the report is about, or in calendar dates. Both parse into a `Time` on a day scale,
so scores, treatments and events can share one axis; the two clocks never mix on one axis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_UNIT = r"(day|week|month|year)s?"
_OFFSET = re.compile(rf"^{_UNIT}\s+({_NUMBER})$", re.IGNORECASE)
_SPOKEN = re.compile(rf"^({_NUMBER})\s+{_UNIT}\s+(before|after)(?:\s+baseline)?$", re.IGNORECASE)
_DURATION = re.compile(rf"^(?:every\s+)?({_NUMBER})?\s*{_UNIT}$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
TIME_FORMS = '"baseline", "day 28", "week 8", "month -6", "3 months before baseline", "2019-03"'

Clock = Literal["relative", "date"]
MAX_YEARS = 200  # a time from baseline, or a duration, longer than this is a typing error
_MAX_DAYS = MAX_YEARS * DAYS["year"]


@dataclass(frozen=True, order=True)
class Time:
    """A point in time: days from baseline (relative) or days since 0001-01-01 (date)."""

    days: float
    clock: Clock
    text: str

    @property
    def as_date(self) -> date:
        """The calendar date (only for the date clock)."""
        return date.fromordinal(max(1, round(self.days)))


class TimeError(ValueError):
    """A time or duration that does not parse; the message says what would."""


def parse_time(text: str) -> Time:
    """Parse a time expression; raise TimeError naming the accepted forms."""
    cleaned = " ".join(text.split())
    if cleaned.lower() in ("baseline", "day 0"):
        return Time(0.0, "relative", text)
    offset = _OFFSET.match(cleaned)
    if offset:
        days = float(offset.group(2)) * DAYS[offset.group(1).lower()]
        return Time(_within_bounds(days, text), "relative", text)
    spoken = _SPOKEN.match(cleaned)
    if spoken:
        sign = -1.0 if spoken.group(3).lower() == "before" else 1.0
        days = sign * float(spoken.group(1)) * DAYS[spoken.group(2).lower()]
        return Time(_within_bounds(days, text), "relative", text)
    dated = _DATE.match(cleaned)
    if dated:
        return Time(float(_date(dated).toordinal()), "date", text)
    raise TimeError(f"{text!r} is not a time; write one like {TIME_FORMS}")


def parse_duration(text: str) -> float:
    """Days in a duration such as "4 weeks", "every 28 days" or "month"."""
    found = _DURATION.match(" ".join(text.split()))
    if not found:
        raise TimeError(f'{text!r} is not a duration; write one like "4 weeks" or "28 days"')
    count = float(found.group(1)) if found.group(1) else 1.0
    if count <= 0:
        raise TimeError(f"{text!r}: a duration must be longer than zero")
    return _within_bounds(count * DAYS[found.group(2).lower()], text)


def _within_bounds(days: float, text: str) -> float:
    """`days`, unless it is more than MAX_YEARS (a typing error, or beyond what floats hold)."""
    if not abs(days) <= _MAX_DAYS:
        raise TimeError(f"{text!r} is more than {MAX_YEARS} years; check the number")
    return days


def _date(found: re.Match[str]) -> date:
    year, month, day = found.group(1), found.group(2) or "1", found.group(3) or "1"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise TimeError(f"{found.group(0)!r} is not a calendar date") from None
