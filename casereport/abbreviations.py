"""Abbreviations defined in the text, "long form (SF)", for a journal's list of them.

The algorithm of Schwartz and Hearst (Pac Symp Biocomput 2003): a short form in parentheses
after a long form, of 2-10 characters with a capital letter; its long form is found by
matching the short form's characters from right to left in the words before it, the first
character of the short form at the start of a word. Used where a journal prints a list of
abbreviations and the case gives none (`abbreviations:` in the case wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DEFINITION = re.compile(r"\(([^()\s][^()]{0,9})\)")
_WORD = re.compile(r"\S+")


def gathered(texts: Iterable[str]) -> dict[str, str]:
    """Each abbreviation defined in `texts` (first definition wins), short → long form."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _DEFINITION.finditer(text):
            short = match.group(1).strip()
            if not _is_short_form(short) or short in found:
                continue
            long = _long_form(short, text[: match.start()])
            if long:
                found[short] = long
    return found


def _is_short_form(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        2 <= len(text) <= 10
        and " " not in text
        and bool(letters)
        and any(c.isupper() for c in letters)
        and text[0].isalnum()
    )


def _long_form(short: str, before: str) -> str | None:
    """The long form of `short` at the end of `before`, or None."""
    words = _WORD.findall(before)[-min(len(short) + 5, len(short) * 2) :]
    if not words:
        return None
    candidate = " ".join(words)
    s, c = len(short) - 1, len(candidate) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while c >= 0 and (
            candidate[c].lower() != char or (s == 0 and c > 0 and candidate[c - 1].isalnum())
        ):
            c -= 1
        if c < 0:
            return None
        s, c = s - 1, c - 1
    start = candidate.rfind(" ", 0, c + 1) + 1
    long = candidate[start:].strip(" ,;:")
    if long.lower() == short.lower() or len(long) <= len(short):
        return None
    return long
