"""The filled CARE checklist as Markdown, CSV and HTML, ready to upload with a submission.

One row per item (per sub-item where the guideline splits one), in the numbering of the
checklist, with the other numbering's numbers beside it; the place each item is reported,
with its line in the case file, or what would satisfy it. The HTML is one standalone page:
its own stylesheet inline, no script, no external file, a table a screen reader can walk.
"""

from __future__ import annotations

import csv
import io
from html import escape

from casereport.care.checklist import Checklist, Row

STATUSES = ("reported", "missing", "not applicable")
NONE = "—"


def summary(checklist: Checklist) -> str:
    """ "26 of 28 items reported, 2 missing, 0 not applicable"."""
    counts = {s: sum(r.status == s for r in checklist.rows) for s in STATUSES}
    total = len(checklist.rows)
    return (
        f"{counts['reported']} of {total} items reported, {counts['missing']} missing, "
        f"{counts['not applicable']} not applicable"
    )


def _where(row: Row) -> str:
    """Where the row is reported, or what would satisfy it."""
    if row.status == "reported":
        return "; ".join(row.where)
    if row.status == "missing":
        return f"Missing: {row.hint}."
    return f"Not applicable: {row.hint}." if row.hint else NONE


def _columns(checklist: Checklist) -> tuple[str, ...]:
    return (
        "Item",
        f"Item ({checklist.other})",
        "Topic",
        "Checklist item",
        "Status",
        "Where reported (or what is missing, or why not applicable)",
    )


def _cells(row: Row) -> tuple[str, ...]:
    return (row.item, row.other, row.name, row.text, row.status, _where(row))


def _about(checklist: Checklist) -> tuple[str, ...]:
    kind = checklist.article.replace("-", " ")
    return (
        f"Case: {checklist.title}",
        f"Journal: {checklist.journal} ({kind})",
        f"Numbering: {checklist.numbering}; the {checklist.other}'s numbers beside it",
        f"{summary(checklist)}.",
    )


def to_markdown(checklist: Checklist) -> str:
    """The checklist as a Markdown document: a heading, what it is for, one table."""
    lines = ["# CARE checklist", ""]
    lines += [line + "  " for line in _about(checklist)[:-1]]
    lines += [_about(checklist)[-1], ""]
    columns = _columns(checklist)
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "---|" * len(columns))
    for row in checklist.rows:
        lines.append("| " + " | ".join(_markdown_cell(c) for c in _cells(row)) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_csv(checklist: Checklist) -> str:
    """The checklist as CSV (RFC 4180, CRLF line ends): a header, then one row per item;
    the places and what is missing (or why the item does not apply) in columns of their own."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    columns = _columns(checklist)
    writer.writerow((*columns[:5], "Where reported", "What is missing, or why not applicable"))
    for row in checklist.rows:
        writer.writerow((*_cells(row)[:5], "; ".join(row.where), row.hint))
    return out.getvalue()


_CSS = """
body { font: 15px/1.45 "Liberation Sans", Arial, sans-serif; color: #1a1a1a; margin: 2rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
p { margin: .2rem 0; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
caption { text-align: left; font-weight: bold; padding: .4rem 0; }
th, td { border: 1px solid #b8b8b8; padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #ececec; }
tbody th { white-space: nowrap; }
.reported { background: #e6f4ea; }
.missing { background: #fdecea; }
.not-applicable { background: #f3f3f3; color: #4d4d4d; }
td ul { margin: 0; padding-left: 1.1rem; }
@media print { body { margin: 0; } thead { display: table-header-group; } }
""".strip()


def to_html(checklist: Checklist) -> str:
    """The checklist as one standalone HTML page (well-formed, so XML tools read it too)."""
    about = "".join(f"<p>{escape(line)}</p>\n" for line in _about(checklist))
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in _columns(checklist))
    rows = "".join(_html_row(row) for row in checklist.rows)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n'
        f"<title>CARE checklist: {escape(checklist.title)}</title>\n"
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n<h1>CARE checklist</h1>\n"
        f"{about}<table>\n<caption>CARE checklist, {escape(checklist.numbering)}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
        "</main>\n</body>\n</html>\n"
    )


def _html_row(row: Row) -> str:
    status = row.status.replace(" ", "-")
    if row.status == "reported" and len(row.where) > 1:
        where = "<ul>" + "".join(f"<li>{escape(w)}</li>" for w in row.where) + "</ul>"
    else:
        where = escape(_where(row))
    cells = (
        f'<th scope="row">{escape(row.item)}</th>',
        f"<td>{escape(row.other)}</td>",
        f"<td>{escape(row.name)}</td>",
        f"<td>{escape(row.text)}</td>",
        f'<td class="{status}">{escape(row.status)}</td>',
        f"<td>{where}</td>",
    )
    return "<tr>" + "".join(cells) + "</tr>\n"
