"""manuscript.json: the Manuscript as JSON, for other programs, with its JSON Schema.

The JSON is the `Manuscript` dataclass tree as pydantic serialises it: every field always
present, prose nodes told apart by their `type`. The schema is made from the same classes
(`schema()`), so it cannot drift from what is written; the copy shipped in the package
(`casereport/schemas/manuscript.schema.json`) is tested equal to it and is rewritten with
`python -m casereport.export.manuscript_json > casereport/schemas/manuscript.schema.json`.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from casereport.manuscript import SCHEMA_VERSION, Manuscript

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from casereport.export.files import Outputs
    from casereport.export.writers import Job

SCHEMA_ID = f"https://casereport.invalid/schemas/manuscript-{SCHEMA_VERSION}.schema.json"


@cache
def _adapter() -> TypeAdapter[Manuscript]:
    from pydantic import TypeAdapter

    return TypeAdapter(Manuscript)


def to_json(manuscript: Manuscript) -> str:
    """The manuscript as indented JSON text (UTF-8 characters kept, keys in field order but
    a prose node's `type` first)."""
    data = _type_first(_adapter().dump_python(manuscript, mode="json"))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str | bytes) -> Manuscript:
    """A manuscript read back from `to_json`'s text (pydantic checks every field)."""
    return _adapter().validate_json(text)


def _type_first(node: Any) -> Any:
    if isinstance(node, dict):
        first = {"type": node["type"]} if "type" in node else {}
        return first | {k: _type_first(v) for k, v in node.items() if k != "type"}
    if isinstance(node, list):
        return [_type_first(v) for v in node]
    return node


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of manuscript.json: every field required, none other allowed."""
    found = _adapter().json_schema(mode="serialization")
    _close(found)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "casereport manuscript",
        **found,
    }


def _close(node: object) -> None:
    """Every object schema requires each of its properties (they are always written) and
    allows no other."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """manuscript.json in the build folder."""
    outputs.write(job.out / "manuscript.json", to_json(manuscript).encode("utf-8"))


if __name__ == "__main__":
    sys.stdout.write(json.dumps(schema(), indent=2, ensure_ascii=False) + "\n")
