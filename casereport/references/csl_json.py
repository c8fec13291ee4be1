"""CSL-JSON files (a list of items, as Zotero and citeproc-js write them) → items with their lines.

The items are taken as written; their fields are checked as every reader's are, by
`bibliography`. `json` keeps no positions, so each item's line is that of its `"id"`.
"""

from __future__ import annotations

import json
import re

from casereport.references.parsed import Parsed, ReadProblem


def read_csl_json(text: str) -> Parsed:
    """The items with the line of each one's `"id"`, and the problems found."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [ReadProblem(exc.lineno, f"invalid JSON: {exc.msg}", exc.colno)]
    if not isinstance(data, list):
        return [], [ReadProblem(1, "a CSL-JSON file must hold a list of items", 1)]
    lines = _id_lines(text)
    items = [(item, lines.get(str(item.get("id")))) for item in data if isinstance(item, dict)]
    problems = [
        ReadProblem(None, "a CSL-JSON item must be an object", path=(i,))
        for i, item in enumerate(data)
        if not isinstance(item, dict)
    ]
    return items, problems


def _id_lines(text: str) -> dict[str, int]:
    """The line of each `"id": "..."` in a JSON text (json.loads keeps no positions)."""
    found: dict[str, int] = {}
    line, counted = 1, 0  # lines counted once, from the last match on (not from the start)
    for match in re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"', text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.setdefault(json.loads(f'"{match.group(1)}"'), line)
    return found
