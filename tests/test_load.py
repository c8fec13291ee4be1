"""Load: YAML → data with positions; YAML's own failures as positioned diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from casereport.errors import CaseError
from casereport.load import load_case_file


def _load(tmp_path: Path, text: str | bytes) -> object:
    path = tmp_path / "case.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return load_case_file(path)


def _error(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(CaseError) as info:
        _load(tmp_path, text)
    (diagnostic,) = info.value.diagnostics
    return diagnostic.format().removeprefix(str(tmp_path / "case.yaml"))


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    source = load_case_file_text(tmp_path, "title: x\nauthors:\n  - name: A\n    degrees: [MD]\n")
    assert source.positions[("title",)] == (1, 8)
    assert source.positions[("authors", 0, "name")] == (3, 11)
    assert source.key_positions[("authors", 0, "degrees")] == (4, 5)
    assert source.positions[("authors", 0, "degrees", 0)] == (4, 15)


def load_case_file_text(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return load_case_file(path)


def test_yaml_12_scalars(tmp_path: Path) -> None:
    source = load_case_file_text(tmp_path, "a: no\nb: on\nc: 010\nd: 1:30\ne: true\nf: ~\ng: 2.5\n")
    assert source.data == {
        "a": "no",
        "b": "on",
        "c": "010",
        "d": "1:30",
        "e": True,
        "f": None,
        "g": 2.5,
    }


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert _load(tmp_path, "\ufefftitle: x\n".encode()).data == {"title": "x"}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed\n", ":2:1: error: YAML syntax error: expected ',' or ']', but got"),
        ("a: 1\nb: 2\na: 3\n", ":3:1: error: duplicate key 'a' (first defined at line 1)"),
        ("a: &x 1\nb: *x\n", ":1:4: error: anchors and aliases (&, *) are not allowed"),
        (
            "a: !!python/object:os.system x\n",
            ":1:4: error: tag '!!python/object:os.system' is not allowed",
        ),
        ("a: !custom x\n", ":1:4: error: tag '!custom' is not allowed"),
        ("- a\n- b\n", ":1:1: error: the file must be a mapping of fields"),
        ("just text\n", ":1:1: error: the file must be a mapping of fields (title:, authors:, …),"),
        ("", ":1:1: error: the file is empty"),
        (
            "a:\n\tb: 1\n",
            ":2:1: error: YAML syntax error: a tab character; indent with spaces",
        ),
        ("? [a, b]\n: 1\n", ":1:3: error: keys must be plain text"),
    ],
)
def test_yaml_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert _error(tmp_path, text).startswith(expected)


def test_not_utf8(tmp_path: Path) -> None:
    message = _error(tmp_path, "title: caf\xe9\n".encode("latin-1"))
    assert message == ":1:11: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"


def test_utf16(tmp_path: Path) -> None:
    assert (
        _error(tmp_path, "title: x\n".encode("utf-16"))
        == ":1:1: error: file is UTF-16; save it as UTF-8"
    )


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    assert "nesting deeper than" in _error(tmp_path, "a: " + "[" * 60 + "]" * 60 + "\n")


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["x", "x"]'] + [
        f"{c}: &{c} [*{p}, *{p}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    assert "anchors and aliases" in _error(tmp_path, "\n".join(lines) + "\n")


def test_oversized_file(tmp_path: Path) -> None:
    assert "the limit is" in _error(tmp_path, "a: " + "x" * 2_100_000 + "\n")
