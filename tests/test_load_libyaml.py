"""Load through libyaml: whatever it reads, it reads exactly as the pure-Python loader does.

`load` reads a case file with libyaml's scanner and parser when it can, and with PyYAML's
pure-Python ones when the text has something libyaml reads otherwise (tabs, `?` in flow
context, empty values, block scalar headers PyYAML refuses, …) or when either finds a
problem. These tests hold the fast path to the slow one: same data, same positions of
every value and key, same block scalars, and never a text the slow one refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereport import load, yaml_readers
from casereport.journal import builtin_templates
from casereport.limits import CeilingHit
from tests.conftest import DEMO, EXAMPLE, SMALL_CASE

pytestmark = pytest.mark.skipif(yaml_readers.CParser is None, reason="PyYAML built without libyaml")

BASES = [
    (DEMO / "case.yaml").read_text(encoding="utf-8"),
    (EXAMPLE / "case.yaml").read_text(encoding="utf-8"),
    SMALL_CASE,
    (builtin_templates() / "clin-exp-rheumatol" / "journal.yaml").read_text(encoding="utf-8"),
]
PIECES = [
    *":- \n\t'\"[]{}#&*!|>?%@`,\\.0129abé€😀\r~",
    *("\n  ", ": ", "- ", "\n- ", "---\n", "...\n", "? ", " #", "''", '""', "[]", "{}"),
    *("null", "~", "- - ", ": :", "|\n", ">-\n", "|2\n", ">+ #c\n", "|#\n", "\u2028", "\ufeff"),
    *("0x1F", "1e3", ".inf", "010", "1:30", "yes", "!!str ", "!!bool ", "&a ", "*a", "<<: "),
]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def edited_texts(draw: st.DrawFn) -> str:
    """A case file or journal profile with a few characters inserted or deleted."""
    text = draw(st.sampled_from(BASES))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 4)) :]
    return text


ATOMS = st.sampled_from(
    [
        *("", " ", "a b", "a: b", "a:b", "#x", "a #b", "?", "a?b", "- x", "'q'", '"q"', "é"),
        *("010", "0x1F", "1:30", "yes", "null", "~", "1e3", "[a]", "{a: b}", "a\nb", " lead"),
        *("a\n\nb\n", "trail ", ">", "|", "&a", "*a", "!t", "%", "a, b", "\\"),
    ]
)
DATA = st.recursive(
    ATOMS | st.integers(-5, 3000) | st.booleans() | st.none() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ATOMS, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def dumped_texts(draw: st.DrawFn) -> str:
    """Data written by PyYAML in every style it has, then perhaps edited a little."""
    text = yaml.safe_dump(
        draw(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), DATA, min_size=1)),
        default_flow_style=draw(st.sampled_from([None, True, False])),
        default_style=draw(st.sampled_from([None, '"', "'", "|", ">"])),
        width=draw(st.sampled_from([20, 80, 1000])),
        allow_unicode=draw(st.booleans()),
        indent=draw(st.sampled_from([2, 3, 4])),
        sort_keys=False,
    )
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
    return text


def _read(read: Any) -> tuple[Any, ...]:
    walker, data = read
    return (repr(data), walker.positions, walker.key_positions, walker.block_scalars)


def _same_or_fallback(text: str) -> None:
    fast = load._read_with_libyaml(text)
    if fast is not None:
        assert _read(fast) == _read(load._read_with_pyyaml(text, "case.yaml"))


def _safe_load_same(text: str) -> None:
    try:
        expected: object = ("ok", repr(yaml.safe_load(text)))
    except Exception as exc:
        expected = (type(exc).__name__, str(exc))
    try:
        got: object = ("ok", repr(yaml_readers.safe_load(text)))
    except Exception as exc:
        got = (type(exc).__name__, str(exc))
    assert got == expected


@SETTINGS
@given(edited_texts())
def test_edited_case_files_read_alike(text: str) -> None:
    _same_or_fallback(text)
    _safe_load_same(text)


@SETTINGS
@given(dumped_texts())
def test_every_yaml_style_reads_alike(text: str) -> None:
    _same_or_fallback(text)
    _safe_load_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a:\n\tb: 1\n",  # a tab: PyYAML refuses it, libyaml does not
        "a: x\tb\n",
        "a: [x?y]\n",  # `?` ends a plain scalar in flow context in PyYAML only
        "a: {b?: 1}\n",
        "a: >#c\n  x\n",  # PyYAML wants a space before a header's comment
        ">#-@.0\n",
        "a:\nb: {c: }\n",  # libyaml puts an empty value elsewhere
        "a: x\u2028b: y\n",
        "a: \ufeffx\n",
    ],
)
def test_what_libyaml_reads_otherwise_goes_to_pyyaml(text: str) -> None:
    assert load._read_with_libyaml(text) is None
    _safe_load_same(text)


@pytest.mark.parametrize("case", [DEMO, EXAMPLE])
def test_the_example_cases_take_the_fast_path(case: Any) -> None:
    """Without this the loader could fall back on every file and nothing would fail."""
    text = (case / "case.yaml").read_text(encoding="utf-8")
    assert load._read_with_libyaml(text) is not None
    journal = builtin_templates() / "clin-exp-rheumatol" / "journal.yaml"
    text = journal.read_text(encoding="utf-8")
    assert yaml_readers.libyaml_may_read(text, yaml_readers.UNLIKE_IN_SAFE_LOAD)
    assert not yaml_readers.ODD_HEADER.search(text)


def test_a_ceiling_hit_while_libyaml_reads_is_not_taken_for_a_difference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The time ceiling's signal lands wherever the build is: inside the fast path it must
    stop the build, not send the text to the slow path after the ceiling has passed."""

    def stopped(self: object) -> None:
        raise CeilingHit.time(1)

    monkeypatch.setattr(yaml_readers.FastCoreLoader, "get_single_node", stopped)
    monkeypatch.setattr(yaml_readers._FastSafeLoader, "get_single_data", stopped)
    with pytest.raises(CeilingHit):
        load._read_with_libyaml("title: x\n")
    with pytest.raises(CeilingHit):
        yaml_readers.safe_load("name: x\n")
