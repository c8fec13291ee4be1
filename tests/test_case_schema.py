"""The case file's JSON Schema: shipped equal to the one made from the model, described field by
field, accepting what the loader accepts, and the README's table of fields made from it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from casereport.case_schema import SHIPPED, field_table, readme_table, schema
from casereport.load import parse_case_bytes
from tests.conftest import CASE_REPORT, DEMO, EXAMPLE, ROOT

CHECKER = Path(sys.executable).with_name("check-jsonschema")
SHIPPED_SCHEMA = json.loads(SHIPPED.read_text(encoding="utf-8"))


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    """The installed check-jsonschema, against the shipped schema."""
    command = [str(CHECKER), "--schemafile", str(SHIPPED), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_shipped_schema_is_the_one_made_from_the_model() -> None:
    """Rewrite it with `python -m casereport.case_schema > casereport/schemas/case.schema.json`."""
    assert schema() == SHIPPED_SCHEMA


def test_it_is_a_valid_2020_12_schema_with_an_id() -> None:
    assert SHIPPED_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SHIPPED_SCHEMA["$id"].endswith("/case.schema.json")
    done = subprocess.run(
        [str(CHECKER), "--check-metaschema", str(SHIPPED)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}.{name}", sub
            yield from _properties(sub, f"{path}.{name}")
        for key, sub in node.items():
            if key != "properties":
                yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for sub in node:
            yield from _properties(sub, path)


def test_every_field_has_a_description() -> None:
    undescribed = [path for path, sub in _properties(SHIPPED_SCHEMA) if not sub.get("description")]
    assert undescribed == []


def _keywords(node: Any) -> Iterator[str]:
    """Every keyword the schema uses (not the names of its properties or definitions)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    yield from _keywords(sub)
            elif key not in ("enum", "const", "default", "required"):
                yield from _keywords(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keywords(item)


def test_editors_that_check_by_draft_7_understand_all_but_prefix_items() -> None:
    """VS Code's YAML extension (yaml-language-server) validates by draft 7: a keyword of the
    later drafts would go unchecked there. `$defs` is only where `$ref`s point."""
    later = set(_keywords(SHIPPED_SCHEMA)) - DRAFT_7 - {"$defs"}
    assert later == {"prefixItems"}


DRAFT_7 = {
    *("$schema", "$id", "$ref", "title", "description", "default", "type", "enum", "const"),
    *("properties", "additionalProperties", "patternProperties", "propertyNames", "required"),
    *("items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "maxProperties"),
    *("minimum", "maximum", "exclusiveMinimum", "anyOf", "oneOf"),
}


def test_closed_choices_are_enums() -> None:
    defs = SHIPPED_SCHEMA["$defs"]
    assert SHIPPED_SCHEMA["properties"]["article"]["enum"] == [
        "letter",
        "case-report",
        "clinical-image",
        "case-series",
    ]
    assert defs["Figure"]["properties"]["width"]["enum"] == ["single", "one-and-a-half", "full"]
    roles = SHIPPED_SCHEMA["properties"]["contributions"]["additionalProperties"]["items"]
    assert len(roles["anyOf"][0]["enum"]) == 14
    journal = SHIPPED_SCHEMA["properties"]["journal"]["anyOf"][0]["enum"]
    assert {"care", "bmj-case-reports", "clin-exp-rheumatol"} <= set(journal)


def test_the_example_cases_validate_with_check_jsonschema() -> None:
    done = check_jsonschema(*(case / "case.yaml" for case in (DEMO, EXAMPLE, CASE_REPORT)))
    assert done.returncode == 0, done.stdout + done.stderr


def _errors(tmp_path: Path, text: str) -> list[str]:
    """What the schema says of a case file, read as casereport's loader reads it."""
    file = tmp_path / "case.yaml"
    file.write_text(text, encoding="utf-8")
    data = parse_case_bytes(file, file.read_bytes()).data
    return [e.message for e in Draft202012Validator(SHIPPED_SCHEMA).iter_errors(data)]


def _case(extra: str) -> str:
    authors = "" if extra.startswith("authors:") else "authors: [{name: A}]\n"
    return f"title: T\n{authors}competing_interests: none\nbody: text\n{extra}\n"


@pytest.mark.parametrize(
    "extra",
    [
        "bibliography: references.json",  # one file, as the loader accepts it
        "bibliography: [a.bib, b.json]",
        "timeline: [{when: 2005, event: diagnosed}]",  # a bare year
        "scores: [{at: baseline, SLEDAI-2K: 9, PhGA: 0.5}]",
        "figures: [{id: c, chart: clinical-course}]",
        "consent: written",
        "contributions: {A: [Conceptualisation, writing - original draft]}",
        "journal: my-own-profile",
        "sections: {skin biopsy: text, learning points: [a, b]}",
        "journals: {bmj-case-reports: {sections: {conclusion: null}}}",
        "authors: [{name: A, orcid: 0000-0002-1825-0097, email: a@example.org}]",
    ],
)
def test_the_schema_accepts_what_the_loader_accepts(tmp_path: Path, extra: str) -> None:
    assert _errors(tmp_path, _case(extra)) == []


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("titel: T", "'titel'"),
        ("article: letterr", "'letterr'"),
        ("authors: [{name: A, email: not-an-address}]", "'not-an-address'"),
        ("scores: [{at: baseline, CLASI: high}]", "'high'"),
        ("figures: [{id: f, panels: [{image: a.jpg, row: top}]}]", "'top'"),
        ("figures: [{id: f, width: double, chart: clinical-course}]", "'double'"),
    ],
)
def test_the_schema_refuses_what_validate_refuses(tmp_path: Path, extra: str, named: str) -> None:
    errors = _errors(tmp_path, _case(extra))
    assert len(errors) == 1, errors
    assert named in errors[0]


def test_the_readme_table_of_fields_is_made_from_the_descriptions() -> None:
    """Rewrite it with `python -m casereport.case_schema --readme README.md`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table(readme) == field_table(schema())


def test_casereport_schema_prints_the_shipped_file_without_pydantic() -> None:
    code = (
        "import sys\nfrom casereport.cli import main\nmain(['schema'])\n"
        "print('pydantic' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == SHIPPED.read_text(encoding="utf-8")
    assert done.stderr.strip() == "False"
