"""Where figures and tables go in the text: after the paragraph that first mentions them,
as a typesetter stacks them. Shared by the HTML (and so the PDF) and the Word writers, so
both place every float alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from casereport.manuscript import Block, Float

TOP_FLOATS = 2  # floats a typesetter stacks at the head of a page (LaTeX's topnumber)


def gather_floats(blocks: Sequence[Block]) -> list[Block]:
    """The blocks, each figure or table after the paragraph that first mentions it; but one
    followed by a single paragraph and then another float goes with that float, after the
    paragraph (at most TOP_FLOATS together). A typesetter stacks floats mentioned close
    together at the head of a page rather than leave a paragraph between them, which would
    leave a page's foot empty when the second does not fit under it."""
    gathered: list[Block] = []
    i = 0
    while i < len(blocks):
        group = floats_at(blocks, i)
        after = floats_at(blocks, i + len(group) + 1) if group else []
        if group and after and len(group) + len(after) <= TOP_FLOATS:
            gathered += [blocks[i + len(group)], *group, *after]
            i += len(group) + 1 + len(after)
        elif group:
            gathered += group
            i += len(group)
        else:
            gathered.append(blocks[i])
            i += 1
    return gathered


def floats_at(blocks: Sequence[Block], start: int) -> list[Block]:
    """The run of figures and tables that starts at `start` (empty if none does)."""
    run: list[Block] = []
    for block in blocks[start:]:
        if not isinstance(block, Float):
            break
        run.append(block)
    return run
