"""The registry of bibliography readers: every registered reader reads a small file of its kind,
an unknown suffix is reported with every registered one, and one registry line adds a format."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import load_case
from casereport.errors import CaseError
from casereport.references.bibliography import read_file
from casereport.references.parsed import Parsed, ReadProblem
from casereport.references.readers import READERS, Reader
from tests.conftest import SMALL_CASE

SAMPLES = {
    "CSL-JSON": '[{"id": "one", "type": "book", "title": "One", "publisher": "P"}]\n',
    "BibTeX": "@book{one, title={One}, publisher={P}, year={2020}}\n",
    "RIS": "TY  - BOOK\nID  - one\nTI  - One\nPB  - P\nPY  - 2020\nER  - \n",
}


@pytest.mark.parametrize("suffix", list(READERS))
def test_each_registered_reader_reads_a_small_file(suffix: str, tmp_path: Path) -> None:
    reader = READERS[suffix]
    assert reader.name in SAMPLES, f"add a sample {reader.name} file to SAMPLES"
    path = tmp_path / f"refs{suffix}"
    path.write_text(SAMPLES[reader.name], encoding="utf-8")
    for cache_dir in (None, tmp_path / "cache", tmp_path / "cache"):  # the last from the cache
        refs, problems = read_file(path, cache_dir)
        assert problems == []
        assert [(ref.id, ref.type, ref.csl()["title"]) for ref in refs] == [("one", "book", "One")]
        assert refs[0].origin == (str(path), 1, None)


def test_unknown_type_lists_the_registered_suffixes(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE + "bibliography: refs.xml\n")
    (case.parent / "refs.xml").write_text("<x/>", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(case)
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case.parent / 'refs.xml'}: error: unknown bibliography type; "
        "use .json, .bib, .ris, .txt"
    ]
    assert list(READERS) == [".json", ".bib", ".ris", ".txt"]


def _tab_separated(text: str) -> Parsed:
    """A made-up format: `id<TAB>title` per line."""
    items = []
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        ident, tab, title = line.partition("\t")
        if tab:
            items.append(({"id": ident, "type": "book", "title": title}, number))
        else:
            problems.append(ReadProblem(number, "expected id<TAB>title"))
    return items, problems


def test_one_registry_line_adds_a_format(
    make_case: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, ".tsv", Reader("TSV", _tab_separated, cached=False))
    case = make_case(SMALL_CASE + "bibliography: [refs.tsv, refs.xml]\n")
    folder = case.parent
    (folder / "refs.tsv").write_text("three\tThree\nnot a line\n", encoding="utf-8")
    (folder / "refs.xml").write_text("<x/>", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(case)
    assert [d.format() for d in info.value.diagnostics] == [
        f"{folder / 'refs.tsv'}:2: error: expected id<TAB>title",
        f"{folder / 'refs.xml'}: error: unknown bibliography type; "
        "use .json, .bib, .ris, .txt, .tsv",
    ]
    refs, problems = read_file(folder / "refs.tsv")
    assert [(ref.id, ref.origin[1]) for ref in refs] == [("three", 1)]
    assert [(p.origin, p.message) for p in problems] == [
        ((str(folder / "refs.tsv"), 2, None), "expected id<TAB>title")
    ]


def test_a_reader_is_imported_only_when_its_kind_is_read(tmp_path: Path) -> None:
    path = tmp_path / "refs.ris"
    path.write_text(SAMPLES["RIS"], encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from casereport.references.bibliography import read_file\n"
        "parsers = ('bibtex', 'ris', 'csl_json')\n"
        "loaded = lambda: [p for p in parsers if f'casereport.references.{p}' in sys.modules]\n"
        "before = loaded()\n"
        f"read_file(Path({str(path)!r}))\n"
        "print(before, loaded())\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "[] ['ris']"
