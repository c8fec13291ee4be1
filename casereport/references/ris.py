"""RIS files (EndNote, PubMed, Zotero exports) → CSL-JSON items, each with its line.

A record runs from ``TY  - `` to ``ER  - ``; a line that is not a tag continues the previous
value (exporters wrap long abstracts). RIS has no citation keys: an item takes its ``ID`` tag
when there is one, else the first author's family name and the year, lower-cased and reduced
to ASCII letters (``morand2020``), with ``b``, ``c``… added when two records would collide.
The parser is written here, not taken from a package, because it is small and the errors must
name the line.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from casereport.references.dates import parse_date
from casereport.references.parsed import ReadProblem

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
TYPES = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "EJOUR": "article-journal",
    "ABST": "article-journal",
    "INPR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "THES": "thesis",
    "RPRT": "report",
    "ELEC": "webpage",
    "WEB": "webpage",
    "GEN": "document",
}
# Tag → CSL variable; the first tag found wins (so TI beats T1 only when it comes first).
FIELDS = {
    "TI": "title",
    "T1": "title",
    "CT": "title",
    "ST": "title-short",
    "T2": "container-title",
    "JF": "container-title",
    "JO": "container-title",
    "BT": "container-title",
    "J2": "container-title-short",
    "JA": "container-title-short",
    "J1": "container-title-short",
    "T3": "collection-title",
    "VL": "volume",
    "IS": "issue",
    "ET": "edition",
    "PB": "publisher",
    "CY": "publisher-place",
    "PP": "publisher-place",
    "DO": "DOI",
    "UR": "URL",
    "SN": "ISSN",
    "LA": "language",
    "M3": "genre",
}
AUTHORS = ("AU", "A1")
EDITORS = ("ED", "A2", "A3")


def read_ris(text: str) -> tuple[list[tuple[dict[str, Any], int]], list[ReadProblem]]:
    """CSL-JSON items with the line each record starts on, and the problems found."""
    records, problems = _records(text)
    items = [(_item(tags), line) for tags, line in records]
    _assign_ids([item for item, _ in items])
    if not items and not problems:
        problems.append(ReadProblem(1, "no RIS records (each starts with 'TY  - ')"))
    return items, problems


def _records(text: str) -> tuple[list[tuple[list[tuple[str, str]], int]], list[ReadProblem]]:
    records: list[tuple[list[tuple[str, str]], int]] = []
    problems: list[ReadProblem] = []
    current: list[tuple[str, str]] | None = None
    start = 0
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        match = _TAG.match(line.rstrip())
        if match is None:
            if current and line.strip():
                tag, value = current[-1]
                current[-1] = (tag, f"{value} {line.strip()}")
            elif line.strip():
                problems.append(
                    ReadProblem(number, f"not a RIS line (TAG  - value): {line[:40]!r}")
                )
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                problems.append(ReadProblem(start, "record has no 'ER  - ' line before the next"))
            current, start = [(tag, value)], number
        elif current is None:
            problems.append(ReadProblem(number, f"{tag} outside a record (records start with TY)"))
        elif tag == "ER":
            records.append((current, start))
            current = None
        else:
            current.append((tag, value))
    if current is not None:
        problems.append(ReadProblem(start, "record does not end with 'ER  - '"))
    return records, problems


def _item(tags: list[tuple[str, str]]) -> dict[str, Any]:
    kind = next(value for tag, value in tags if tag == "TY").upper()
    item: dict[str, Any] = {"type": TYPES.get(kind, "article-journal")}
    for tag, value in tags:
        if tag in FIELDS and value and FIELDS[tag] not in item:
            item[FIELDS[tag]] = value
        elif tag == "ID" and value:
            item.setdefault("id", value)
    _pages(item, tags)
    for role, codes in (("author", AUTHORS), ("editor", EDITORS)):
        people = [_name(v) for t, v in tags if t in codes and v]
        if people:
            item[role] = people
    date = _first(tags, "DA", "PY", "Y1")
    if date:
        item["issued"] = parse_date(date)
    accessed = _first(tags, "Y2")
    if accessed:
        item["accessed"] = parse_date(accessed)
    pmid = _first(tags, "AN")
    if pmid and pmid.isdigit():
        item["PMID"] = pmid
    if "DOI" in item:
        item["DOI"] = re.sub(r"^https?://(dx\.)?doi\.org/", "", item["DOI"])
    return item


def _first(tags: list[tuple[str, str]], *names: str) -> str | None:
    return next((value for tag, value in tags if tag in names and value), None)


def _pages(item: dict[str, Any], tags: list[tuple[str, str]]) -> None:
    first, last = _first(tags, "SP"), _first(tags, "EP")
    if first and last and "-" not in first:
        item["page"] = f"{first}-{last}"
    elif first:
        item["page"] = first


def _name(value: str) -> dict[str, str]:
    """`Morand, Eric F.` or `Morand, E. F.` → family and given; `WHO` alone → literal."""
    family, comma, given = value.partition(",")
    if not comma:
        return {"literal": value.strip()}
    name = {"family": family.strip(), "given": given.strip().strip(",").strip()}
    particle = re.match(r"^((?:[a-z]+ )+)(.+)$", name["family"])
    if particle:
        name["non-dropping-particle"] = particle.group(1).strip()
        name["family"] = particle.group(2)
    if ", " in name["given"]:  # "Kalunian, Kenneth C., Jr"
        name["given"], name["suffix"] = name["given"].rsplit(", ", 1)
    return name


def _assign_ids(items: list[dict[str, Any]]) -> None:
    taken = {item["id"] for item in items if "id" in item}
    for item in items:
        if "id" in item:
            continue
        base = _key_base(item)
        key, suffix = base, ord("a")
        while key in taken:
            suffix += 1
            key = f"{base}{chr(suffix)}"
        taken.add(key)
        item["id"] = key


def _key_base(item: dict[str, Any]) -> str:
    names = item.get("author") or item.get("editor") or [{}]
    first = names[0]
    word = first.get("family") or first.get("literal") or item.get("title", "ref")
    word = word.split()[0] if first.get("literal") or not first.get("family") else word
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^a-z]", "", ascii_word.lower()) or "ref"
    year = ""
    parts = item.get("issued", {}).get("date-parts")
    if parts and parts[0]:
        year = str(parts[0][0])
    return letters + year
