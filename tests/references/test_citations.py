"""Tests of citation numbering, compression and the Clin Exp Rheumatol bibliography style."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casereport.errors import BuildError
from casereport.references import citations
from casereport.references.citations import (
    CslStyle,
    compress,
    format_bibliography,
    load_style,
    number_citations,
)
from casereport.references.csl_html import CLOSE, OPEN
from casereport.references.styles import find_style

ROOT = Path(__file__).resolve().parents[2]
STYLE_PATH = ROOT / "templates" / "clin-exp-rheumatol" / "style.csl"
PUBLISHED_REFERENCES = ROOT / "tests" / "references" / "data" / "published-references.json"

# The References section of the published letter, with the PDF extraction typos corrected
# (FANOURIAKIS, MOSCA M, MONTECUCCO C, and the DOI of ref. 6 without a space).
PRINTED = (
    "DAI X, FAN Y, ZHAO X: Systemic lupus erythematosus: updated insights on the pathogenesis,"
    " diagnosis, prevention and therapeutics. Sig Transduct Target Ther 2025; 10: 102."
    " https://doi.org/10.1038/s41392-025-02168-0",
    "DESAI K, MITEVA M: Recent insight on the management of lupus erythematosus alopecia."
    " Clin Cosmet Investig Dermatol 2021; 14: 333-47. https://doi.org/10.2147/ccid.s269288",
    "FANOURIAKIS A, KOSTOPOULOU M, ANDERSEN J et al.: EULAR recommendations for the management"
    " of systemic lupus erythematosus: 2023 update. Ann Rheum Dis 2024; 83(1): 15-29."
    " https://doi.org/10.1136/ard-2023-224762",
    "MORAND EF, FURIE R, TANAKA Y et al.: Trial of anifrolumab in active systemic lupus"
    " erythematosus. N Engl J Med 2020; 382: 211-21. https://doi.org/10.1056/nejmoa1912196",
    "TRENTIN F, TANI C, ELEFANTE E, STAGNARO C, ZUCCHI D, MOSCA M: Treatment with anifrolumab"
    " for discoid lupus erythematosus. JAMA Dermatol 2023; 159: 224."
    " https://doi.org/10.1001/jamadermatol.2022.5242",
    "BOTTAZZI F, MANNA E, CODULLO V, ZANFRAMUNDO G, MONTECUCCO C, CAVAGNA L: Efficacy of"
    " anifrolumab as a first-line therapy for the treatment of thrombocytopenia in systemic"
    " lupus erythematosus: a case report. Clin Exp Rheumatol 2025; 43: 1364."
    " https://doi.org/10.55563/clinexprheumatol/s66b34",
    "BRUCE IN, VAN VOLLENHOVEN RF, PSACHOULIA K, LINDHOLM C, MAHO E, TUMMALA R: Time to onset"
    " of clinical response to anifrolumab in patients with SLE: pooled data from the phase III"
    " TULIP-1 and TULIP-2 trials. Lupus Sci Med 2023; 10: e000761."
    " https://doi.org/10.1136/lupus-2022-000761",
)
PRINTED_JOURNALS = (
    "Sig Transduct Target Ther",
    "Clin Cosmet Investig Dermatol",
    "Ann Rheum Dis",
    "N Engl J Med",
    "JAMA Dermatol",
    "Clin Exp Rheumatol",
    "Lupus Sci Med",
)
IDS = (
    "dai2025",
    "desai2021",
    "fanouriakis2024",
    "morand2020",
    "trentin2023",
    "bottazzi2025",
    "bruce2023",
)


def strip_tags(html: str) -> str:
    """Drop tags and unescape the three entities the formatter produces."""
    text = re.sub(r"<[^>]+>", "", html)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def authors(count: int) -> list[dict[str, str]]:
    """Make count distinct authors, Author1 A. ... AuthorN A."""
    return [{"family": f"Author{n}", "given": "A."} for n in range(1, count + 1)]


def article(**fields: Any) -> dict[str, Any]:
    """Make a journal article item with defaults for every field not given."""
    item: dict[str, Any] = {
        "id": "item",
        "type": "article-journal",
        "author": authors(2),
        "title": "A title",
        "container-title": "Journal of Tests",
        "container-title-short": "J Tests",
        "issued": {"date-parts": [[2024]]},
        "volume": "12",
        "page": "100-110",
        "DOI": "10.1000/test.1",
    }
    item.update(fields)
    return item


@pytest.fixture(scope="module")
def style() -> CslStyle:
    """The journal's style, parsed once for the module."""
    return load_style(STYLE_PATH)


@pytest.fixture(scope="module")
def published() -> list[dict[str, Any]]:
    """The seven references of the published letter as CSL-JSON."""
    items: list[dict[str, Any]] = json.loads(PUBLISHED_REFERENCES.read_text(encoding="utf-8"))
    return items


def format_one(style: CslStyle, item: Mapping[str, Any]) -> str:
    """Format a single item."""
    (entry,) = format_bibliography(style, [item])
    return entry


# number_citations


def test_number_citations_first_cited_order() -> None:
    assert number_citations(["b", "a", "c"]) == {"b": 1, "a": 2, "c": 3}


def test_number_citations_repeats_keep_their_number() -> None:
    numbers = number_citations(["dai", "desai", "dai", "morand", "desai", "bruce"])
    assert numbers == {"dai": 1, "desai": 2, "morand": 3, "bruce": 4}
    assert list(numbers) == ["dai", "desai", "morand", "bruce"]


def test_number_citations_empty() -> None:
    assert number_citations([]) == {}


# compress


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([4, 5], "4-5"),
        ([1, 2, 3, 6], "1-3, 6"),
        ([3], "3"),
        ([], ""),
        ([6, 1], "1, 6"),
        ([5, 4, 4, 5], "4-5"),
        ([1, 3, 5], "1, 3, 5"),
        ([1, 2, 4, 5, 7], "1-2, 4-5, 7"),
    ],
)
def test_compress(numbers: list[int], expected: str) -> None:
    assert compress(numbers) == expected


def test_compress_separators() -> None:
    assert compress([1, 2, 3, 7], range_sep="\u2013", list_sep=",") == "1\u20133,7"


def expand(text: str) -> set[int]:
    """Turn the output of compress back into the set of numbers."""
    numbers: set[int] = set()
    for part in filter(None, text.split(", ")):
        first, _, last = part.partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return numbers


@given(st.lists(st.integers(min_value=1, max_value=60), max_size=30))
def test_compress_expands_back_to_the_set(numbers: list[int]) -> None:
    text = compress(numbers)
    assert expand(text) == set(numbers)
    parts = [part for part in text.split(", ") if part]
    for part in parts:
        if "-" in part:
            first, last = map(int, part.split("-"))
            assert first < last
    assert len(parts) == len(set(parts))


# The published letter


def test_published_references_render_as_printed(
    style: CslStyle, published: list[dict[str, Any]]
) -> None:
    entries = format_bibliography(style, published)
    assert [strip_tags(entry) for entry in entries] == list(PRINTED)


def test_published_references_italics(style: CslStyle, published: list[dict[str, Any]]) -> None:
    entries = format_bibliography(style, published)
    for entry, journal in zip(entries, PRINTED_JOURNALS, strict=True):
        assert f"<i>{journal}</i>" in entry
    assert [entry.count("<i>et al.</i>: ") for entry in entries] == [0, 0, 1, 1, 0, 0, 0]
    assert [entry.count("<i>") for entry in entries] == [1, 1, 2, 2, 1, 1, 1]


def test_published_references_data_is_complete(published: list[dict[str, Any]]) -> None:
    assert tuple(item["id"] for item in published) == IDS
    for item in published:
        assert item["type"] == "article-journal"
        for key in ("author", "title", "container-title", "container-title-short", "issued"):
            assert item[key]
        for key in ("volume", "page", "DOI"):
            assert item[key]


def test_entries_do_not_include_the_number(
    style: CslStyle, published: list[dict[str, Any]]
) -> None:
    entries = format_bibliography(style, published)
    assert not any(re.match(r"\d+\.", entry) for entry in entries)


def test_order_is_kept_and_ids_are_not_used(style: CslStyle) -> None:
    first = article(id="Ref1", title="First")
    second = article(id="ref1", title="Second")
    entries = format_bibliography(style, [second, first])
    titles = [strip_tags(entry).split(": ")[1] for entry in entries]
    assert titles == ["Second. J Tests 2024; 12", "First. J Tests 2024; 12"]


# Authors


def test_seven_authors_give_three_and_et_al(style: CslStyle) -> None:
    entry = format_one(style, article(author=authors(7)))
    assert entry.startswith("AUTHOR1 A, AUTHOR2 A, AUTHOR3 A <i>et al.</i>: A title.")
    assert "AUTHOR4" not in entry


def test_six_authors_are_all_listed(style: CslStyle) -> None:
    entry = format_one(style, article(author=authors(6)))
    names = ", ".join(f"AUTHOR{n} A" for n in range(1, 7))
    assert entry.startswith(f"{names}: A title.")
    assert "et al" not in entry


def test_initials_without_periods_or_spaces(style: CslStyle) -> None:
    people = [
        {"family": "Morand", "given": "Eric F."},
        {"family": "van Vollenhoven", "given": "R. F."},
        {"family": "Bruce", "given": "Ian Nicholas"},
    ]
    entry = format_one(style, article(author=people))
    assert entry.startswith("MORAND EF, VAN VOLLENHOVEN RF, BRUCE IN: ")


def test_no_author_starts_with_the_title(style: CslStyle) -> None:
    item = article()
    del item["author"]
    assert format_one(style, item).startswith("A title. <i>J Tests</i> 2024")


# Source


def test_issue_in_parentheses_when_present(style: CslStyle) -> None:
    entry = format_one(style, article(volume="83", issue="1", page="15-29"))
    assert "<i>J Tests</i> 2024; 83(1): 15-29. " in entry


def test_no_parentheses_without_issue(style: CslStyle) -> None:
    entry = format_one(style, article(volume="382", page="211-221"))
    assert "<i>J Tests</i> 2024; 382: 211-21. " in entry
    assert "(" not in entry


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("211-221", "211-21"),
        ("333-347", "333-47"),
        ("15-29", "15-29"),
        ("1364", "1364"),
        ("e000761", "e000761"),
        ("95-105", "95-105"),
        ("1201\u20131209", "1201-9"),
    ],
)
def test_minimal_page_ranges(style: CslStyle, page: str, expected: str) -> None:
    assert f"2024; 12: {expected}. https://" in format_one(style, article(page=page))


def test_full_journal_title_when_no_abbreviation(style: CslStyle) -> None:
    item = article()
    del item["container-title-short"]
    assert "<i>Journal of Tests</i> 2024" in format_one(style, item)


# DOI


def test_doi_with_resolver_is_not_doubled(style: CslStyle) -> None:
    entry = format_one(style, article(DOI="https://doi.org/10.1000/test.1"))
    assert entry.endswith(". https://doi.org/10.1000/test.1")
    assert entry.count("doi.org") == 1


def test_no_final_period_after_doi(style: CslStyle) -> None:
    assert format_one(style, article()).endswith("12: 100-10. https://doi.org/10.1000/test.1")


def test_doi_text_is_escaped(style: CslStyle) -> None:
    entry = format_one(style, article(DOI="10.1002/(SICI)1097<0258>&x"))
    assert entry.endswith("https://doi.org/10.1002/(SICI)1097&lt;0258&gt;&amp;x")


# Escaping and punctuation


def test_ampersand_is_escaped(style: CslStyle) -> None:
    entry = format_one(style, article(title="Skin & joints", **{"container-title-short": "A&B"}))
    assert "Skin &amp; joints. <i>A&amp;B</i>" in entry
    assert "& " not in entry


def test_script_in_title_is_escaped(style: CslStyle) -> None:
    entry = format_one(style, article(title="Bad <script>alert('x')</script> title"))
    assert "<script>" not in entry
    assert "Bad &lt;script&gt;alert(\u2019x\u2019)&lt;/script&gt; title." in entry
    assert re.findall(r"<(/?\w+)", entry) == ["i", "/i"]


def test_markup_in_names_is_escaped(style: CslStyle) -> None:
    entry = format_one(style, article(author=[{"family": "<b>Smith</b>", "given": "J."}]))
    assert entry.startswith("&lt;B&gt;SMITH&lt;/B&gt; J: ")


def test_private_use_sentinels_in_input_do_not_become_entities(style: CslStyle) -> None:
    entry = format_one(style, article(title="Odd \ue000 character"))
    assert "&amp;" not in entry
    assert "Odd \ufffd character." in entry


@pytest.mark.parametrize("end", ["?", "!", "."])
def test_title_ending_in_punctuation_gets_no_period(style: CslStyle, end: str) -> None:
    entry = format_one(style, article(title=f"Does it work{end}"))
    assert f"Does it work{end} <i>J Tests</i>" in entry
    assert f"{end}." not in entry.replace("et al.", "")


def test_doubled_period_after_closing_tag_is_collapsed() -> None:
    i, end_i = f"{OPEN}i{CLOSE}", f"{OPEN}/i{CLOSE}"  # citeproc's italics, as csl_html writes them
    assert citations._finish(f"SMITH J {i}et al.{end_i}. Title") == "SMITH J <i>et al.</i> Title"
    assert citations._finish(f"{i}Why?{end_i}. 2nd ed") == "<i>Why?</i> 2nd ed"
    assert citations._finish("Title... Next") == "Title... Next"
    assert citations._finish("Title.... Next") == "Title... Next"
    assert citations._finish("Title\u2026. Next") == "Title\u2026 Next"
    assert citations._finish("v2.0.1 x") == "v2.0.1 x"


# Other types


def test_book_renders_sensibly(style: CslStyle) -> None:
    book = {
        "id": "firestein",
        "type": "book",
        "author": [{"family": "Firestein", "given": "G.S."}, {"family": "Budd", "given": "R.C."}],
        "title": "Kelley and Firestein's textbook of rheumatology",
        "edition": "11",
        "publisher": "Elsevier",
        "publisher-place": "Philadelphia",
        "issued": {"date-parts": [[2020]]},
    }
    text = strip_tags(format_one(style, book))
    assert text.startswith(
        "FIRESTEIN GS, BUDD RC: Kelley and Firestein\u2019s textbook of rheumatology"
    )
    assert "11th" in text
    assert "Philadelphia: Elsevier; 2020" in text


def test_chapter_renders_sensibly(style: CslStyle) -> None:
    chapter = {
        "id": "ch",
        "type": "chapter",
        "author": [{"family": "Tsokos", "given": "G.C."}],
        "editor": [{"family": "Hochberg", "given": "M.C."}],
        "title": "Systemic lupus erythematosus",
        "container-title": "Rheumatology",
        "publisher": "Elsevier",
        "publisher-place": "Philadelphia",
        "issued": {"date-parts": [[2022]]},
        "page": "1201-1230",
    }
    text = strip_tags(format_one(style, chapter))
    assert text == (
        "TSOKOS GC: Systemic lupus erythematosus. In: HOCHBERG MC (Ed.): Rheumatology."
        " Philadelphia: Elsevier; 2022: 1201-30"
    )


def test_web_page_renders_sensibly(style: CslStyle) -> None:
    page = {
        "id": "ema",
        "type": "webpage",
        "title": "Saphnelo: EPAR",
        "container-title": "European Medicines Agency",
        "issued": {"date-parts": [[2022]]},
        "URL": "https://www.ema.europa.eu/en/medicines?search=saphnelo&type=human",
    }
    assert strip_tags(format_one(style, page)) == (
        "Saphnelo: EPAR. European Medicines Agency. 2022."
        " https://www.ema.europa.eu/en/medicines?search=saphnelo&type=human"
    )


def test_unknown_keys_are_ignored(style: CslStyle) -> None:
    item = article(
        journalAbbreviation="Ignored",
        abstract="x",
        author=[{"family": "Smith", "given": "J.", "sequence": "first", "affiliation": []}],
        custom={"a": 1},
    )
    assert format_one(style, item).startswith("SMITH J: A title. <i>J Tests</i>")


def test_journal_abbreviation_alias(style: CslStyle) -> None:
    item = article(journalAbbreviation="J Alias")
    del item["container-title-short"]
    assert "<i>J Alias</i>" in format_one(style, item)


def test_item_without_type_is_an_error(style: CslStyle) -> None:
    item = article()
    del item["type"]
    with pytest.raises(BuildError, match="type"):
        format_bibliography(style, [item])


def test_read_only_mappings_are_accepted(style: CslStyle) -> None:
    item = article()
    item["issued"] = MappingProxyType(item["issued"])
    assert format_one(style, MappingProxyType(item)) == format_one(style, article())


def test_non_json_values_are_refused(style: CslStyle) -> None:
    with pytest.raises(TypeError, match="not JSON data"):
        format_bibliography(style, [article(note=object())])


def test_name_that_is_not_an_object_is_an_error(style: CslStyle) -> None:
    with pytest.raises(BuildError, match="CSL name"):
        format_bibliography(style, [article(author=["Smith J"])])


def test_empty_items(style: CslStyle) -> None:
    assert format_bibliography(style, []) == ()


# Caching


def test_load_style_is_cached(style: CslStyle) -> None:
    again = load_style(STYLE_PATH.parent / ".." / STYLE_PATH.parent.name / STYLE_PATH.name)
    assert again is style


def test_load_style_reparses_when_the_file_changes(tmp_path: Path) -> None:
    copy = tmp_path / "style.csl"
    copy.write_bytes(STYLE_PATH.read_bytes())
    first = load_style(copy)
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_style(copy)
    assert second is not first
    assert second.mtime_ns != first.mtime_ns


def test_missing_or_broken_style_is_a_build_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="cannot read"):
        load_style(tmp_path / "missing.csl")
    broken = tmp_path / "broken.csl"
    broken.write_text("<style", encoding="utf-8")
    with pytest.raises(BuildError, match="cannot parse"):
        load_style(broken)


def test_second_call_is_served_from_the_cache(
    style: CslStyle, published: list[dict[str, Any]]
) -> None:
    items = [dict(item, title=item["title"] + " (cache test)") for item in published]
    start = time.perf_counter()
    first = format_bibliography(style, items)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    second = format_bibliography(style, json.loads(json.dumps(items)))
    warm = time.perf_counter() - start
    assert second is first
    assert warm < cold / 5


# CSL 1.0.2 variables

POSTER = {
    "id": "poster",
    "type": "speech",
    "genre": "Poster",
    "title": "Anifrolumab in alopecia",
    "author": [{"family": "Rossi", "given": "Anna"}],
    "event-title": "EULAR European Congress of Rheumatology",
    "event-place": "Copenhagen",
    "issued": {"date-parts": [[2022, 6, 1]]},
}


@pytest.mark.parametrize("name", ["nlm-citation-sequence", "american-medical-association", "apa"])
def test_event_title_reaches_the_style(name: str) -> None:
    """CSL 1.0.2's event-title is printed by styles written for CSL 1.0's `event`."""
    entry = format_one(load_style(find_style(name).path), POSTER)
    assert "EULAR European Congress of Rheumatology" in entry
    assert "presented at." not in entry
    assert "Copenhagen" in entry


def test_csl_1_0_2_variables_reach_the_processor(tmp_path: Path) -> None:
    style = (Path(__file__).parent / "data" / "hostile-styles" / "evil-numeric.csl").read_text()
    layout = (
        '<layout><text variable="volume-title" suffix=". "/><text variable="event-title"'
        ' suffix=". "/><names variable="chair"><name/></names>'
        '<date variable="available-date" prefix=" "><date-part name="year"/></date></layout>'
    )
    text = re.sub(
        r"<bibliography>.*</bibliography>",
        f"<bibliography>{layout}</bibliography>",
        style,
        flags=re.S,
    )
    path = tmp_path / "v.csl"
    path.write_text(text, encoding="utf-8")
    item = article(
        **{
            "volume-title": "Volume T",
            "event-title": "Event T",
            "chair": [{"family": "Chairman", "given": "C"}],
            "available-date": {"date-parts": [[2019]]},
        }
    )
    entry = format_one(load_style(path), item)
    assert entry == "Volume T. Event T. C Chairman 2019"


def test_citeproc_is_pinned_to_the_minor_version_the_patches_replace() -> None:
    import importlib.metadata
    import tomllib

    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    assert "citeproc-py>=0.11,<0.12" in dependencies
    assert importlib.metadata.version("citeproc-py").startswith("0.11.")
