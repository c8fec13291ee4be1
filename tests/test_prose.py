"""Prose: the Markdown subset, citations and figure references, and nothing else."""

from __future__ import annotations

import pytest

from casereport.assemble import citer
from casereport.export.html_prose import blocks_html
from casereport.prose import CitationStyle, parse_prose, prose_blocks

STYLE = CitationStyle()


def _html(text: str, numbers: dict[str, int] | None = None) -> str:
    return str(blocks_html(prose_blocks(parse_prose(text), citer(numbers or {}, STYLE))))


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


def test_unknown_key_never_prints_as_written() -> None:
    """resolve reports an unknown key; one reaching the text is a bug, never "[@nope]"."""
    with pytest.raises(ValueError, match="'nope' has no number"):
        _html("A [@nope].")


def test_word_count() -> None:
    assert parse_prose("One two three [@a].\n\nFour *five*.").words == 5


# Pandoc's citation syntax


def _items(text: str) -> list[tuple[str, str, str, str, str, str]]:
    (cluster,) = parse_prose(text).clusters
    return [(i.key, i.prefix, i.locator, i.label, i.suffix, i.mode) for i in cluster.items]


def test_cluster_over_two_lines() -> None:
    prose = parse_prose("As shown [@a;\n@b] before.")
    assert [c.keys for c in prose.clusters] == [("a", "b")]
    assert "(1-2)" in _html("As shown [@a;\n@b] before.", {"a": 1, "b": 2})


def test_prefix_locator_and_suffix() -> None:
    assert _items("X [see @k, pp. 33-35 and more; also @j].") == [
        ("k", "see ", "33-35", "page", " and more", ""),
        ("j", "also ", "", "", "", ""),
    ]
    assert _items("X [@k, chap. 3].")[0][2:4] == ("3", "chapter")
    assert _items("X [@k, sec. 4].")[0][2:4] == ("4", "section")
    assert _items("X [@k, fig. 2].")[0][2:4] == ("2", "figure")
    assert _items("X [@k, 12].")[0][2:4] == ("12", "page")
    assert _items("X [@k suffix only].")[0][4] == " suffix only"


def test_suppress_author_and_narrative() -> None:
    assert _items("X [-@k].")[0][5] == "suppress-author"
    assert _items("@k says.") == [("k", "", "", "", "", "author-in-text")]
    assert _items("As @k [p. 4] says.") == [("k", "", "4", "page", "", "author-in-text")]
    assert _items("As @morand2020.") == [("morand2020", "", "", "", "", "author-in-text")]


def test_numeric_narrative_prints_the_number() -> None:
    assert _html("As @k says.", {"k": 3}) == ('<p>As <span class="citation">(3)</span> says.</p>\n')


def test_quarto_figure_and_table_references() -> None:
    numbers = {"fig:x": 1, "tbl:t": 2}
    assert [c.keys for c in parse_prose("See @fig-x, [@fig-x] and @tbl-t.").clusters] == [
        ("fig:x",),
        ("fig:x",),
        ("tbl:t",),
    ]
    html = _html("See @fig-x and @fig:x and @tbl-t.", numbers)
    assert html.count('<span class="figref">Fig.\u00a01</span>') == 2
    assert '<span class="tableref">Table\u00a0II</span>' in html


def test_email_addresses_are_not_citations() -> None:
    prose = parse_prose("Write to a@b.org or first.last@example.com [contact a@b.org].")
    assert prose.clusters == () and prose.problems == ()
    assert "a@b.org" in _html("Write to a@b.org.")


def test_unreadable_citations_are_problems() -> None:
    assert parse_prose("X [@a; b].").problems == (
        ("[@a; b]", "cannot read this citation: 'b' has no @key (items are separated by ';')"),
    )
    assert parse_prose("X [@a @b].").problems[0][1].endswith("has two keys; separate them with ';'")
    assert parse_prose("X [see @a, p. 3 and").problems == (
        ("[see @a, p. 3 and", "citation bracket is not closed with ']'"),
    )
    assert parse_prose("X [see @fig-a].").problems[0][1] == (
        "a figure or table reference takes no prefix, locator or suffix"
    )


def test_escaped_at_is_text() -> None:
    for text in (r"Tweet \@someone.", r"A [note \@ x].", r"Mail me\@x.org"):
        prose = parse_prose(text)
        assert prose.clusters == () and prose.problems == (), text
    assert "Tweet @someone." in _html(r"Tweet \@someone.")
