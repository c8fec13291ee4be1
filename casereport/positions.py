"""Field paths → `file:line:col` diagnostics: where in the case file a problem is.

Every stage reports a problem at a field path (`figures[0].panels[1].image`) or at a piece of
text inside a field's value (a citation key in the body); this module turns either into a
`Diagnostic` with the line and column of the case file. It sits just above `load` (which
records the positions) so that every stage and domain can use it without importing another
stage.
"""

from __future__ import annotations

import re

from casereport.errors import Diagnostic
from casereport.load import PathKey, Source


def field_path(path: PathKey) -> str:
    """`('figures', 0, 'panels', 1, 'image')` → `figures[0].panels[1].image`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def diagnostic(source: Source, path: PathKey, message: str, *, key: bool = False) -> Diagnostic:
    """A diagnostic for the node at `path` in `source`."""
    line, col = source.position(path, key=key) or (None, None)
    return Diagnostic(str(source.path), line, col, field_path(path), message)


def in_text(
    source: Source, path: tuple[str | int, ...], needle: str | re.Pattern[str], message: str
) -> Diagnostic:
    """A diagnostic pointing at `needle` (text, or a pattern) inside the text value at `path`."""
    base = diagnostic(source, path, message)
    text = _value_at(source, path)
    if not isinstance(text, str) or base.line is None or base.col is None:
        return base
    pattern = needle if isinstance(needle, re.Pattern) else re.compile(re.escape(needle))
    found = pattern.search(text)
    if found is None:
        return base
    offset = found.start()
    line_in_text = text.count("\n", 0, offset)
    col_in_line = offset - (text.rfind("\n", 0, offset) + 1)
    if path in source.block_scalars:
        line = base.line + 1 + line_in_text
        return Diagnostic(
            base.file, line, source.indent(line) + col_in_line + 1, base.field, message
        )
    if line_in_text:
        line = base.line + line_in_text
        return Diagnostic(
            base.file, line, source.indent(line) + col_in_line + 1, base.field, message
        )
    quoted = source.char_at(base.line, base.col) in "\"'"
    return Diagnostic(base.file, base.line, base.col + col_in_line + quoted, base.field, message)


def key_pattern(key: str) -> re.Pattern[str]:
    """`@key` where it stands whole (not the start of a longer key; a full stop may follow)."""
    return re.compile(re.escape("@" + key) + r"(?![\w]|[.:/()-][\w])")


def _value_at(source: Source, path: tuple[str | int, ...]) -> object:
    value: object = source.data
    for part in path:
        value = value[part] if isinstance(value, dict | list) else None  # type: ignore[index]
    return value
