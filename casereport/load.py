"""Load a case file: YAML text → plain data plus the source position of every node.

The loader judges only what YAML itself can get wrong (syntax, duplicate keys, anchors,
tags, encoding); whether the data make a valid case is `validate`'s business.
Plain scalars follow YAML 1.2's core schema: `no` and `on` stay strings, `010` is ten and
`1:30` is a string, so a country code or a time never turns into something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from casereport import yaml_readers
from casereport.errors import CaseError, Diagnostic, PathKey
from casereport.inputs import InputRefused, read_input
from casereport.limits import CeilingHit
from casereport.yaml_readers import (
    BLOCK_HEADER,
    UNLIKE_IN_LIBYAML,
    CoreLoader,
    LoadProblem,
    Unlike,
    libyaml_may_read,
)

MAX_CASE_BYTES = 2_000_000
MAX_DEPTH = 40

Position = tuple[int, int]

_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)


@dataclass(frozen=True)
class Source:
    """A loaded case file: its data and where each value and key came from (1-based)."""

    path: Path
    text: str = field(repr=False)
    data: dict[str, Any] = field(repr=False)
    positions: dict[PathKey, Position] = field(repr=False)
    key_positions: dict[PathKey, Position] = field(repr=False)
    block_scalars: frozenset[PathKey] = field(default=frozenset(), repr=False)

    def position(self, path: PathKey, *, key: bool = False) -> Position | None:
        """Best position for `path`: the key or value itself, else its nearest ancestor."""
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return None

    def char_at(self, line: int, col: int) -> str:
        """The character at 1-based (line, col), or '' outside the text."""
        lines = self.text.splitlines()
        if 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]):
            return lines[line - 1][col - 1]
        return ""

    def indent(self, line: int) -> int:
        """How many spaces open line `line` (1-based) of the file."""
        lines = self.text.splitlines()
        if not 1 <= line <= len(lines):
            return 0
        return len(lines[line - 1]) - len(lines[line - 1].lstrip(" "))


@dataclass
class _Walker:
    loader: SafeConstructor
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)
    block_scalars: set[PathKey] = field(default_factory=set)
    libyaml: list[str] | None = None  # the lines, when libyaml read them: see _check_libyaml
    flow: int = 0  # how many flow collections ([...], {...}) enclose the node

    def walk(self, node: Node, path: PathKey) -> Any:
        if len(path) > MAX_DEPTH:
            raise LoadProblem(node.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadProblem(node.start_mark, f"tag {tag!r} is not allowed")
        self.positions[path] = _pos(node.start_mark)
        if isinstance(node, MappingNode | SequenceNode) and node.flow_style:
            self.flow += 1
            try:
                return self._node(node, path)
            finally:
                self.flow -= 1
        return self._node(node, path)

    def _node(self, node: Node, path: PathKey) -> Any:
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            self._check_libyaml(node)
            if node.style in ("|", ">"):
                self.block_scalars.add(path)
            try:
                return self.loader.construct_object(node, deep=True)
            except (KeyError, ValueError, TypeError, OverflowError):  # `!!bool "maybe"`
                kind = node.tag.rsplit(":", 1)[-1]
                message = f"{node.value!r} cannot be read as {kind}"
                raise LoadProblem(node.start_mark, message) from None
        return self.loader.construct_object(node, deep=True)

    def _check_libyaml(self, node: ScalarNode) -> None:
        """An empty plain value (placed elsewhere by libyaml), in flow context a plain
        scalar with `?` (which ends one in PyYAML), a block scalar's header that PyYAML
        would refuse: not read by libyaml."""
        if self.libyaml is None:
            return
        if not node.style and (not node.value or (self.flow and "?" in node.value)):
            raise Unlike
        if node.style in ("|", ">"):
            line = self.libyaml[node.start_mark.line]
            if not BLOCK_HEADER.fullmatch(line, node.start_mark.column):
                raise Unlike

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadProblem(key_node.start_mark, "keys must be plain text")
            self._check_libyaml(key_node)
            key = str(key_node.value)
            if key == "<<":
                raise LoadProblem(key_node.start_mark, "merge keys (<<) are not allowed")
            if key in result:
                first = self.key_positions[(*path, key)]
                raise LoadProblem(
                    key_node.start_mark,
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                )
            self.key_positions[(*path, key)] = _pos(key_node.start_mark)
            result[key] = self.walk(value_node, (*path, key))
        return result


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def load_case_file(path: Path) -> Source:
    """Read and parse a case file; raise CaseError with a positioned diagnostic if it fails."""
    return parse_case_bytes(path, read_case_bytes(path))


def read_case_bytes(path: Path) -> bytes:
    """The case file's bytes; CaseError if it cannot be read, is too large, or is not a
    regular file of its folder (a link to another folder's case, a FIFO, a device)."""
    name = str(path)
    try:
        return read_input(path.parent, path.name, max_bytes=MAX_CASE_BYTES, what="case files")
    except InputRefused as exc:
        raise CaseError([Diagnostic(name, None, None, "", str(exc))]) from None
    except OSError as exc:
        raise CaseError(
            [Diagnostic(name, None, None, "", f"cannot read: {exc.strerror}")]
        ) from None


def parse_case_bytes(path: Path, raw: bytes) -> Source:
    """Decode and parse the bytes read from the case file at `path`."""
    return _parse(_decode(raw, str(path)), path)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CaseError([Diagnostic(name, 1, 1, "", "file is UTF-16; save it as UTF-8")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise CaseError([Diagnostic(name, line, col, "", message)]) from None
    return text.removeprefix("\ufeff")


def _parse(text: str, path: Path) -> Source:
    name = str(path)
    problem = _forbidden_character(text)
    if problem:
        raise CaseError([Diagnostic(name, *problem)])
    read = _read_with_libyaml(text)
    walker, data = read if read is not None else _read_with_pyyaml(text, name)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        message = f"the file must be a mapping of fields (title:, authors:, …), not {kind}"
        raise CaseError([Diagnostic(name, 1, 1, "", message)])
    return Source(
        path,
        text,
        data,
        walker.positions,
        walker.key_positions,
        frozenset(walker.block_scalars),
    )


def _read_with_libyaml(text: str) -> tuple[_Walker, Any] | None:
    """The text's nodes and data as `_read_with_pyyaml` reads them, or None when libyaml
    is missing, reports a problem, or may read the text otherwise than PyYAML."""
    if not libyaml_may_read(text, UNLIKE_IN_LIBYAML):
        return None
    loader = yaml_readers.FastCoreLoader(text)  # there: libyaml_may_read
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        walker = _Walker(loader, libyaml=text.splitlines())
        return walker, walker.walk(root, ())
    except (CeilingHit, MemoryError):  # a ceiling hit meanwhile (`limits`): not the text's
        raise
    except Exception:  # any problem of the text is found again, and worded, by PyYAML
        return None
    finally:
        loader.dispose()


def _read_with_pyyaml(text: str, name: str) -> tuple[_Walker, Any]:
    loader = CoreLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise CaseError([Diagnostic(name, 1, 1, "", "the file is empty")])
        walker = _Walker(loader)
        return walker, walker.walk(root, ())
    except LoadProblem as exc:
        line, col = _pos(exc.mark)
        raise CaseError([Diagnostic(name, line, col, "", exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        raise CaseError([_yaml_diagnostic(name, exc)]) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise CaseError([Diagnostic(name, None, None, "", f"cannot parse YAML: {exc}")]) from None
    finally:
        loader.dispose()


# C0/C1 controls other than tab, newline and carriage return, and the invisible
# bidirectional controls that can make text read differently from what it says.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def _forbidden_character(text: str) -> tuple[int, int, str, str] | None:
    """(line, col, field, message) for the first control or bidirectional character."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = f"U+{ord(found.group()):04X}"
    kind = "bidirectional control" if ord(found.group()) > 0x9F else "control"
    return line, col, "", f"invisible {kind} character {code} is not allowed; delete it"


# PyYAML's wording of the commonest mistakes, and what they mean to someone editing a case.
_PLAIN_ENGLISH = {
    "expected <block end>, but found '<scalar>'": (
        "unexpected text; check the indentation, and that a quote opened earlier is closed"
    ),
    "expected <block end>, but found '<block mapping start>'": "unexpected indentation",
    "mapping values are not allowed here": (
        "a ':' that YAML cannot place; put text that contains ': ' in quotes"
    ),
    "found character '\\t' that cannot start any token": "a tab character; indent with spaces",
}


def _yaml_diagnostic(name: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark) if mark else (None, None)
    problem = exc.problem or "syntax error"
    problem = _PLAIN_ENGLISH.get(problem, problem)
    if exc.context and exc.context not in problem:
        started = exc.context_mark
        where = (
            f" that starts at line {started.line + 1}"
            if started and mark and started.line != mark.line
            else ""
        )
        problem = f"{problem} ({exc.context}{where})"
    return Diagnostic(name, line, col, "", f"YAML syntax error: {problem}")
