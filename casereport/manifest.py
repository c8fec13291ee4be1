"""build.json: what a build was made from (each input's SHA-256) and what it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.checks import Checked
from casereport.errors import Diagnostic
from casereport.references.identifiers import lock_path

if TYPE_CHECKING:
    from casereport.export.writers import Job


def build_manifest(
    checked: Checked,
    out: Path,
    outputs: list[Path],
    warnings: tuple[Diagnostic, ...],
    words: int,
    job: Job,
) -> bytes:
    """The build manifest: the case, journal and style; inputs with their SHA-256; the
    outputs, whether the HTML holds its stylesheet and figures (`embed`) and the PDF's
    standard (when one was written); the counts (`words` as the journal counts them); the
    warnings."""
    from casereport.export.outputs import file_sha256

    embed = job.embed
    pdf_variant = job.pdf_variant if out / "letter.pdf" in outputs else None

    case_dir = checked.source.path.parent
    inputs = [checked.source.path]
    images = (case_dir / p.image for f in checked.case.figures for p in f.panels)
    inputs += list(dict.fromkeys(images))
    inputs += [case_dir / name for name in checked.case.bibliography_files]
    if lock_path(case_dir).is_file():
        inputs.append(lock_path(case_dir))
    manifest = {
        "case": str(case_dir),
        "journal": checked.journal.id,
        "style": checked.citations.style.label,
        "inputs": {str(p.relative_to(case_dir)): file_sha256(p) for p in inputs},
        "outputs": sorted(str(p.relative_to(out)) for p in outputs),
        "embed": embed,
        **({"pdf_variant": pdf_variant} if pdf_variant else {}),
        "words": words,
        "references": len(checked.resolved.references),
        "figures": len(checked.resolved.figures),
        "tables": len(checked.resolved.tables),
        "warnings": [d.format() for d in warnings],
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8")
