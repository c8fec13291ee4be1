"""BibTeX (and BibLaTeX) files → CSL-JSON items, as Zotero, JabRef and PubMed tools export them.

The syntax is read by bibtexparser 2 (a maintained parser that keeps each entry's line, resolves
``@string`` macros and reports broken blocks instead of skipping them silently); names are split
by its BibTeX-faithful name parser *before* LaTeX is decoded, so ``{World Health Organization}``
stays one corporate name, and only then does pylatexenc turn ``{\\"u}``, ``\\'{a}``, ``\\&`` and
``--`` into text. citeproc-py's own BibTeX reader was not used: it assumes ASCII, turns
``and others`` into an author called "others" and drops ``shortjournal``, ``journaltitle`` and
``date`` (see stack-notes).

Choices: protecting braces (``{SLE}``) are removed and the text inside kept exactly as written
(casereport applies no case change to titles, so protected capitals survive); ``and others``
becomes the literal name "others", as pandoc reads it, which the styles print as "et al.";
a ``von`` part becomes a CSL non-dropping particle; ``doi`` and ``url`` are taken verbatim
(no LaTeX decoding).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from casereport.references.dates import MONTHS, parse_date
from casereport.references.parsed import ReadProblem

TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "report",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
    "misc": "document",
}
# BibTeX field → CSL variable (fields not listed are ignored).
FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "shortjournal": "container-title-short",
    "journalabbreviation": "container-title-short",
    "journal-abbrev": "container-title-short",
    "series": "collection-title",
    "volume": "volume",
    "pages": "page",
    "edition": "edition",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "note": "note",
    "language": "language",
    "type": "genre",
}
VERBATIM = {"doi": "DOI", "url": "URL"}


def read_bibtex(text: str) -> tuple[list[tuple[dict[str, Any], int]], list[ReadProblem]]:
    """CSL-JSON items with the line each entry starts on, and the problems found."""
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text)
    problems = [_failed(block) for block in library.failed_blocks]
    items: list[tuple[dict[str, Any], int]] = []
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        try:
            items.append((_item(entry.key, entry.entry_type, _fields(entry)), line))
        except ValueError as exc:
            problems.append(ReadProblem(line, f"@{entry.entry_type}{{{entry.key}}}: {exc}"))
    return items, problems


def _failed(block: Any) -> ReadProblem:
    from bibtexparser import model

    line = (block.start_line or 0) + 1
    if isinstance(block, model.DuplicateBlockKeyBlock):
        first = (block.previous_block.start_line or 0) + 1
        return ReadProblem(line, f"duplicate entry key {block.key!r} (first at line {first})")
    if isinstance(block, model.DuplicateFieldKeyBlock):
        return ReadProblem(line, f"entry has a field twice: {sorted(block.duplicate_keys)}")
    raw = block.raw.lstrip()[:40].splitlines()[0] if block.raw.strip() else ""
    return ReadProblem(line, f"cannot parse the entry starting {raw!r}: {block.error}")


def _fields(entry: Any) -> dict[str, str]:
    return {field.key.lower(): str(field.value) for field in entry.fields}


def _item(key: str, entry_type: str, fields: dict[str, str]) -> dict[str, Any]:
    kind = entry_type.lower()
    item: dict[str, Any] = {"id": key, "type": TYPES.get(kind, "article-journal")}
    for name, value in fields.items():
        if name in FIELDS and value.strip() and FIELDS[name] not in item:
            item[FIELDS[name]] = latex_to_text(value)
        elif name in VERBATIM and value.strip():
            item[VERBATIM[name]] = _verbatim(value)
    if "number" in fields:
        item["issue" if kind == "article" else "number"] = latex_to_text(fields["number"])
    if kind in ("phdthesis", "mastersthesis") and "genre" not in item:
        item["genre"] = "PhD thesis" if kind == "phdthesis" else "Master's thesis"
    if fields.get("eprinttype", "").lower() == "pubmed" and "eprint" in fields:
        item.setdefault("PMID", fields["eprint"].strip())
    return _people_and_dates(item, fields)


def _people_and_dates(item: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    for role in ("author", "editor", "translator"):
        if fields.get(role, "").strip():
            item[role] = names(fields[role])
    issued = _issued(fields)
    if issued:
        item["issued"] = issued
    if fields.get("urldate"):
        item["accessed"] = parse_date(fields["urldate"].strip())
    return item


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    if fields.get("date", "").strip():
        return parse_date(fields["date"].strip())
    year = fields.get("year", "").strip()
    if not year:
        return None
    if not re.fullmatch(r"\d{4}", year):
        return {"literal": latex_to_text(year)}
    parts = [int(year)]
    month = fields.get("month", "").strip().lower()[:3]
    if month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    elif month in MONTHS:
        parts.append(MONTHS[month])
    return {"date-parts": [parts]}


def names(text: str) -> list[dict[str, str]]:
    """A BibTeX name list → CSL names; `and others` is the literal "others" (printed as "et al."),
    `{Corporate Name}` is literal."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    result: list[dict[str, str]] = []
    for raw in split_multiple_persons_names(text):
        if raw.strip().lower() == "others":
            result.append({"literal": "others"})
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        if not parts.first and not parts.von and len(parts.last) == 1 and _braced(parts.last[0]):
            result.append({"literal": latex_to_text(parts.last[0])})
            continue
        name = {"family": latex_to_text(" ".join(parts.last))}
        if parts.first:
            name["given"] = latex_to_text(" ".join(parts.first))
        if parts.von:
            name["non-dropping-particle"] = latex_to_text(" ".join(parts.von))
        if parts.jr:
            name["suffix"] = latex_to_text(" ".join(parts.jr))
        result.append(name)
    return result


def _braced(token: str) -> bool:
    """Whether the whole token is one brace group: `{World Health Organization}`."""
    if not (token.startswith("{") and token.endswith("}")):
        return False
    depth = 0
    for i, char in enumerate(token):
        depth += (char == "{") - (char == "}")
        if depth == 0 and i < len(token) - 1:
            return False
    return True


# Commands rewritten before pylatexenc sees them: links keep their text, file commands
# (\include, \input, …) are dropped; pylatexenc crashed on \href and a bare \sqrt.
_LINK = re.compile(
    r"\\href\s*\{[^{}]*\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}|\\(?:url|path)\s*\{([^{}]*)\}"
)
_FILE_COMMAND = re.compile(
    r"\\(?:include|input|includeonly|includegraphics|bibliography|InputIfFileExists|openin|read)"
    r"\b\s*(?:\[[^\]]*\])?\s*(?:\{[^{}]*\})?"
)
_BARE_ROOT = re.compile(r"\\sqrt(?![A-Za-z])(?!\s*[\[{])")
_COMMAND = re.compile(r"\\[A-Za-z@]+\*?|\\.")


def latex_to_text(value: str) -> str:
    r"""LaTeX-encoded BibTeX text → plain Unicode, braces removed, whitespace collapsed.

    ``\href{url}{text}`` gives its text, ``\url{u}`` the address; commands that name files
    give nothing. LaTeX that pylatexenc cannot read is stripped of commands and braces.
    """
    if "\\" not in value and "{" not in value and "$" not in value and "--" not in value:
        return " ".join(value.split())
    value = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", value)
    value = _BARE_ROOT.sub("\u221a", _FILE_COMMAND.sub("", value))
    try:
        text = _latex_converter().latex_to_text(value)
    except Exception:  # pylatexenc raises IndexError, KeyError, … on odd input
        text = _COMMAND.sub("", value).replace("{", "").replace("}", "")
    return " ".join(text.split())


@cache
def _latex_converter() -> Any:
    import logging

    from pylatexenc.latex2text import LatexNodes2Text

    logging.getLogger("pylatexenc").addHandler(logging.NullHandler())
    logging.getLogger("pylatexenc").propagate = False
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def _verbatim(value: str) -> str:
    """A DOI or URL as written: outer braces and the escapes BibTeX needs removed."""
    text = re.sub(r"\\([_%&#$])", r"\1", value.strip())
    return text.replace("{", "").replace("}", "").strip()
