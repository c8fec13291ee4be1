"""Times in a case: offsets from baseline ("day 28", "month -6"), dates ("2019-03"), or
times of a hospital stay ("admission", "hospital day 3", "discharge").

A clinical course is told in one of three clocks: relative to the start of the treatment
that the report is about (`relative`), in calendar dates (`date`), or relative to the
patient's admission (`admission`). Each parses into a `Time` on a day scale, so scores,
treatments and events can share one axis; clocks never mix on one axis, since nothing says
how many days lie between baseline (or a date) and an admission.

On the admission clock, day 0 is the day of admission, which is hospital day 1 (hospital
days count from 1, as ward notes do); "2 days before admission" is day -2. "discharge" is on
that clock but has no day number: it is after every hospital day, and a chart, which needs
the day, refuses it.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_UNIT = r"(day|week|month|year)s?"
_OFFSET = re.compile(rf"^{_UNIT}\s+({_NUMBER})$", re.IGNORECASE)
_SPOKEN = re.compile(
    rf"^({_NUMBER})\s+{_UNIT}\s+(before|after)(?:\s+(baseline|admission))?$", re.IGNORECASE
)
_HOSPITAL_DAY = re.compile(rf"^hospital\s+day\s+({_NUMBER})$", re.IGNORECASE)
_DURATION = re.compile(rf"^(?:every\s+)?({_NUMBER})?\s*{_UNIT}$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
TIME_FORMS = '"baseline", "day 28", "week 8", "month -6", "3 months before baseline", "2019-03"'
ADMISSION_FORMS = '"admission", "hospital day 3", "2 days before admission", "discharge"'
# What a misspelt time is compared with: whole words, and the words before a number.
_WORDS = ("baseline", "admission", "discharge")
_HEADS = ("day", "week", "month", "year", "hospital day")

Clock = Literal["relative", "date", "admission"]
MAX_YEARS = 200  # a time from baseline, or a duration, longer than this is a typing error
_MAX_DAYS = MAX_YEARS * DAYS["year"]


@dataclass(frozen=True, order=True)
class Time:
    """A point in time: days from baseline (relative), days since 0001-01-01 (date) or days
    from admission (admission; infinite for "discharge")."""

    days: float
    clock: Clock
    text: str

    @property
    def has_day(self) -> bool:
        """Whether the time is a day that can be placed on an axis ("discharge" is not)."""
        return math.isfinite(self.days)

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
    if cleaned.lower() in ("admission", "discharge"):
        return Time(0.0 if cleaned.lower() == "admission" else math.inf, "admission", text)
    hospital_day = _HOSPITAL_DAY.match(cleaned)
    if hospital_day:
        return Time(_hospital_day(hospital_day.group(1), text), "admission", text)
    offset = _OFFSET.match(cleaned)
    if offset:
        days = float(offset.group(2)) * DAYS[offset.group(1).lower()]
        return Time(_within_bounds(days, text), "relative", text)
    spoken = _SPOKEN.match(cleaned)
    if spoken:
        sign = -1.0 if spoken.group(3).lower() == "before" else 1.0
        days = sign * float(spoken.group(1)) * DAYS[spoken.group(2).lower()]
        clock: Clock = "admission" if (spoken.group(4) or "").lower() == "admission" else "relative"
        return Time(_within_bounds(days, text), clock, text)
    dated = _DATE.match(cleaned)
    if dated:
        return Time(float(_date(dated).toordinal()), "date", text)
    raise TimeError(f"{text!r} is not a time; {_advice(cleaned)}")


def _hospital_day(number: str, text: str) -> float:
    """Days from admission of hospital day `number` (hospital day 1 is admission day)."""
    value = float(number)
    if not value.is_integer() or value < 1:
        raise TimeError(
            f"{text!r}: hospital days are whole numbers from 1, the day of admission "
            '("admission" or "hospital day 1")'
        )
    return _within_bounds(value - 1, text)


def _advice(cleaned: str) -> str:
    """What to write instead: "did you mean 'admission'?" for a misspelt time, the forms of
    the admission clock for one that mentions a hospital stay, else every other form."""
    lowered = cleaned.lower()
    number = re.search(rf"\s({_NUMBER})$", lowered)
    head, tail = (lowered[: number.start()], number.group(0)) if number else (lowered, "")
    close = difflib.get_close_matches(head, _HEADS if number else _WORDS, n=1, cutoff=0.8)
    if close:
        return f"did you mean {close[0] + tail!r}?"
    if not any(word in lowered for word in ("admi", "hospital", "discharg")):
        return f"write one like {TIME_FORMS}"
    advice = f"times from admission are written {ADMISSION_FORMS}"
    if "discharg" in lowered:
        advice += (
            "; a time after discharge has no day from admission: give it from baseline or as a date"
        )
    return advice


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
