"""Recall and false positives of the privacy lint over its corpora, per category.

    python -m tests.privacy.corpus_figures      # prints the figures of both corpora

A sentence with an identifier counts as found when the lint reports its labelled category
in it; a clinical sentence with any report at all is a false positive.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casereport.privacy import find_identifiers
from casereport.privacy.findings import Known

HERE = Path(__file__).parent
CORPORA = {"corpus": HERE / "corpus.yaml", "held-out": HERE / "heldout.yaml"}


@dataclass
class Figures:
    """What the lint found in one corpus."""

    name: str
    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    clean: int = 0
    false_positives: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / sum(self.total.values())

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_positives) / self.clean

    def lines(self) -> list[str]:
        found, total = sum(self.found.values()), sum(self.total.values())
        fps = len(self.false_positives)
        lines = [
            f"{self.name}: recall {found}/{total} = {self.recall:.1%}; "
            f"false positives {fps}/{self.clean} = {self.false_positive_rate:.1%}"
        ]
        lines += [f"  {cat:9} {self.found[cat]}/{self.total[cat]}" for cat in sorted(self.total)]
        lines += [f"  missed: {text}" for text in self.missed]
        lines += [f"  false positive: {text}" for text in self.false_positives]
        return lines


def measure(name: str, path: Path) -> Figures:
    """The lint's figures over one corpus file."""
    corpus = yaml.safe_load(path.read_text(encoding="utf-8"))
    known = Known.of(corpus["authors"], [corpus["correspondence_email"]])
    figures = Figures(name)
    for item in corpus["identifying"]:
        category = item["category"]
        figures.total[category] += 1
        if any(f.category == category for f in find_identifiers(item["text"], known)):
            figures.found[category] += 1
        else:
            figures.missed.append(f"[{category}] {item['text']}")
    for text in corpus["clinical"]:
        figures.clean += 1
        found = find_identifiers(text, known)
        if found:
            figures.false_positives.append(f"{text} ({', '.join(f.category for f in found)})")
    return figures


if __name__ == "__main__":
    for name, path in CORPORA.items():
        print("\n".join(measure(name, path).lines()))
