"""End to end: the demo case becomes a letter in HTML and PDF that reads like the published one."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from casereport import build_case
from casereport.errors import CaseError
from tests.conftest import SMALL_CASE

TITLE = (
    "Resolution of refractory systemic lupus erythematosus-associated alopecia with "
    "anifrolumab: a case report"
)
LEGEND = (
    "Fig. 1. Resolution of alopecia after treatment with anifrolumab. Representative images "
    "of the patient's alopecia before treatment (upper images) and after 6-month treatment "
    "with anifrolumab (lower images)."
)
SIGNATURE = "G. BUSCETTA, MD G. RIZZO, MD G. GUGGINO, MD, PhD".replace("G. RIZZO", "C. RIZZO")
REFERENCES = [
    "DAI X, FAN Y, ZHAO X: Systemic lupus erythematosus: updated insights on the "
    "pathogenesis, diagnosis, prevention and therapeutics. Sig Transduct Target Ther 2025; "
    "10: 102. https://doi.org/10.1038/s41392-025-02168-0",
    "DESAI K, MITEVA M: Recent insight on the management of lupus erythematosus alopecia. "
    "Clin Cosmet Investig Dermatol 2021; 14: 333-47. https://doi.org/10.2147/ccid.s269288",
    "FANOURIAKIS A, KOSTOPOULOU M, ANDERSEN J et al.: EULAR recommendations for the "
    "management of systemic lupus erythematosus: 2023 update. Ann Rheum Dis 2024; 83(1): "
    "15-29. https://doi.org/10.1136/ard-2023-224762",
    "MORAND EF, FURIE R, TANAKA Y et al.: Trial of anifrolumab in active systemic lupus "
    "erythematosus. N Engl J Med 2020; 382: 211-21. https://doi.org/10.1056/nejmoa1912196",
    "TRENTIN F, TANI C, ELEFANTE E, STAGNARO C, ZUCCHI D, MOSCA M: Treatment with "
    "anifrolumab for discoid lupus erythematosus. JAMA Dermatol 2023; 159: 224. "
    "https://doi.org/10.1001/jamadermatol.2022.5242",
    "BOTTAZZI F, MANNA E, CODULLO V, ZANFRAMUNDO G, MONTECUCCO C, CAVAGNA L: Efficacy of "
    "anifrolumab as a first-line therapy for the treatment of thrombocytopenia in systemic "
    "lupus erythematosus: a case report. Clin Exp Rheumatol 2025; 43: 1364. "
    "https://doi.org/10.55563/clinexprheumatol/s66b34",
    "BRUCE IN, VAN VOLLENHOVEN RF, PSACHOULIA K, LINDHOLM C, MAHO E, TUMMALA R: Time to "
    "onset of clinical response to anifrolumab in patients with SLE: pooled data from the "
    "phase III TULIP-1 and TULIP-2 trials. Lupus Sci Med 2023; 10: e000761. "
    "https://doi.org/10.1136/lupus-2022-000761",
]


def _flat(text: str) -> str:
    """Text with tags removed and whitespace (including line-end hyphenation) normalised."""
    text = re.sub(r"<[^>]+>", "", text).replace("&#39;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def html(demo_build: Path) -> str:
    return (demo_build / "letter.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_text(demo_build: Path) -> str:
    """The PDF's text in reading order, as poppler's pdftotext extracts it."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(demo_build / "letter.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    # A URL broken across lines in the narrow column joins again.
    text = done.stdout
    while (joined := re.sub(r"(https?://\S*)\n(?=\S)", r"\1", text)) != text:
        text = joined
    return _flat(text)


def test_outputs_exist(demo_build: Path) -> None:
    for name in ("letter.html", "letter.pdf", "letter.css", "figures/figure-1.jpg", "build.json"):
        assert (demo_build / name).is_file(), name
    assert not list(demo_build.glob("**/*.tmp"))


def test_html_reads_like_the_letter(html: str) -> None:
    text = _flat(html)
    assert f"<h1>{TITLE}</h1>" in re.sub(r"\s+", " ", html)
    assert "Sirs, We describe a woman" in text
    assert LEGEND in text
    assert SIGNATURE in text
    assert "Please address correspondence to: Giuliana Guggino Sezione di Reumatologia," in text
    assert "E-mail: giuliana.guggino@example.org" in text
    assert "Competing interests: none declared." in text


def test_citations_in_order(html: str, pdf_text: str) -> None:
    for text in (_flat(html), pdf_text):
        body = text.split("G. BUSCETTA")[0]
        cited = re.findall(r"\((\d[\d, -]*|Fig\. \d)\)", body)
        assert cited == ["1", "2", "3", "4-5", "Fig. 1", "6", "7"]


def test_references_exactly(html: str, pdf_text: str) -> None:
    items = re.findall(r"<li id=\"ref-\d+\">(.*?)</li>", html, re.S)
    printed = [re.sub(r' <span class="backlinks">.*?</span>', "", item) for item in items]
    assert [_flat(item) for item in printed] == REFERENCES  # back-links are for the screen
    assert "<i>N Engl J Med</i>" in html and "<i>et al.</i>" in html
    for number, reference in enumerate(REFERENCES, start=1):
        assert f"{number}. {reference}" in pdf_text


def test_pdf_reads_like_the_letter(pdf_text: str) -> None:
    assert pdf_text.startswith("LETTERS TO THE EDITOR " + TITLE + " Sirs,")
    assert LEGEND in pdf_text
    assert SIGNATURE in pdf_text
    assert "Competing interests: none declared." in pdf_text


def test_pdf_is_small_and_has_no_attachments(demo_build: Path) -> None:
    pdf = demo_build / "letter.pdf"
    assert pdf.stat().st_size <= 1_500_000
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    assert not reader.attachments


def test_figure_has_no_metadata(demo_build: Path) -> None:
    from PIL import Image

    with Image.open(demo_build / "figures" / "figure-1.jpg") as image:
        assert not image.getexif()
        assert {"exif", "icc_profile", "comment", "xmp"}.isdisjoint(image.info)
        assert image.size[0] == round(85 / 25.4 * 300)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def test_failed_build_leaves_outputs_untouched(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    out = tmp_path / "out"
    build_case(case, out)
    before = _hashes(out)
    case.write_text(SMALL_CASE.replace("[@one]", "[@missing]"), encoding="utf-8")
    with pytest.raises(CaseError):
        build_case(case, out)
    (case.parent / "b.jpg").write_bytes(b"not an image")
    case.write_text(SMALL_CASE, encoding="utf-8")
    with pytest.raises(CaseError):
        build_case(case, out)
    assert _hashes(out) == before
    assert not list(out.rglob("*.tmp"))


def test_building_twice_gives_identical_outputs(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    build_case(case, tmp_path / "out")
    first = _hashes(tmp_path / "out")
    build_case(case, tmp_path / "out")
    assert _hashes(tmp_path / "out") == first


def test_html_only(make_case: Callable[..., Path], tmp_path: Path) -> None:
    result = build_case(make_case(), tmp_path / "out", formats=("html",))
    assert (tmp_path / "out" / "letter.html").is_file()
    assert not (tmp_path / "out" / "letter.pdf").exists()
    assert result.words == 10


def test_user_template_overrides_one_block(make_case: Callable[..., Path], tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "clin-exp-rheumatol"
    templates.mkdir(parents=True)
    (templates / "letter.html.j2").write_text(
        '{% extends "!builtin/clin-exp-rheumatol/letter.html.j2" %}'
        "{% block declarations %}<p>Custom declarations</p>{% endblock %}",
        encoding="utf-8",
    )
    build_case(make_case(), tmp_path / "out", templates=tmp_path / "templates")
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert "<p>Custom declarations</p>" in html
    assert "Competing interests" not in html
    assert "A small test letter" in html


def test_unknown_journal(make_case: Callable[..., Path]) -> None:
    case = make_case("journal: clin-exp-rheumatoll\n" + SMALL_CASE)
    with pytest.raises(CaseError) as info:
        build_case(case, case.parent / "out")
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case}:1:10: error: journal: unknown journal 'clin-exp-rheumatoll'; "
        "did you mean 'clin-exp-rheumatol'?"
    ]


def test_consent_reaches_the_letter(demo_build: Path) -> None:
    """Issue 9: `consent` was read (its absence warns) but printed nowhere."""
    from tests.outputs import pdf_text

    html = (demo_build / "letter.html").read_text(encoding="utf-8")
    assert "<i>Patient consent:</i> The patient gave written informed consent" in html
    text = " ".join(pdf_text(demo_build / "letter.pdf").split())
    assert "Patient consent: The patient gave written informed consent to the publication" in text
