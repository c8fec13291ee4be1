"""The PDF is tagged PDF/UA-1 (or PDF/A-3b on request), carries its metadata, and each
figure's alternative text: read back with pikepdf and checked by `qpdf --check`, for every
example case under every journal profile that publishes its article type (the session's
`example_builds`, which the Word tests read too)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from casereport.build import BuildOptions, build_with
from casereport.export.manuscript_json import from_json
from casereport.manuscript import Manuscript
from tests.golden import CASES

ROOT = Path(__file__).resolve().parents[2]
PDFUA = "{http://www.aiim.org/pdfua/ns/id/}part"
PDFA_PART = "{http://www.aiim.org/pdfa/ns/id/}part"
PDFA_CONFORMANCE = "{http://www.aiim.org/pdfa/ns/id/}conformance"
DC = "{http://purl.org/dc/elements/1.1/}"


def _build(case: str, journal: str, out: Path, variant: str = "pdf/ua-1") -> Manuscript:
    options = BuildOptions(("html", "pdf", "json"), journal=journal, pdf_variant=variant)
    build_with(ROOT / "cases" / case, out, options)
    return from_json((out / "manuscript.json").read_text(encoding="utf-8"))


def _elements(node: Any) -> Iterator[pikepdf.Dictionary]:
    """The structure elements under `node`, in reading order."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _elements(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        if "/K" in node:
            yield from _elements(node.K)


def _links(pdf: pikepdf.Pdf) -> tuple[int, list[str]]:
    """The number of links within the document, and the addresses of the others."""
    internal, uris = 0, []
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action.URI))
            else:
                internal += 1
    return internal, uris


def _qpdf_check(path: Path) -> None:
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is missing: `make test` installs it"
    run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("case", CASES)
def test_the_pdf_is_tagged_pdf_ua_with_its_metadata(
    case: str, example_builds: dict[str, Path]
) -> None:
    out = example_builds[case]
    manuscript = from_json((out / "manuscript.json").read_text(encoding="utf-8"))
    path = out / "letter.pdf"
    _qpdf_check(path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == manuscript.lang
        assert bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        info = pdf.docinfo
        assert str(info.Title) == manuscript.title
        assert str(info.Author) == ", ".join(a.name for a in manuscript.authors)
        assert manuscript.journal_name in str(info.Subject)
        if manuscript.keywords:
            assert str(info.Keywords) == ", ".join(manuscript.keywords)
        with pdf.open_metadata() as xmp:
            assert xmp[PDFUA] == "1"
            assert xmp[f"{DC}title"] == manuscript.title
            assert list(xmp[f"{DC}creator"]) == [a.name for a in manuscript.authors]
        elements = list(_elements(pdf.Root.StructTreeRoot.K))
        internal, uris = _links(pdf)
    if manuscript.references.numbered and manuscript.references.entries:
        assert internal >= len(manuscript.references.entries)  # every reference is cited
    if manuscript.correspondence:
        assert f"mailto:{manuscript.correspondence.email}" in uris
    kinds = [str(e.S) for e in elements]
    assert kinds[0] == "/Document" and kinds.count("/H1") == 1
    figures = [e for e in elements if e.S == "/Figure"]
    assert [str(f.Alt) for f in figures] == [f.alt for f in manuscript.figures]
    for figure in manuscript.figures:
        assert figure.alt and figure.title not in figure.alt  # not the caption repeated
    if manuscript.tables:
        assert "/Table" in kinds and "/TH" in kinds


def test_pdf_a_3b_on_request_is_archival_and_still_tagged(tmp_path: Path) -> None:
    manuscript = _build("dress-allopurinol", "care", tmp_path, "pdf/a-3b")
    path = tmp_path / "letter.pdf"
    _qpdf_check(path)
    with pikepdf.open(path) as pdf:
        with pdf.open_metadata() as xmp:
            assert (xmp[PDFA_PART], xmp[PDFA_CONFORMANCE]) == ("3", "B")
            assert PDFUA not in xmp
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and "/DestOutputProfile" in intents[0]
        assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
        assert str(pdf.docinfo.Title) == manuscript.title
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", {})
            for font in fonts.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    manifest = (tmp_path / "build.json").read_text(encoding="utf-8")
    assert '"pdf_variant": "pdf/a-3b"' in manifest


def test_an_unknown_pdf_variant_is_a_usage_error(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    run = run_cli(
        "build",
        str(ROOT / "cases" / "anifrolumab-alopecia"),
        "-o",
        str(tmp_path),
        "--pdf-variant",
        "pdf/x-4",
    )
    assert run.returncode == 2
    assert "pdf/x-4" in run.stderr and "pdf/ua-1" in run.stderr
    assert not (tmp_path / "letter.pdf").exists()
