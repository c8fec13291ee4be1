"""The privacy lint meets its targets on its corpora: at least 90 % of the sentences with an
identifier found in their category, at most 5 % of the clinical sentences reported.

`python -m tests.privacy.corpus_figures` prints the figures per category."""

from __future__ import annotations

import pytest
import yaml

from tests.privacy.corpus_figures import CORPORA, measure

RECALL, FALSE_POSITIVES = 0.90, 0.05


@pytest.mark.parametrize("name", CORPORA)
def test_recall_and_false_positives(name: str) -> None:
    figures = measure(name, CORPORA[name])
    report = "\n".join(figures.lines())
    assert figures.recall >= RECALL, report
    assert figures.false_positive_rate <= FALSE_POSITIVES, report


def test_the_corpus_is_as_large_as_the_issue_asks() -> None:
    corpus = yaml.safe_load(CORPORA["corpus"].read_text(encoding="utf-8"))
    assert len(corpus["identifying"]) >= 60
    assert len(corpus["clinical"]) >= 60
