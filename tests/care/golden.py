"""The golden copy of the example case report's CARE checklist (care-checklist.md), kept
beside its other golden outputs in tests/golden/dress-allopurinol/.

    .venv/bin/python -m tests.care.golden     # rewrite it after an intended change

`test_outputs.py` builds it and compares; a missing copy is written and the test fails
until a person has read it and committed it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.golden import GOLDEN, ROOT

CASE = "dress-allopurinol"
FILE = GOLDEN / CASE / "care-checklist.md"


def checklist_markdown() -> str:
    """`build --to care` of the example case report: its care-checklist.md."""
    from casereport import build_case

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / CASE
        build_case(ROOT / "cases" / CASE, out, formats=("care",))
        return (out / "care-checklist.md").read_text(encoding="utf-8")


def main() -> None:
    text = checklist_markdown()
    changed = not FILE.exists() or FILE.read_text(encoding="utf-8") != text
    FILE.write_text(text, encoding="utf-8")
    print(f"{'rewrote' if changed else 'unchanged:'} {FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
