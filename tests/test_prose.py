"""Prose: the Markdown subset, citations and figure references, and nothing else."""

from __future__ import annotations

from casereport.citations import compress
from casereport.prose import CitationStyle, parse_prose, render_prose

STYLE = CitationStyle()


def _html(text: str, numbers: dict[str, int] | None = None) -> str:
    return str(render_prose(parse_prose(text), numbers or {}, STYLE, compress))


def test_clusters_in_reading_order() -> None:
    prose = parse_prose("A [@b; @a].\n\n- item [@c]\n\nThen ([@fig:x]) and [@a].")
    assert [c.keys for c in prose.clusters] == [("b", "a"), ("c",), ("fig:x",), ("a",)]
    assert [c.is_figure for c in prose.clusters] == [False, False, True, False]


def test_citations_compress_in_the_journal_form() -> None:
    numbers = {"a": 1, "b": 2, "c": 3, "d": 6, "e": 4, "f": 5}
    assert _html("X [@a; @b; @c; @d].", numbers) == (
        '<p>X <span class="citation">(1-3, 6)</span>.</p>\n'
    )
    assert "(4-5)" in _html("Y [@e; @f].", numbers)


def test_figure_reference() -> None:
    assert _html("See ([@fig:x]).", {"fig:x": 1}) == (
        '<p>See (<span class="figref">Fig.\u00a01</span>).</p>\n'
    )


def test_markdown_subset() -> None:
    html = _html("*em* **strong** H~2~O x^2^\n\n- one\n- two\n")
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert "H<sub>2</sub>O" in html and "x<sup>2</sup>" in html
    assert "<ul>\n<li>one</li>" in html


def test_raw_html_is_text() -> None:
    html = _html('Hi <script>alert(1)</script> <img src=x onerror="y"> <iframe src="z">')
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_images_links_or_headings() -> None:
    html = _html("# Title\n\n![x](/etc/passwd) [a](javascript:alert(1)) <https://e.org>")
    assert "<h1" not in html and "<img" not in html and "<a " not in html


def test_template_syntax_stays_text() -> None:
    assert "{{ 7*7 }} {% if x %}" in _html("{{ 7*7 }} {% if x %}")


def test_unknown_key_prints_as_written() -> None:
    assert "[@nope]" in _html("A [@nope].")


def test_word_count() -> None:
    assert parse_prose("One two three [@a].\n\nFour *five*.").words == 5
