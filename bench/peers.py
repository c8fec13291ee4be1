"""The peers on the same letter: pandoc + citeproc to HTML, and pandoc to a WeasyPrint PDF.

The demo case is written out as pandoc Markdown — the same title, salutation, body, figure
(the composed figure casereport made, so pandoc does no image work), signature, the same
CSL-JSON references and CSL style, and the journal's stylesheet with the same two-column
structure (fenced divs) — and each pipeline runs as a user would run it: a new `pandoc`
process, which for the PDF starts WeasyPrint's own command.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from casereport.build import check_case
from casereport.journal import builtin_templates

STYLE = builtin_templates() / "clin-exp-rheumatol"


def pandoc_path() -> str:
    """The pandoc binary of the pypandoc-binary wheel (`pip install -e '.[bench]'`)."""
    try:
        import pypandoc
    except ImportError:
        raise SystemExit("pandoc not found: install the bench extra (make bench does)") from None
    return str(pypandoc.get_pandoc_path())


def pandoc_version() -> str:
    done = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True)
    return done.stdout.splitlines()[0]


def write_markdown(case: Path, built: Path, folder: Path) -> Path:
    """The demo letter as pandoc Markdown in `folder` (with its references and figure)."""
    checked = check_case(case)
    resolved = checked.resolved
    folder.mkdir(parents=True, exist_ok=True)
    items = [ref.csl() for ref in resolved.references]
    (folder / "references.json").write_text(json.dumps(items), encoding="utf-8")
    figure = resolved.figures[0]
    body = re.sub(r"\[@fig:[^\]]+\]", f"Fig. {figure.number}", checked.case.body)
    authors = "\n\n".join(
        f"**{a.name.upper()}**, {', '.join(a.degrees)}" for a in checked.case.authors
    )
    affiliations = " ".join(checked.case.affiliations.values())
    image = built / "figures" / "figure-1.jpg"
    text = f"""---
title: "{checked.case.title}"
bibliography: references.json
csl: {STYLE / "style.csl"}
reference-section-title: References
---

::: {{.letter}}
::: {{.columns}}
Sirs,

{body}

::: {{.figure .full}}
![**Fig. {figure.number}.** {figure.figure.title}]({image}){{width=100%}}
:::

{authors}

*{affiliations}.*

*Competing interests:* {checked.case.competing_interests}.

::: {{#refs}}
:::
:::
:::
"""
    # pandoc's own page style makes div.columns a flex box; the journal's columns win here.
    (folder / "peer.css").write_text("div.columns { display: block; }\n", encoding="utf-8")
    markdown = folder / "letter.md"
    markdown.write_text(text, encoding="utf-8")
    return markdown


def pandoc_command(markdown: Path, target: str) -> list[str]:
    """pandoc with citeproc: `target` is `html` (standalone page) or `pdf` (via WeasyPrint)."""
    out = markdown.with_suffix(f".{target}")
    command = [pandoc_path(), str(markdown), "--citeproc", "--standalone", "-o", str(out)]
    command += ["--resource-path", str(markdown.parent), "--css", str(STYLE / "style.css")]
    command += ["--css", str(markdown.parent / "peer.css")]
    if target == "pdf":
        command.append("--pdf-engine=weasyprint")
    return command


def peer_env() -> dict[str, str]:
    """The environment with this Python's scripts (WeasyPrint's command) first on PATH."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")}
