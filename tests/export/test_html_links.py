"""The letter's links, made from numbers, DOIs and addresses (export/html_links.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from casereport.export.html_links import (
    Citations,
    citation_printer,
    link_citation,
    link_doi,
    mailto,
)
from casereport.manuscript import Citation


def test_each_printed_number_links_to_its_reference() -> None:
    assert link_citation("(4-5)", (4, 5), numbered=True) == (
        '(<a href="#ref-4">4</a>-<a href="#ref-5">5</a>)'
    )


def test_a_range_links_its_ends_and_every_reference_in_it_links_back() -> None:
    html = link_citation("[2&#8211;4]", (2, 3, 4), numbered=True)
    assert html == '[<a href="#ref-2">2</a>&#8211;<a href="#ref-4">4</a>]'
    citations = Citations(numbered=True)
    citations.reserve([Citation(("a", "b", "c"), (2, 3, 4), "[2-4]", "[2&#8211;4]")])
    assert 'href="#cite-1"' in citations.backlinks(3)
    assert "Back to citation 1 in the text" in citations.backlinks(3)
    assert citations.backlinks(1) == ""


def test_digits_inside_tags_and_character_references_are_left_alone() -> None:
    html = link_citation("<sup>1</sup>&#8211;&#49;", (1, 8211, 49), numbered=True)
    assert html == '<sup><a href="#ref-1">1</a></sup>&#8211;&#49;'


def test_an_author_date_citation_links_whole_to_its_first_reference() -> None:
    html = link_citation("(Smith, 2020; Jones, 2021)", (2, 1), numbered=False)
    assert html == '<a href="#ref-2">(Smith, 2020; Jones, 2021)</a>'


def test_a_citation_has_an_id_per_occurrence() -> None:
    cite = citation_printer(7, numbered=True)
    first = cite(Citation(("a",), (1,), "1", "1", superscript=True))
    assert first == '<sup class="citation" id="cite-7"><a href="#ref-1">1</a></sup>'
    assert 'id="cite-8"' in cite(Citation(("a",), (1,), "[1]", "[1]"))


def test_the_printed_doi_links_to_the_resolver() -> None:
    html = "J Test 2020. doi:10.1056/NEJMoa1912196"
    assert link_doi(html, "10.1056/nejmoa1912196") == (
        'J Test 2020. doi:<a href="https://doi.org/10.1056/nejmoa1912196">'
        "10.1056/NEJMoa1912196</a>"
    )
    prefixed = link_doi("<i>J</i> https://doi.org/10.1/x", "10.1/x")
    assert prefixed == '<i>J</i> <a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>'
    assert link_doi("J Test 2020.", "10.1/x") == "J Test 2020."


def test_a_hostile_doi_stays_text_and_its_link_is_quoted() -> None:
    doi = '10.1/"><script>alert(1)</script>'
    printed = "doi:10.1/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert link_doi(printed, doi) == printed  # split by character references: no link
    linked = link_doi("doi:10.1/a b", "10.1/a b")
    assert linked == 'doi:<a href="https://doi.org/10.1/a%20b">10.1/a b</a>'
    assert link_doi('doi:10.1/javascript:"x', 'javascript:"x') == 'doi:10.1/javascript:"x'


def test_mailto_quotes_the_address() -> None:
    assert mailto("a.b+c@example.org") == "mailto:a.b+c@example.org"
    assert mailto("a?b&c@example.org") == "mailto:a%3Fb%26c@example.org"


def test_the_case_language_reaches_the_html(make_case: Callable[..., Path], tmp_path: Path) -> None:
    from casereport import build_case
    from tests.conftest import SMALL_CASE

    case = make_case(SMALL_CASE.replace("title:", "lang: it\ntitle:", 1))
    build_case(case.parent, tmp_path / "out", formats=("html",))
    page = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in page
    assert "<main>" in page and page.count('class="citation" id="cite-') == 2
    assert page.count('href="#cite-') == 3  # reference 1 cited twice, reference 2 once


def test_the_pdf_has_the_links_as_annotations(demo_build: Path) -> None:
    """WeasyPrint turns the links into PDF link annotations: each citation number an
    internal link, each DOI and the e-mail address a URI; the back-links are not printed."""
    import pikepdf

    internal, uris = 0, set()
    with pikepdf.open(demo_build / "letter.pdf") as pdf:
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    uris.add(str(action.URI))
                elif annotation.get("/Dest") is not None or action is not None:
                    internal += 1
    assert internal == 7  # (1) (2) (3) (4-5) (6) (7): 4 and 5 linked apart; no back-link
    assert "mailto:giuliana.guggino@example.org" in uris
    assert "https://doi.org/10.1056/nejmoa1912196" in uris
    assert len(uris) == 8  # the address and 7 DOIs
