"""The YAML readers of `load` and `journal`: PyYAML's, and the same on libyaml's events.

`CoreLoader` is PyYAML's SafeLoader with YAML 1.2 core-schema scalars (`no` and `on` stay
strings, `010` is ten, `1:30` is a string) that refuses anchors and aliases.

libyaml's scanner and parser (PyYAML's C extension), when PyYAML was built with it, make
the same events about eight times faster; `FastCoreLoader` and `safe_load` compose,
resolve and construct them with the same Python code as the pure-Python loader. libyaml
reads a few things otherwise than PyYAML: tabs, a byte-order mark or a Unicode line
separator in the text, `?` inside a plain scalar in flow context, the position of an empty
value, a block scalar header PyYAML refuses (`>#`), and most errors. A text with any of
them is read by the pure-Python loader, which alone words the diagnostics
(tests/test_load_libyaml.py holds the two to the same results).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import Node, ScalarNode
from yaml.resolver import Resolver

from casereport.limits import CeilingHit


class LoadProblem(Exception):
    """A problem of the YAML itself, at `mark`."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars and no anchors or aliases."""

    yaml_implicit_resolvers = {}  # noqa: RUF012  (our own table, not SafeLoader's)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        _refuse_anchors(self.peek_event())  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def _refuse_anchors(event: Any) -> None:
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        raise LoadProblem(event.start_mark, "anchors and aliases (&, *) are not allowed")


def _construct_int(loader: yaml.SafeLoader, node: ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.lower().startswith(("0x", "+0x", "-0x")):
        return int(text, 16)
    if text.lower().startswith(("0o", "+0o", "-0o")):
        return int(text.replace("0o", "").replace("0O", ""), 8)
    return int(text, 10)


_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    # No leading zeros: YAML 1.1 tools read `010` as octal 8, so it stays text and a
    # number field reports it instead of silently taking one reading or the other.
    (
        "tag:yaml.org,2002:int",
        r"^[-+]?(?:0|[1-9][0-9]*)$|^0o[0-7]+$|^0x[0-9a-fA-F]+$",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
        r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]
for _tag, _pattern, _first in _RESOLVERS:
    CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

CParser: Any
try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # PyYAML without libyaml
    CParser = None
UNLIKE_IN_LIBYAML = "\t\ufeff\u2028\u2029"
BLOCK_HEADER = re.compile(r"[|>](?:[-+][1-9]?|[1-9][-+]?)?(?: +(?:#.*)?)?")
# `safe_load` has no walker to check the nodes: the text alone decides. Besides those
# characters, no `?`, no tags, anchors or directives, and no `|` or `>` but as a block
# scalar header that PyYAML takes (indicators, then a space or the line's end).
UNLIKE_IN_SAFE_LOAD = UNLIKE_IN_LIBYAML + "?!&*%"
ODD_HEADER = re.compile(r"[|>](?!(?:[-+][1-9]?|[1-9][-+]?)?(?:[ \r\n]|$))")

if CParser is not None:

    class FastCoreLoader(Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """`CoreLoader` on libyaml's events."""

        yaml_implicit_resolvers = CoreLoader.yaml_implicit_resolvers
        yaml_constructors = CoreLoader.yaml_constructors

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

        def compose_node(self, parent: Node | None, index: Any) -> Node | None:
            _refuse_anchors(self.peek_event())
            return super().compose_node(parent, index)

    class _FastSafeLoader(Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """`yaml.SafeLoader` on libyaml's events."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)


class Unlike(Exception):
    """What libyaml read here may differ from what PyYAML reads: read it with PyYAML."""


def safe_load(text: str) -> Any:
    """`yaml.safe_load(text)`, through libyaml's parser when the text has nothing that
    libyaml reads otherwise (see above)."""
    if libyaml_may_read(text, UNLIKE_IN_SAFE_LOAD) and not ODD_HEADER.search(text):
        loader = _FastSafeLoader(text)
        try:
            return loader.get_single_data()
        except (CeilingHit, MemoryError):  # a ceiling hit meanwhile (`limits`)
            raise
        except Exception:  # PyYAML raises it, in its own words, below
            pass
        finally:
            loader.dispose()
    return yaml.safe_load(text)


def libyaml_may_read(text: str, unlike: str) -> bool:
    """Whether libyaml is there and `text` has none of the characters in `unlike`."""
    return CParser is not None and not any(c in text for c in unlike)
