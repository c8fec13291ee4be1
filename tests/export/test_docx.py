"""--to docx: the Word manuscript, read back with python-docx and through LibreOffice.

Every example case is built once under every profile it fits (`tests.golden.CASES`), with
its PDF and manuscript.json; the tests read the Word file against the manuscript it was
made from, and LibreOffice's PDF of it against casereport's PDF, word for word.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image
from pypdf import PdfReader

from casereport.build import BuildOptions, build_with
from casereport.errors import BuildError
from casereport.export.docx.page import TEXT_WIDTH_MM
from casereport.export.docx.prose import add_inlines
from casereport.export.manuscript_json import from_json
from casereport.export.text import inlines_text
from casereport.journal import Journal, load_journal, search_path
from casereport.live.session import Session
from casereport.manuscript import (
    Break,
    Citation,
    Code,
    Emphasis,
    Manuscript,
    Section,
    Strong,
    Subscript,
    Text,
)
from tests.conftest import SMALL_CASE
from tests.golden import CASES, ROOT

STYLES = {
    "Title",
    "Heading 1",
    "Heading 2",
    "Normal",
    "Caption",
    "List Bullet",
    "List Number",
    "Bibliography",
    "Table Note",  # a table's notes, below it: single-spaced, in the tables' type size
}
DEMO = "anifrolumab-alopecia"
CHART_CASE = "lupus-histology-imaging"
SEPARATE = "dress-allopurinol@bmj-case-reports"


class Built:
    """One build of an example case: its folder, manuscript, journal and Word document."""

    def __init__(self, case: str, out: Path) -> None:
        self.case = case
        self.out = out
        self.docx = out / "letter.docx"
        self.manuscript: Manuscript = from_json((out / "manuscript.json").read_bytes())
        self.journal: Journal = load_journal(self.manuscript.journal, search_path())
        self.document: Any = Document(str(self.docx))

    def paragraphs(self, style: str) -> list[str]:
        return [p.text for p in self.document.paragraphs if p.style.name == style]


@pytest.fixture(scope="module")
def built(example_builds: dict[str, Path]) -> dict[str, Built]:
    """Every example case under every profile it fits: docx, pdf, html, json (built once
    for the session, `example_builds`)."""
    return {case: Built(case, out) for case, out in example_builds.items()}


@pytest.mark.parametrize("case", CASES)
def test_paragraphs_are_in_the_named_styles(built: dict[str, Built], case: str) -> None:
    made = built[case]
    used = {p.style.name for p in made.document.paragraphs}
    assert used <= STYLES, used - STYLES
    assert made.paragraphs("Title") == [made.manuscript.title]
    entries = made.manuscript.references.entries
    assert len(made.paragraphs("Bibliography")) == len(entries)
    for entry, text in zip(entries, made.paragraphs("Bibliography"), strict=True):
        assert text == f"{entry.label or f'{entry.number}.'}\t{entry.text}"


def _headings(sections: tuple[Section, ...], level: int) -> list[tuple[str, str]]:
    found = []
    for section in sections:
        if section.heading:
            found.append((f"Heading {min(level, 2)}", section.heading))
        found += _headings(section.sections, level + 1)
    return found


def _expected_headings(made: Built) -> list[tuple[str, str]]:
    manuscript = made.manuscript
    if manuscript.article == "letter":
        found = []
    else:
        abstract = [("Heading 1", made.journal.manuscript.abstract_heading)]
        found = abstract if manuscript.abstract else []
        found += _headings(manuscript.sections, 1)
        if manuscript.declarations:
            found.append(("Heading 1", "Declarations"))
            found += [("Heading 2", d.title) for d in manuscript.declarations]
    found += [("Heading 1", "References")] if manuscript.references.entries else []
    separate = made.journal.manuscript.figures == "separate" and manuscript.figures
    return found + ([("Heading 1", "Figure legends")] if separate else [])


@pytest.mark.parametrize("case", CASES)
def test_headings_are_the_manuscripts_in_order(built: dict[str, Built], case: str) -> None:
    made = built[case]
    headings = [
        (p.style.name, p.text)
        for p in made.document.paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert headings == _expected_headings(made)


@pytest.mark.parametrize("case", CASES)
def test_tables_are_word_tables_with_a_repeating_header(built: dict[str, Built], case: str) -> None:
    made = built[case]
    tables = made.manuscript.tables
    assert len(made.document.tables) == len(tables)
    captions = made.paragraphs("Caption")
    for table, grid in zip(tables, made.document.tables, strict=True):
        assert (len(grid.rows), len(grid.columns)) == (1 + len(table.rows), len(table.header))
        header = grid.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in header.cells] == list(table.header)
        for row, cells in zip(grid.rows[1:], table.rows, strict=True):
            printed = [c.text + ("\u200a" + c.mark if c.mark else "") for c in cells]
            assert [c.text for c in row.cells] == printed
        assert f"{table.label}. {table.title}" in captions


def _pictures(made: Built) -> list[Any]:
    return list(made.document.inline_shapes)


@pytest.mark.parametrize("case", CASES)
def test_figures_are_at_their_printed_width(built: dict[str, Built], case: str) -> None:
    made = built[case]
    figures = made.manuscript.figures
    if made.journal.manuscript.figures == "separate":
        assert _pictures(made) == []
        return
    assert len(_pictures(made)) == len(figures)
    widths = made.journal.figure_width_mm
    for shape, figure in zip(_pictures(made), figures, strict=True):
        width = min(widths.get(figure.width, max(widths.values())), TEXT_WIDTH_MM)
        assert shape.width == Mm(width)
        ratio = figure.image.height_px / figure.image.width_px
        assert abs(shape.height - Mm(width * ratio)) < Mm(0.5)
        assert shape._inline.docPr.get("descr") == figure.alt  # Word's alt text


def test_a_chart_is_a_300_dpi_png(built: dict[str, Built]) -> None:
    made = built[CHART_CASE]
    charts = [f for f in made.manuscript.figures if f.image.src.endswith(".svg")]
    assert charts, "the example has a clinical-course chart"
    images = [r.target_part for r in made.document.part.rels.values() if "image" in r.reltype]
    pngs = [part for part in images if part.content_type == "image/png"]
    assert len(pngs) == len(charts)
    with Image.open(io.BytesIO(pngs[0].blob)) as png:
        assert png.format == "PNG"
        assert tuple(round(d) for d in png.info["dpi"]) == (300, 300)
        width_mm = made.journal.figure_width_mm[charts[0].width]
        assert abs(png.width - width_mm / 25.4 * 300) <= 2


def test_separate_figures_leave_only_their_legends_at_the_end(built: dict[str, Built]) -> None:
    made = built[SEPARATE]
    paragraphs = made.document.paragraphs
    index = [p.text for p in paragraphs].index("Figure legends")
    after = [p for p in paragraphs[index + 1 :]]
    assert all(p.style.name == "Caption" for p in after)
    for figure in made.manuscript.figures:
        assert any(p.text.startswith(f"{figure.caption} {figure.title}") for p in after)


@pytest.mark.parametrize("case", CASES)
def test_the_page_follows_the_manuscript_mode(built: dict[str, Built], case: str) -> None:
    made = built[case]
    mode = made.journal.manuscript
    normal = made.document.styles["Normal"]
    assert normal.font.size == Pt(mode.font_size)
    assert normal.paragraph_format.line_spacing == mode.line_spacing
    section = made.document.sections[0]
    numbering = section._sectPr.find(qn("w:lnNumType"))
    assert (numbering is not None) == mode.line_numbers
    assert numbering is None or numbering.get(qn("w:countBy")) == "1"
    footer = section.footer._element
    fields = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert (fields == ["PAGE"]) == mode.page_numbers


def test_ajcr_is_one_and_a_half_spaced(built: dict[str, Built]) -> None:
    made = built["dress-allopurinol@american-journal-of-case-reports"]
    assert made.document.styles["Normal"].paragraph_format.line_spacing == 1.5


def test_core_properties_come_from_the_case(built: dict[str, Built]) -> None:
    made = built[DEMO]
    properties = made.document.core_properties
    assert properties.title == made.manuscript.title
    assert properties.author == "; ".join(a.name for a in made.manuscript.authors)
    assert properties.language == made.manuscript.lang
    assert made.manuscript.journal_name in properties.subject
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    assert properties.created.timestamp() == epoch == properties.modified.timestamp()


def test_two_builds_give_the_same_bytes(built: dict[str, Built], tmp_path: Path) -> None:
    """Made again from nothing (an empty build cache: the figures composed and the chart
    rasterised anew), the Word file has the same bytes."""
    again = tmp_path / "again"
    options = BuildOptions(("docx",), cache=tmp_path / "cache")
    build_with(ROOT / "cases" / CHART_CASE, again, options)
    assert (again / "letter.docx").read_bytes() == built[CHART_CASE].docx.read_bytes()


def test_a_warm_rebuild_reads_the_chart_png_from_the_cache(tmp_path: Path) -> None:
    session = Session(ROOT / "cases" / CHART_CASE, tmp_path / "out")
    session.build(("docx",))
    cache = Path(os.environ["CASEREPORT_CACHE_DIR"]) / "charts"
    pngs = {p: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert pngs
    first = (tmp_path / "out" / "letter.docx").read_bytes()
    session.build(("docx",))
    assert {p: p.stat().st_mtime_ns for p in cache.glob("*.png")} == pngs
    assert (tmp_path / "out" / "letter.docx").read_bytes() == first


@pytest.mark.parametrize(
    ("manuscript", "message"),
    [
        ("{spacing: 2}", "unknown key 'spacing'"),
        ("{line_spacing: 7}", "line_spacing 7: a number from 1 to 3"),
        ("{figures: inline}", "'inline': expected one of embedded, separate"),
        ("{line_numbers: 'yes'}", "line_numbers: true or false"),
        ("[12]", "a mapping"),
    ],
)
def test_a_bad_manuscript_mode_names_the_profile(
    tmp_path: Path, manuscript: str, message: str
) -> None:
    profile = tmp_path / "mine" / "journal.yaml"
    profile.parent.mkdir()
    profile.write_text(f"extends: clin-exp-rheumatol\nname: Mine\nmanuscript: {manuscript}\n")
    with pytest.raises(BuildError) as raised:
        load_journal("mine", search_path(tmp_path))
    assert str(profile) in str(raised.value)
    assert f"manuscript: {message}" in str(raised.value)


# LibreOffice ------------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        reason = "no LibreOffice: install libreoffice-writer-nogui (make test-system-deps)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _without_line_numbers(source: Path, dest: Path) -> None:
    """The Word file without its line numbers, which LibreOffice prints as text beside each
    line (and glues to words broken at a line's end): the words compared are the text's."""
    document = Document(str(source))
    for numbering in list(document.element.body.iter(qn("w:lnNumType"))):
        numbering.getparent().remove(numbering)
    document.save(str(dest))


def _words(pdf: Path, drop: tuple[str, ...] = ()) -> str:
    """The PDF's words in order, as one string without the spaces between them (so that
    where a line breaks does not matter: a word hyphenated at a line's end, a URL or DOI
    broken after a slash, are whole again). Page numbers (lines of a number alone) are
    dropped; case, ligatures and super/subscript digits are folded (NFKC; the stylesheets
    upper-case some lines); hyphens and digits are removed (list markers and citation
    numbers as the two formats print them differ), and so are full stops (the reference
    list's labels "1.", which the PDF draws as list markers apart from their entries); the
    phrases `drop` are removed."""
    pages = (page.extract_text() for page in PdfReader(pdf).pages)
    text = "\n".join(line for page in pages for line in page.splitlines())
    text = re.sub(r"(?m)^\s*\d+\s*$", "", unicodedata.normalize("NFKC", text)).lower()
    for phrase in drop:
        text = text.replace(phrase.lower(), " ")
    return _squeezed(text)


def _squeezed(text: str) -> str:
    """`text` without whitespace, soft and hard hyphens, digits, full stops and list bullets (NFKC,
    lower case; U+F0B7 is the bullet of Word's Symbol font as LibreOffice prints it)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s\d\u00ad\u2010\u2011\u2022\uf0b7.-]", "", text)


def _drop_repeats(text: str, phrase: str) -> str:
    """`text` with each occurrence of `phrase` after its first removed (a table's header
    repeated on a new page)."""
    first = text.find(phrase)
    if not phrase or first < 0:
        return text
    head = first + len(phrase)
    return text[:head] + text[head:].replace(phrase, "")


def _remove_once(text: str, phrase: str) -> str:
    return text.replace(phrase, "", 1) if phrase else text


def _chart_words(made: Built) -> str:
    """The words drawn inside the charts (vector text in casereport's PDF, pixels in Word)."""
    words = ""
    for figure in made.manuscript.figures:
        if figure.image.src.endswith(".svg"):
            svg = (made.out / figure.image.src).read_text(encoding="utf-8")
            texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
            words += _squeezed(" ".join(html.unescape(t) for t in texts))
    return words


def test_libreoffice_prints_the_words_of_the_pdf_in_order(
    built: dict[str, Built], tmp_path: Path
) -> None:
    """Each Word file, converted by LibreOffice (one process for all), has the words of
    casereport's PDF of the same build in the same order."""
    soffice = _soffice()
    for case, made in built.items():
        _without_line_numbers(made.docx, tmp_path / f"{case}.docx")
    profile = (tmp_path / "profile").as_uri()
    files = sorted(str(p) for p in tmp_path.glob("*.docx"))
    options = [f"-env:UserInstallation={profile}", "--convert-to", "pdf"]
    subprocess.run(
        [soffice, "--headless", *options, "--outdir", str(tmp_path), *files],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for case, made in built.items():
        running = made.manuscript.running_title
        drop = (running,) if running else ()
        ours = _remove_once(_words(made.out / "letter.pdf", drop), _chart_words(made))
        theirs = _words(tmp_path / f"{case}.pdf", ("Running title:", *drop))
        for table in made.manuscript.tables:
            theirs = _drop_repeats(theirs, _squeezed(" ".join(table.header)))
        if made.journal.manuscript.figures == "separate":  # the legends at the end
            theirs = _remove_once(theirs, "figurelegends")
            for figure in made.manuscript.figures:
                legend = f"{figure.caption} {figure.title} {inlines_text(figure.legend)}"
                ours = _remove_once(ours, _squeezed(legend))
                theirs = _remove_once(theirs, _squeezed(legend))
        assert theirs == ours, f"{case}: {_first_difference(ours, theirs)}"


def _first_difference(ours: str, theirs: str) -> str:
    pairs = enumerate(zip(ours, theirs, strict=False))
    at = next((i for i, (a, b) in pairs if a != b), min(len(ours), len(theirs)))
    return f"at {at}: PDF {ours[at - 40 : at + 40]!r} vs Word {theirs[at - 40 : at + 40]!r}"


def test_prose_is_text_never_markup_or_a_template(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    """Raw HTML and template syntax in the case's prose print as the characters written."""
    written = "First claim <b>bold?</b> {{ 7 * 7 }} {% raw %} &amp; [@one]."
    case = make_case(SMALL_CASE.replace("First claim [@one].", written))
    build_with(case, tmp_path / "out", BuildOptions(("docx",), cache=tmp_path / "cache"))
    document = Document(str(tmp_path / "out" / "letter.docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "First claim <b>bold?</b> {{ 7 * 7 }} {% raw %} & (1)." in body
    assert "49" not in body
    runs = [r for p in document.paragraphs for r in p.runs if "bold?" in r.text]
    assert all(not r.bold for r in runs)


def test_inlines_keep_their_look_and_a_raised_citation_is_superscript() -> None:
    """A style that raises citations prints them as superscript runs; emphasis, strong,
    sub- and superscript and code keep their look; a soft line break is a space."""
    document = Document()
    paragraph = document.add_paragraph()
    add_inlines(
        paragraph,
        (
            Text("DRESS"),
            Citation(("a",), (1,), "1", "<sup>1</sup>", superscript=True),
            Break(),
            Emphasis((Text("in vivo"), Strong((Text("!"),)))),
            Subscript((Text("2"),)),
            Code("x = 1"),
        ),
    )
    looks = [(r.bold, r.italic, r.font.superscript, r.font.subscript) for r in paragraph.runs]
    runs = [
        (r.text, *(bool(x) for x in look)) for r, look in zip(paragraph.runs, looks, strict=True)
    ]
    assert runs == [
        ("DRESS", False, False, False, False),
        ("1", False, False, True, False),
        (" ", False, False, False, False),
        ("in vivo", False, True, False, False),
        ("!", True, True, False, False),
        ("2", False, False, False, True),
        ("x = 1", False, False, False, False),
    ]
    assert paragraph.runs[-1].font.name == "Courier New"
