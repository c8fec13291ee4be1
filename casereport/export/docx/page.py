"""The Word manuscript's page and styles, as the journal's manuscript mode asks.

A4 with 2 cm margins (170 mm of text: the full printed width of a figure); the type size
and line spacing set on the Normal style, so a journal's template restyles the whole text by
its style names; line numbers (`w:lnNumType`) in the section's properties and a PAGE field
in the footer. Styles the default template lacks (Bibliography, Table Contents) are made
here, based on Normal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph

    from casereport.journal import ManuscriptStyle

PAGE_MM = (210, 297)  # A4
MARGIN_MM = 20
TEXT_WIDTH_MM = PAGE_MM[0] - 2 * MARGIN_MM
BIBLIOGRAPHY = "Bibliography"
TABLE_TEXT = "Table Contents"
TABLE_NOTE = "Table Note"
HANGING_MM = 8
BLACK = RGBColor(0, 0, 0)


def set_up(document: Document, style: ManuscriptStyle) -> None:
    """The page, the styles and the numbering of lines and pages."""
    section = document.sections[0]
    section.page_width, section.page_height = (Mm(mm) for mm in PAGE_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    _styles(document, style)
    if style.line_numbers:
        _line_numbers(section)
    if style.page_numbers:
        _page_numbers(section)


def _styles(document: Document, style: ManuscriptStyle) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(style.font_size)
    normal.paragraph_format.line_spacing = style.line_spacing
    normal.paragraph_format.space_after = Pt(style.font_size / 2)
    for name in ("Caption", "List Bullet", "List Number"):
        document.styles[name].paragraph_format.line_spacing = style.line_spacing
    caption = document.styles["Caption"]
    caption.font.size = Pt(style.font_size - 1)
    caption.font.bold = False  # the label is bold, the legend not
    caption.font.color.rgb = BLACK
    for name in ("Title", "Heading 1", "Heading 2"):  # the default template's blue, made black
        document.styles[name].font.color.rgb = BLACK
    document.styles["Title"].font.size = Pt(style.font_size + 6)
    _paragraph_style(document, BIBLIOGRAPHY).paragraph_format.left_indent = Mm(HANGING_MM)
    _paragraph_style(document, BIBLIOGRAPHY).paragraph_format.first_line_indent = Mm(-HANGING_MM)
    table = _paragraph_style(document, TABLE_TEXT)
    table.font.size = Pt(table_size(style))
    table.paragraph_format.line_spacing = 1.0
    table.paragraph_format.space_after = Pt(0)
    note = _paragraph_style(document, TABLE_NOTE, TABLE_TEXT)
    note.paragraph_format.space_before = Pt(3)
    _plain_title(document)


def table_size(style: ManuscriptStyle) -> float:
    """The type size of tables: two points under the text's, single-spaced."""
    return style.font_size - 2


def _plain_title(document: Document) -> None:
    """The Title as a manuscript's: bold, without the default template's rule below it."""
    title = document.styles["Title"]
    title.font.bold = True
    border = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if border is not None:
        title.element.pPr.remove(border)


def _paragraph_style(document: Document, name: str, base: str = "Normal") -> ParagraphStyle:
    """The paragraph style `name`, made (based on `base`) when the template lacks it."""
    styles = document.styles
    try:
        found: ParagraphStyle = styles[name]
    except KeyError:
        pass
    else:
        return found
    made: ParagraphStyle = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    made.base_style = styles[base]
    made.quick_style = True
    return made


def _line_numbers(section: Section) -> None:
    """Every line numbered in the margin, counting on across pages (Word puts none on a
    table's lines)."""
    numbering = OxmlElement("w:lnNumType")
    numbering.set(qn("w:countBy"), "1")
    numbering.set(qn("w:restart"), "continuous")
    numbering.set(qn("w:distance"), str(int(Mm(6).twips)))
    properties = section._sectPr
    after = properties.find(qn("w:cols"))
    if after is not None:
        after.addprevious(numbering)
    else:
        properties.append(numbering)


def _page_numbers(section: Section) -> None:
    """The page's number, centred in the footer (a PAGE field)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE", "1")


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field (`PAGE`) as Word writes one: begin, instruction, separate, result, end."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        if text is None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)
