"""The bibliography readers, by file suffix: `READERS[".bib"]` reads BibTeX.

A reader turns a file's text into CSL-JSON items with their lines (`parsed.Parsed`); each is
imported only when a file of its kind is read. To add a format, write its module (a function
`text -> Parsed`) and add one line to `READERS` (with the function that imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casereport.references.parsed import Parsed


@dataclass(frozen=True)
class Reader:
    """A bibliography format: its name, how to read a file's text, and whether what it reads
    is kept in the build cache (worth it for a parser slower than reading the cache back)."""

    name: str
    read: Callable[[str], Parsed]
    cached: bool = True


def _csl_json(text: str) -> Parsed:
    from casereport.references.csl_json import read_csl_json

    return read_csl_json(text)


def _bibtex(text: str) -> Parsed:
    from casereport.references.bibtex import read_bibtex

    return read_bibtex(text)


def _ris(text: str) -> Parsed:
    from casereport.references.ris import read_ris

    return read_ris(text)


READERS: dict[str, Reader] = {
    ".json": Reader("CSL-JSON", _csl_json, cached=False),
    ".bib": Reader("BibTeX", _bibtex),
    ".ris": Reader("RIS", _ris),
    ".txt": Reader("RIS", _ris),  # EndNote exports RIS as .txt
}
