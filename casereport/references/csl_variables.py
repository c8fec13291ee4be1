"""The variables CSL 1.0.2 defines, and how citeproc-py 0.11 is taught the ones it lacks.

citeproc-py 0.11 knows the CSL 1.0 variables. Of those added in CSL 1.0.2, ``event-title``
(which replaces ``event``) is given to it under both names; the others are added to its
lists of variables, names, dates and numbers, so that a style asking for them prints them.
A field that is none of these is not CSL: it is ignored, with one warning per build.
Importing this module is cheap (no citeproc-py).
"""

from __future__ import annotations

NAMES = frozenset(
    [
        "author",
        "chair",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editorial-director",
        "editor-translator",
        "executive-producer",
        "guest",
        "host",
        "illustrator",
        "interviewer",
        "narrator",
        "organizer",
        "original-author",
        "performer",
        "producer",
        "recipient",
        "reviewed-author",
        "script-writer",
        "series-creator",
        "translator",
    ]
)
DATES = frozenset(
    ["accessed", "available-date", "event-date", "issued", "original-date", "submitted"]
)
NUMBERS = frozenset(
    [
        "chapter-number",
        "citation-number",
        "collection-number",
        "edition",
        "first-reference-note-number",
        "issue",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part-number",
        "printing-number",
        "section",
        "supplement-number",
        "version",
        "volume",
    ]
)
STANDARD = frozenset(
    [
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "citation-key",
        "citation-label",
        "collection-title",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "event",
        "event-title",
        "event-place",
        "genre",
        "ISBN",
        "ISSN",
        "jurisdiction",
        "keyword",
        "language",
        "license",
        "medium",
        "note",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "part-title",
        "PMCID",
        "PMID",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "source",
        "status",
        "title",
        "title-short",
        "URL",
        "volume-title",
        "volume-title-short",
        "year-suffix",
    ]
)
VARIABLES = NAMES | DATES | NUMBERS | STANDARD
# Keys of a CSL-JSON item that are not variables, and the aliases read as variables.
ITEM_KEYS = frozenset({"id", "type", "custom", "categories"})
ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
# The same variable under its CSL 1.0.2 and its CSL 1.0 name: each fills in for the other.
SYNONYMS = {"event-title": "event", "event": "event-title"}


def unknown_fields(item: dict[str, object]) -> list[str]:
    """The keys of a CSL-JSON item that CSL 1.0.2 does not define (they are ignored)."""
    known = VARIABLES | ITEM_KEYS | set(ALIASES)
    return [key for key in item if key not in known]


def teach_citeproc() -> None:
    """Add the CSL 1.0.2 variables citeproc-py lacks to its lists (in place); idempotent."""
    import citeproc
    from citeproc import source

    lists = (
        (citeproc.NAMES, NAMES),
        (citeproc.DATES, DATES),
        (citeproc.NUMBERS, NUMBERS),
        (citeproc.VARIABLES, VARIABLES),
        (source.VARIABLES, VARIABLES),
    )
    for known, csl in lists:
        known.extend(sorted({n.replace("-", "_") for n in csl} - set(known)))
