"""manuscript.json: what `--to json` writes, its shipped JSON Schema, and that it is complete.

Complete means: the HTML writer given the manuscript read back from the JSON prints the very
letter the build printed, so a program reading manuscript.json has everything casereport
laid out.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from casereport.export.html import render_letter
from casereport.export.manuscript_json import from_json, schema, to_json
from casereport.journal import search_path
from tests.conftest import CASE_REPORT, DEMO, EXAMPLE, ROOT

SCHEMA = ROOT / "casereport" / "schemas" / "manuscript.schema.json"
CASES = [DEMO, EXAMPLE, CASE_REPORT]


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "casereport", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("json") / "out"
    done = _cli("build", request.param, "-o", out, "--to", "html,json")
    assert done.returncode == 0, done.stderr
    return out


def test_the_shipped_schema_is_the_one_made_from_the_classes() -> None:
    """Rewrite it with `python -m casereport.export.manuscript_json > <schema file>`."""
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == schema()


def test_manuscript_json_validates_against_the_shipped_schema(built: Path) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--schemafile", str(SCHEMA), str(built / "manuscript.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_rejects_a_field_it_does_not_know(tmp_path: Path) -> None:
    """Closed objects: a renamed or dropped field cannot slip past the check above."""
    demo = tmp_path / "out"
    assert _cli("build", DEMO, "-o", demo, "--to", "json").returncode == 0
    data = json.loads((demo / "manuscript.json").read_text(encoding="utf-8"))
    data["figures"][0]["caption"] = data["figures"][0].pop("title")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--schemafile", str(SCHEMA), str(bad)], capture_output=True, check=False
    )
    assert done.returncode == 1


def test_the_json_reads_back_to_the_same_letter(built: Path) -> None:
    text = (built / "manuscript.json").read_text(encoding="utf-8")
    manuscript = from_json(text)
    assert to_json(manuscript) == text
    folders = search_path(None)
    html = render_letter(manuscript, folders, "letter.css")
    assert html == (built / "letter.html").read_text(encoding="utf-8")


def test_citations_carry_their_keys_and_numbers(built: Path) -> None:
    data = json.loads((built / "manuscript.json").read_text(encoding="utf-8"))
    cited = list(_citations(data["sections"]))
    entries = data["references"]["entries"]
    assert cited and data["references"]["numbered"]
    first_seen = list(dict.fromkeys(key for c in cited for key in c["keys"]))
    by_number = {e["number"]: e["id"] for e in entries}
    for citation in cited:  # each number names the entry of that key
        assert [by_number[n] for n in citation["numbers"]] == citation["keys"]
    assert [e["id"] for e in entries][: len(first_seen)] == first_seen
    assert all(e["item"]["id"] == e["id"] and e["text"] for e in entries)


def test_every_part_of_the_letter_is_in_the_json(built: Path) -> None:
    data = json.loads((built / "manuscript.json").read_text(encoding="utf-8"))
    html = (built / "letter.html").read_text(encoding="utf-8")
    assert data["schema_version"] == 1 and data["article"] in ("letter", "case-report")
    assert escape(data["title"]) in html  # as the template prints text: escaped
    assert [f["number"] for f in data["figures"]] == list(range(1, len(data["figures"]) + 1))
    for figure in data["figures"]:
        assert escape(figure["title"]) in html and (built / figure["image"]["src"]).is_file()
    for declaration in data["declarations"]:
        assert escape(declaration["text"]) in html  # "Writing – review & editing"
    assert data["words"] == sum(s["words"] for s in data["sections"])


def _citations(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "citation" else []
        return found + [c for value in node.values() for c in _citations(value)]
    if isinstance(node, list):
        return [c for value in node for c in _citations(value)]
    return []
