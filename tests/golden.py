"""Golden output trees: what a user gets from each example case, kept as text in the
repository so that any change to it shows up in review as a diff.

    make goldens          # or: .venv/bin/python -m tests.golden

rebuilds every example case (HTML, PDF and submission files) and rewrites
`tests/golden/<case>/`: `letter.html`, `build.json` (the case folder masked),
`legends.txt`, `letter.pdf.txt` (the PDF's text, page by page) and `letter.docx.txt` (the
Word file's paragraphs with their styles, `tests.outputs.docx_text`). `tests/test_golden.py`
builds the same way and compares; a golden that is missing is written and the test fails
until a person has read it and committed it.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ("anifrolumab-alopecia", "lupus-histology-imaging", "dress-allopurinol")
FILES = ("letter.html", "build.json", "legends.txt", "letter.pdf.txt", "letter.docx.txt")


def article(case: str) -> str:
    """The article type of the example case `case`."""
    from casereport.load import load_case_file

    data = load_case_file(ROOT / "cases" / case / "case.yaml").data
    return str(data.get("article", "letter"))


def combinations() -> list[tuple[str, str]]:
    """(case, profile) for every example case and every built-in profile that publishes its
    article type, its own journal's included."""
    from casereport.journal import available_journals, load_journal, search_path

    path = search_path()
    journals = {name: load_journal(name, path) for name in available_journals(path)}
    return [
        (case, name)
        for case in EXAMPLES
        for name, journal in journals.items()
        if article(case) in journal.publishes
    ]


def _retargeted() -> list[str]:
    """`<case>@<journal>` for every example case under every other built-in profile that
    publishes its article type (what `build --journal <journal>` gives)."""
    from casereport.load import load_case_file

    own = {
        c: load_case_file(ROOT / "cases" / c / "case.yaml").data.get("journal") for c in EXAMPLES
    }
    return [f"{case}@{name}" for case, name in combinations() if name != own[case]]


CASES = (*EXAMPLES, *_retargeted())


def outputs(case: str) -> dict[str, str]:
    """Build `cases/<case>` (`<case>@<journal>`: for that journal) in an empty folder; the
    golden files' texts by name."""
    from casereport import build_case
    from casereport.build import BuildOptions, build_with
    from tests.outputs import docx_text, pdf_text

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    folder, _, journal = case.partition("@")
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / folder
        formats = ("html", "pdf", "figures", "docx")
        if journal:
            build_with(ROOT / "cases" / folder, out, BuildOptions(formats, journal=journal))
        else:
            build_case(ROOT / "cases" / folder, out, formats=formats)
        manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
        manifest["case"] = f"cases/{folder}"
        manifest["warnings"] = [w.replace(str(ROOT) + "/", "") for w in manifest["warnings"]]
        return {
            "letter.html": (out / "letter.html").read_text(encoding="utf-8"),
            "build.json": json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
            "legends.txt": (out / "submission" / "legends.txt").read_text(encoding="utf-8"),
            "letter.pdf.txt": pdf_text(out / "letter.pdf") + "\n",
            "letter.docx.txt": docx_text(out / "letter.docx"),
        }


def write(case: str) -> list[Path]:
    """Rewrite the golden files of `case`; the ones whose text changed."""
    changed = []
    for name, text in outputs(case).items():
        path = GOLDEN / case / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main() -> None:
    changed = [path for case in CASES for path in write(case)]
    for path in changed:
        print(f"rewrote {path.relative_to(ROOT)}")
    plural = "s" if len(changed) != 1 else ""
    print(f"{len(changed)} golden file{plural} changed: review them with git diff")
    sys.exit(0)


if __name__ == "__main__":
    main()
