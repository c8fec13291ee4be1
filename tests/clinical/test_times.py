"""Times and laboratory ranges: what parses, what it means, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from casereport.clinical.labs import Range, flag, number, number_text, parse_range
from casereport.clinical.times import TimeError, parse_duration, parse_time


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("baseline", 0.0),
        ("Day 0", 0.0),
        ("day 28", 28.0),
        ("week 8", 56.0),
        ("weeks 2", 14.0),
        ("month 6", 6 * 365.25 / 12),
        ("month -9", -9 * 365.25 / 12),
        ("year 1", 365.25),
        ("3 months before baseline", -3 * 365.25 / 12),
        ("2 weeks after", 14.0),
    ],
)
def test_offsets_from_baseline(text: str, days: float) -> None:
    time = parse_time(text)
    assert time.clock == "relative"
    assert time.days == pytest.approx(days)
    assert time.text == text


@pytest.mark.parametrize(
    ("text", "day"),
    [("2019", date(2019, 1, 1)), ("2019-03", date(2019, 3, 1)), ("2019-03-14", date(2019, 3, 14))],
)
def test_dates(text: str, day: date) -> None:
    time = parse_time(text)
    assert time.clock == "date" and time.as_date == day


@pytest.mark.parametrize("text", ["sometime", "day", "month six", "2019-13", "2019-02-30", ""])
def test_what_is_not_a_time(text: str) -> None:
    with pytest.raises(TimeError, match=r"is not a (time|calendar date)"):
        parse_time(text)


def test_durations() -> None:
    assert parse_duration("4 weeks") == 28.0
    assert parse_duration("every 28 days") == 28.0
    assert parse_duration("month") == pytest.approx(365.25 / 12)
    for bad in ("0 weeks", "fortnightly", "4"):
        with pytest.raises(TimeError):
            parse_duration(bad)


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ([150, 400], Range(150, 400)),
        ([None, 5], Range(None, 5)),
        ("150-400", Range(150, 400)),
        ("0.9–1.8", Range(0.9, 1.8)),
        ("<10", Range(high=10)),
        ("≥60", Range(low=60)),
        ("<1:80", Range(high=80)),
        ("negative", Range(normal="negative")),
    ],
)
def test_reference_ranges(written: object, parsed: Range) -> None:
    assert parse_range(written) == parsed


def test_refused_ranges() -> None:
    for bad in ("400-150", "5", [1, "x"]):
        with pytest.raises(ValueError):
            parse_range(bad)


def test_flags() -> None:
    assert flag(42, Range(150, 400)) == "low"
    assert flag(420, Range(150, 400)) == "high"
    assert flag(150, Range(150, 400)) is None
    assert flag("1:640", Range(high=80)) == "high"
    assert flag("positive", Range(normal="negative")) == "abnormal"
    assert flag("Negative", Range(normal="negative")) is None
    assert flag("not done", Range(150, 400)) is None


def test_numbers_print_as_written() -> None:
    assert [number_text(v) for v in (42.0, 12.5, 0.62, 1500000.0)] == [
        "42",
        "12.5",
        "0.62",
        "1500000",
    ]
    assert number("1:640") == 640 and number("1,200") == 1200 and number("n/a") is None
    assert Range(150, 400).text() == "150\u2013400" and Range(high=10).text() == "<10"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("admission", 0.0),
        ("Admission", 0.0),
        ("hospital day 1", 0.0),  # the day of admission is hospital day 1
        ("Hospital  day 3", 2.0),
        ("2 days before admission", -2.0),
        ("1 week after admission", 7.0),
    ],
)
def test_times_of_a_hospital_stay(text: str, days: float) -> None:
    time = parse_time(text)
    assert (time.clock, time.days, time.has_day) == ("admission", days, True)


def test_discharge_is_after_every_hospital_day_but_has_no_day() -> None:
    discharge = parse_time("discharge")
    assert discharge.clock == "admission" and not discharge.has_day
    assert parse_time("hospital day 200").days < discharge.days


def test_admission_is_a_clock_of_its_own() -> None:
    # admission is not baseline, nor "day 0": nothing says how far apart they are
    assert parse_time("admission").clock != parse_time("baseline").clock
    assert parse_time("3 days after").clock == "relative"
    assert parse_time("3 days after baseline").clock == "relative"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hospital day 0", "'hospital day 0': hospital days are whole numbers from 1"),
        ("hospital day 2.5", "'hospital day 2.5': hospital days are whole numbers from 1"),
        ("hospital day -1", "'hospital day -1': hospital days are whole numbers from 1"),
        ("hospial day 3", "'hospial day 3' is not a time; did you mean 'hospital day 3'?"),
        ("admision", "'admision' is not a time; did you mean 'admission'?"),
        ("on admission", "'on admission' is not a time; did you mean 'admission'?"),
        ("mnth 6", "'mnth 6' is not a time; did you mean 'month 6'?"),
        ("baseine", "'baseine' is not a time; did you mean 'baseline'?"),
        (
            "day three of admission",
            "'day three of admission' is not a time; times from admission are written "
            '"admission", "hospital day 3", "2 days before admission", "discharge"',
        ),
        (
            "2 weeks after discharge",
            "'2 weeks after discharge' is not a time; times from admission are written "
            '"admission", "hospital day 3", "2 days before admission", "discharge"; a time '
            "after discharge has no day from admission: give it from baseline or as a date",
        ),
        ("hospital day 99999999999", "'hospital day 99999999999' is more than 200 years"),
    ],
)
def test_what_a_misspelt_time_should_be(text: str, message: str) -> None:
    with pytest.raises(TimeError) as caught:
        parse_time(text)
    assert str(caught.value).startswith(message)
