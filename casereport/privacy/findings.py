"""A finding of the privacy lint in one text, and what the lint knows about the case while
it reads (`Known`: the authors' names and addresses, meant to be printed).

`scan` runs every rule of `rules` and `people` over a text and keeps, where two findings
overlap, the one found first (rules run from the most specific: an e-mail address before
the digits inside it). Citations (`[@key]`, `@key`) and the case's own e-mail addresses are
blanked first: neither identifies the patient.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

Category = str  # "names", "initials", "places", "dates", "ages", "phone", "fax", "email",
# "urls", "ip", "numbers", "serials", "images", "faces"


@dataclass(frozen=True)
class Known:
    """What the case prints on purpose: its authors' (and cited authors') surnames and the
    e-mail addresses of its authors and correspondence."""

    surnames: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str], emails: Iterable[str] = ()) -> Known:
        """From full names as written ("B. Sample", "Beatrice Sample"): each one's last word."""
        surnames = {name.split()[-1].strip(".,").casefold() for name in names if name.split()}
        return cls(frozenset(surnames), frozenset(e.casefold() for e in emails))

    def is_author(self, name: str) -> bool:
        """Whether a name found in the text is one of these people (by its last word)."""
        words = re.findall(r"[^\W\d_][\w'’-]*", name)
        return bool(words) and words[-1].casefold() in self.surnames


@dataclass(frozen=True)
class Finding:
    """One identifier in one text: its category, where it is and what to do about it."""

    category: Category
    start: int
    end: int
    text: str
    advice: str  # what it is and the fix: 'dates an event of the patient; write "…"'

    @property
    def message(self) -> str:
        return f'privacy ({self.category}): "{self.text}" {self.advice}'


Rule = Callable[[str, Known], Iterator[Finding]]

_CITATION = re.compile(r"\[[^\[\]@]*@[^\[\]]*\]|(?<![\w@\\])@[\w][\w:./+-]*\w")


@dataclass
class _Collected:
    found: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        if not any(finding.start < f.end and f.start < finding.end for f in self.found):
            self.found.append(finding)


def scan(text: str, known: Known, rules: Iterable[Rule]) -> list[Finding]:
    """Every finding of `rules` in `text`, in the order of the text, overlaps dropped."""
    blank = _CITATION.sub(_spaces, text)
    for email in known.emails:  # printed on purpose: nothing inside one is reported either
        blank = re.sub(re.escape(email), _spaces, blank, flags=re.IGNORECASE)
    collected = _Collected()
    for rule in rules:
        for finding in rule(blank, known):
            collected.add(_restore(finding, text))
    return sorted(collected.found, key=lambda f: f.start)


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _restore(finding: Finding, text: str) -> Finding:
    """The finding's text as written (citations were blanked only to be skipped)."""
    original = text[finding.start : finding.end]
    if original == finding.text:
        return finding
    return Finding(finding.category, finding.start, finding.end, original, finding.advice)


def finding(category: Category, match: re.Match[str], advice: str, group: int = 0) -> Finding:
    """A finding at a match (or one of its groups)."""
    return Finding(category, match.start(group), match.end(group), match.group(group), advice)
