"""The JSON Schema of the case file, made from the case model, and the README's table of fields.

Editors complete and check `case.yaml` as people type with it (VS Code's YAML extension reads
the `# yaml-language-server: $schema=…` line that `casereport new` writes). It is pydantic's
validation schema of `Case` (draft 2020-12): every field with its description, closed choices
as enums, and what the model reads beyond its types: a year written bare where a time goes
(`when: 2005`), `bibliography:` as one file or a list, `chart: clinical-course`. Then three
hints editors complete from: the built-in journal ids (for `journal:` and as keys of
`journals:`) and the section names `articles.py` knows (as keys of `sections:`); each still
accepts any other name, as the loader does. The schema is looser than `validate` where a rule
needs more than one field (a journal's required sections, a citation key's reference).

The copy shipped in the package (`casereport/schemas/case.schema.json`) is tested equal to
`schema()` and is rewritten with `python -m casereport.case_schema`; the table of fields in
README.md (between its `fields:` markers) is made from the same descriptions by
`field_table()` and rewritten with `python -m casereport.case_schema --readme README.md`.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCHEMA_ID = "https://casereport.invalid/schemas/case.schema.json"
SHIPPED = Path(__file__).resolve().parent / "schemas" / "case.schema.json"
TABLE_START = "<!-- fields:start: python -m casereport.case_schema --readme README.md -->"
TABLE_END = "<!-- fields:end -->"


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a case file, from the `Case` model's fields."""
    from casereport.model import Case

    found = _untitled(Case.model_json_schema(mode="validation"))
    found.pop("title", None)
    _journal_hints(found, _builtin_journals())
    _section_hints(found)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "casereport case file (case.yaml)",
        **found,
    }


def shipped_text() -> str:
    """The schema shipped in the package, as text (no pydantic import: `casereport schema`)."""
    return SHIPPED.read_text(encoding="utf-8")


def schema_text(found: dict[str, Any]) -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(found, indent=2, ensure_ascii=False) + "\n"


def _untitled(node: Any) -> Any:
    """The schema without pydantic's titles ("Running Title"), which only repeat the field
    name; a property named `title` stays."""
    if isinstance(node, list):
        return [_untitled(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in ("properties", "$defs"):
            kept[key] = {name: _untitled(sub) for name, sub in value.items()}
        else:
            kept[key] = _untitled(value)
    return kept


def _builtin_journals() -> list[str]:
    from casereport.journal import available_journals, search_path

    return available_journals(search_path())


def _journal_hints(found: dict[str, Any], journals: list[str]) -> None:
    """`journal:` offers the built-in profiles (a profile of your own is accepted too), and
    `journals:` offers them as keys."""
    journal = found["properties"]["journal"]
    text = {k: journal.pop(k) for k in ("type", "minLength") if k in journal}
    journal["anyOf"] = [{"enum": journals}, text]
    overrides = found["properties"]["journals"]
    override = overrides["additionalProperties"]
    overrides["properties"] = {
        j: {**copy.deepcopy(override), "description": f"What the case says differently for {j}."}
        for j in journals
    }


def _section_hints(found: dict[str, Any]) -> None:
    """`sections:` (and a journal's `sections:`) offers the names of the sections casereport
    knows, each with its heading; any other name is accepted, as the loader accepts it."""
    from casereport.articles import CARE_PARTS, SECTIONS

    for sections in (found["properties"]["sections"], _override(found)["sections"]):
        value = sections["additionalProperties"]
        sections["properties"] = {
            _written(known.id): {
                **copy.deepcopy(value),
                "description": f"The section {known.heading!r}"
                + (": a list of points." if known.list_only else "."),
            }
            for known in SECTIONS
            if known.id not in CARE_PARTS  # written inside `case presentation:`
        }


def _written(section: str) -> str:
    """A section's name as the profiles write it: "outcome and follow-up", "conclusion"."""
    return section.replace("-", " ").replace("follow up", "follow-up")


def _override(found: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = found["$defs"]["JournalOverride"]["properties"]
    return properties


# The README's table of fields.


def field_table(found: dict[str, Any]) -> str:
    """The Markdown table of every field of the case file, with its description, in the
    order of the model (each part's fields under it: `authors[].name`)."""
    rows = ["| field | what |", "|---|---|"]
    rows += [f"| `{path}` | {_cell(text)} |" for path, text in _rows(found, found, "")]
    return "\n".join(rows) + "\n"


def _rows(root: dict[str, Any], node: dict[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    required = set(node.get("required", ()))
    for name, sub in node.get("properties", {}).items():
        if prefix == "" and node is root and name in _HINTED:
            sub = {k: v for k, v in sub.items() if k != "properties"}
        text = sub.get("description", "")
        if name in required:
            text += " Required."
        path = f"{prefix}{name}"
        yield path, text
        target, suffix = _part(root, sub)
        if target is not None and target is not node:
            yield from _rows(root, target, f"{path}{suffix}.")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and "description" in extra:
        yield f"{prefix}INSTRUMENT", extra["description"]


_HINTED = frozenset({"sections", "journals"})


def _part(root: dict[str, Any], sub: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The object schema a field holds (itself, in a list, as the values of a mapping, or
    as one member of a union), and how its path goes on: `[]`, `.ID` or nothing."""
    for key, suffix in (("items", "[]"), ("additionalProperties", ".ID")):
        inner = sub.get(key)
        if isinstance(inner, dict) and "$ref" in inner:
            return _ref(root, inner["$ref"]), suffix
    if "$ref" in sub:
        return _ref(root, sub["$ref"]), ""
    for member in sub.get("anyOf", ()):
        if "$ref" in member:
            return _ref(root, member["$ref"]), ""
    return None, ""


def description(found: dict[str, Any], path: str) -> str:
    """The description of the field at a dotted `path` ("authors.name", "figures.panels.image"):
    the words the schema shows in an editor, which `casereport new` writes as comments."""
    node, sub = found, {}
    for name in path.split("."):
        sub = node["properties"][name]
        node = _part(found, sub)[0] or {}
    text: str = sub.get("description", "")
    return text


def _ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    found: dict[str, Any] = root["$defs"][ref.rsplit("/", 1)[-1]]
    return found


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def readme_table(readme: str) -> str:
    """The table between the README's field markers (empty when they are missing)."""
    found = re.search(re.escape(TABLE_START) + r"\n(.*?)" + re.escape(TABLE_END), readme, re.S)
    return found.group(1) if found else ""


def with_table(readme: str, table: str) -> str:
    """The README with `table` between its field markers."""
    start, end = readme.index(TABLE_START) + len(TABLE_START), readme.index(TABLE_END)
    return f"{readme[:start]}\n{table}{readme[end:]}"


def main(argv: list[str]) -> None:
    """Print the schema; with `--readme FILE`, rewrite the table of fields in FILE."""
    found = schema()
    if argv[:1] == ["--readme"] and len(argv) == 2:
        readme = Path(argv[1])
        text = readme.read_text(encoding="utf-8")
        readme.write_text(with_table(text, field_table(found)), encoding="utf-8")
        return
    sys.stdout.write(schema_text(found))


if __name__ == "__main__":
    main(sys.argv[1:])
