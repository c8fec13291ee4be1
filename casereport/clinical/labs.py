"""Laboratory values against their reference ranges: which are high, low or abnormal.

A range is written as the lab report prints it: "150-400", "<5", ">=60", "1:80" limits
for titres, or a word ("negative") for qualitative tests; or as a [low, high] pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Flag = Literal["high", "low", "abnormal"]
_NUM = r"\d+(?:\.\d+)?"
_TITRE = re.compile(r"^1\s*:\s*(\d+(?:\.\d+)?)$")
_BETWEEN = re.compile(rf"^({_NUM})\s*(?:-|–|to)\s*({_NUM})$")
_BOUND = re.compile(r"^(<=|>=|≤|≥|<|>)\s*(.+)$")


@dataclass(frozen=True)
class Range:
    """Limits of normal: numeric low and high (either open), or a normal word."""

    low: float | None = None
    high: float | None = None
    normal: str | None = None

    def text(self) -> str:
        """The range as printed in a table."""
        if self.normal is not None:
            return self.normal
        if self.low is not None and self.high is not None:
            return f"{number_text(self.low)}\u2013{number_text(self.high)}"
        if self.high is not None:
            return f"<{number_text(self.high)}"
        return f">{number_text(self.low)}" if self.low is not None else ""


def parse_range(value: object) -> Range:
    """A Range from a [low, high] pair or a string; raise ValueError when it is neither."""
    if isinstance(value, tuple | list):
        low, high = value
        return Range(_float(low), _float(high))
    if not isinstance(value, str):
        raise ValueError(f'a range is [low, high] or text like "150-400", not {value!r}')
    text = " ".join(value.split())
    between = _BETWEEN.match(text)
    if between:
        low, high = float(between.group(1)), float(between.group(2))
        if low > high:
            raise ValueError(f"range {value!r}: low is above high")
        return Range(low, high)
    bound = _BOUND.match(text)
    if bound:
        limit = number(bound.group(2))
        if limit is None:
            raise ValueError(f"range {value!r}: {bound.group(2)!r} is not a number")
        return Range(high=limit) if bound.group(1) in ("<", "<=", "≤") else Range(low=limit)
    if number(text) is not None:
        raise ValueError(f'range {value!r} is a single number; write "<{text}" or "low-high"')
    return Range(normal=text)


def number(text: str) -> float | None:
    """A plain number or a titre ("1:640" → 640); None for anything else."""
    titre = _TITRE.match(text.strip())
    if titre:
        return float(titre.group(1))
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        return None


def flag(value: float | str, limits: Range) -> Flag | None:
    """How a value falls outside its range, or None when it is within (or cannot be judged)."""
    if limits.normal is not None:
        return None if str(value).strip().lower() == limits.normal.lower() else "abnormal"
    measured = value if isinstance(value, int | float) else number(value)
    if measured is None:
        return None
    if limits.low is not None and measured < limits.low:
        return "low"
    if limits.high is not None and measured > limits.high:
        return "high"
    return None


def number_text(value: float) -> str:
    """A number as a person writes it: 42, 12.5, 0.62 (no trailing .0, no exponent)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _float(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"range limits must be numbers or null, not {value!r}")
    return float(value)
