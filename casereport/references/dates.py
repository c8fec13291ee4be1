"""Dates as bibliography files write them → CSL-JSON dates."""

from __future__ import annotations

import re
from typing import Any

_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?(?:/+|T.*)?$")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def parse_date(text: str) -> dict[str, Any]:
    """`2020`, `2020-01`, `2020-01-16`, `2020/01/16/` or `2020 Jan 16` → CSL date-parts;
    anything else is kept as a literal date."""
    text = text.strip()
    match = _DATE.match(text)
    if match:
        parts = [int(p) for p in match.groups() if p]
        return {"date-parts": [_valid(parts)]}
    words = text.replace(",", " ").split()
    if words and re.fullmatch(r"\d{4}", words[0]):
        parts = [int(words[0])]
        if len(words) > 1 and words[1][:3].lower() in MONTHS:
            parts.append(MONTHS[words[1][:3].lower()])
            if len(words) > 2 and words[2].isdigit():
                parts.append(int(words[2]))
        return {"date-parts": [_valid(parts)]}
    return {"literal": text}


def _valid(parts: list[int]) -> list[int]:
    """Drop a month outside 1-12 (and the day with it) or a day outside 1-31."""
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts
