"""Property tests: random valid cases and random mutations of valid ones end in a letter or in
diagnostics, never in another exception; citation numbers are 1..n in first-cited order;
building twice gives the same letter."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereport import build_case, check_case
from casereport.cli import main
from casereport.errors import CaseError
from tests.conftest import SMALL_CASE

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IDS = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True)
WORDS = st.lists(st.from_regex(r"[A-Za-z]{1,9}[.,]?", fullmatch=True), min_size=1, max_size=12)


def _write_images(folder: Path) -> None:
    from PIL import Image

    for name, colour in (("a.jpg", "red"), ("b.jpg", "blue")):
        if not (folder / name).exists():
            Image.new("RGB", (60, 40), colour).save(folder / name)


@st.composite
def valid_cases(draw: Any) -> tuple[dict[str, Any], list[str]]:
    """A valid case as plain data, and the keys it cites (not in reading order)."""
    ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    paragraphs, cited = [], []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(WORDS)
        for _ in range(draw(st.integers(0, 3))):
            keys = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
            cited += keys
            words.insert(
                draw(st.integers(0, len(words))), "[" + "; ".join(f"@{k}" for k in keys) + "]"
            )
        paragraphs.append(" ".join(words))
    case: dict[str, Any] = {
        "title": " ".join(draw(WORDS)),
        "authors": [{"name": "A. Author", "degrees": ["MD"]}],
        "competing_interests": "none declared",
        "consent": "obtained",
        "body": "\n\n".join(paragraphs),
        "references": [
            {
                "id": i,
                "type": "article-journal",
                "title": f"Title {i}",
                "author": [{"family": i.capitalize(), "given": "A."}],
                "container-title-short": "J Test",
                "issued": {"date-parts": [[2020]]},
            }
            for i in ids
        ],
    }
    if draw(st.booleans()):
        case["figures"] = [{"id": "f", "title": "A figure.", "panels": [{"image": "a.jpg"}]}]
        case["body"] += " See [@fig:f]."
    return case, cited


@SETTINGS
@given(valid_cases())
def test_valid_cases_number_in_first_cited_order(
    generated: tuple[dict[str, Any], list[str]],
) -> None:
    data, _ = generated
    cited = [
        key.strip().removeprefix("@")
        for cluster in re.findall(r"\[(@[^\]]+)\]", data["body"])
        for key in cluster.split(";")
        if not key.strip().startswith("@fig:")
    ]
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder) / "case.yaml"
        case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        _write_images(case.parent)
        resolved = check_case(case).resolved
    first_cited = list(dict.fromkeys(cited))
    references = {k: v for k, v in resolved.numbers.items() if not k.startswith("fig:")}
    assert references == {key: n for n, key in enumerate(first_cited, start=1)}
    assert [r.id for r in resolved.references] == first_cited


@settings(max_examples=15, deadline=None)
@given(valid_cases())
def test_building_twice_gives_the_same_letter(generated: tuple[dict[str, Any], list[str]]) -> None:
    data, _ = generated
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder) / "case" / "case.yaml"
        case.parent.mkdir()
        case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        _write_images(case.parent)
        out = Path(folder) / "out"
        build_case(case, out, formats=("html",))
        first = (out / "letter.html").read_bytes()
        build_case(case, out, formats=("html",))
        assert (out / "letter.html").read_bytes() == first


MUTATION_CHARACTERS = st.sampled_from([*list(":-[]{}&*!|>'\"#%@`,?\t\n \\"), "é", "\xa0", "0"])


@st.composite
def mutated_cases(draw: Any) -> str:
    """The small valid case with a few random edits: characters and lines."""
    text = SMALL_CASE
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "drop"]))
        if kind in ("delete", "insert"):
            at = draw(st.integers(0, len(text) - 1))
            piece = "" if kind == "delete" else draw(MUTATION_CHARACTERS)
            text = text[:at] + piece + text[at + (kind == "delete") :]
            continue
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        if kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            del lines[i]
        text = "".join(lines)
    return text


def _cli(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(args)
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
    return code, err.getvalue()


@settings(max_examples=150, deadline=None)
@given(mutated_cases())
def test_mutations_end_in_a_letter_or_diagnostics(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder) / "case" / "case.yaml"
        case.parent.mkdir()
        case.write_text(text, encoding="utf-8")
        _write_images(case.parent)
        code, err = _cli(
            ["build", str(case.parent), "-o", str(Path(folder) / "out"), "--html-only"]
        )
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err
    if code == 1:
        assert re.search(r"case\.yaml(:\d+:\d+)?: error: ", err), err


def test_check_case_raises_only_case_errors_for_garbage() -> None:
    for garbage in ["", "[", "{a: [}", ":", "- - -", "title: !!str", "\ufeff", "a: b: c"]:
        with tempfile.TemporaryDirectory() as folder:
            case = Path(folder) / "case.yaml"
            case.write_text(garbage, encoding="utf-8")
            with contextlib.suppress(CaseError):
                check_case(case)
