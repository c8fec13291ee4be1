"""`casereport bundle`: the submission folder and its zip, from real builds of the example
cases; refused, with every reason and nothing written, while `check --strict` finds anything."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import textwrap
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from casereport.bundle import BundleOptions, BundleRefused, BundleResult, bundle_case
from casereport.journal import Journal, load_journal, search_path
from tests.conftest import CASE_REPORT, DEMO, EXAMPLE, SMALL_CASE, run_cli

COMMON = ["MANIFEST.txt", "consent.txt", "cover-letter.txt", "legends.txt"]
COMMON += ["manuscript.docx", "manuscript.pdf"]
CARE = ["care-checklist.csv", "care-checklist.html"]
CASES = {  # (case, journal): the figure files its bundle holds
    ("anifrolumab-alopecia", "clin-exp-rheumatol"): ["figure-1.tiff"],
    ("lupus-histology-imaging", "clin-exp-rheumatol"): ["figure-1.tiff", "figure-2.svg"],
    ("dress-allopurinol", "care"): ["figure-1.tiff", "figure-2.tiff"],
    ("dress-allopurinol", "bmj-case-reports"): ["figure-1.jpg", "figure-2.jpg"],
    ("dress-allopurinol", "journal-of-medical-case-reports"): ["figure-1.tiff", "figure-2.tiff"],
}
FOLDERS = {"anifrolumab-alopecia": DEMO, "lupus-histology-imaging": EXAMPLE}
FOLDERS["dress-allopurinol"] = CASE_REPORT


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], BundleResult]:
    """Each example case bundled for its journal and for another, warnings allowed (the
    demo photos carry GPS tags on purpose; the case report lacks two CARE items)."""
    made = {}
    for case, journal in CASES:
        out = tmp_path_factory.mktemp("bundle") / journal
        options = BundleOptions(journal=journal, out=out, allow_warnings=True)
        made[case, journal] = bundle_case(FOLDERS[case], options)
    return made


@pytest.mark.parametrize("key", list(CASES), ids=["-".join(k) for k in CASES])
def test_each_example_bundle_holds_what_its_journal_asks(
    bundles: dict[tuple[str, str], BundleResult], key: tuple[str, str]
) -> None:
    result = bundles[key]
    expected = sorted([*COMMON, *CARE, *CASES[key]])
    assert list(result.files) == expected
    assert sorted(p.name for p in result.folder.iterdir()) == expected
    assert result.archive.name == f"{key[0]}-{key[1]}-submission.zip"
    assert result.archive.parent == result.folder.parent


def _manifest_rows(folder: Path) -> dict[str, tuple[int, str]]:
    rows = re.findall(
        r"^ *(\d+)  ([0-9a-f]{64})  (\S+)$", (folder / "MANIFEST.txt").read_text(), re.M
    )
    return {name: (int(size), digest) for size, digest, name in rows}


@pytest.mark.parametrize("key", list(CASES), ids=["-".join(k) for k in CASES])
def test_the_manifest_gives_each_file_its_size_and_sha256(
    bundles: dict[tuple[str, str], BundleResult], key: tuple[str, str]
) -> None:
    result = bundles[key]
    rows = _manifest_rows(result.folder)
    assert set(rows) == set(result.files) - {"MANIFEST.txt"}
    for name, (size, digest) in rows.items():
        data = (result.folder / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, digest), name
    head = (result.folder / "MANIFEST.txt").read_text().splitlines()
    assert head[1:3] == [f"case: {key[0]}", f"journal: {key[1]} ({_journal(key[1]).name})"]
    assert head[5] == "casereport: 0.1.0"
    assert re.fullmatch(r"inputs: sha256:[0-9a-f]{64}", head[6])


@pytest.mark.parametrize("key", list(CASES), ids=["-".join(k) for k in CASES])
def test_the_zip_holds_the_folder(
    bundles: dict[tuple[str, str], BundleResult], key: tuple[str, str]
) -> None:
    result = bundles[key]
    with zipfile.ZipFile(result.archive) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == sorted(result.files)
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert archive.read(info) == (result.folder / info.filename).read_bytes()


def _journal(name: str) -> Journal:
    return load_journal(name, search_path())


@pytest.mark.parametrize("key", list(CASES), ids=["-".join(k) for k in CASES])
def test_figure_files_are_as_the_journal_asks(
    bundles: dict[tuple[str, str], BundleResult], key: tuple[str, str]
) -> None:
    journal = _journal(key[1])
    style = journal.figure_style
    for number, name in enumerate(CASES[key], start=1):
        path = bundles[key].folder / name
        assert path.stem == style.file_name.format(number=number)
        assert style.max_mb is None or path.stat().st_size <= style.max_mb * 1_000_000
        if path.suffix == ".svg":  # a chart, drawn as vectors
            assert path.read_text().lstrip().startswith(("<?xml", "<svg"))
            continue
        with Image.open(path) as image:
            assert image.format == {"tiff": "TIFF", "jpeg": "JPEG"}[style.submission]
            assert min(image.info["dpi"]) >= journal.dpi - 0.5
            assert not image.info.get("exif")


def test_cover_letters_hold_the_title_and_what_each_journal_requires(
    bundles: dict[tuple[str, str], BundleResult],
) -> None:
    def letter(key: tuple[str, str]) -> str:
        return " ".join((bundles[key].folder / "cover-letter.txt").read_text().split())

    cer = letter(("anifrolumab-alopecia", "clin-exp-rheumatol"))
    assert "Resolution of refractory systemic lupus erythematosus-associated alopecia" in cer
    assert "Clinical and Experimental Rheumatology" in cer
    assert "has not been published and is not under consideration for publication elsewhere" in cer
    assert "No part of this work has been published or submitted for publication before." in cer
    assert "Conflicts of interest (financial and other relationships): " in cer
    care = letter(("dress-allopurinol", "care"))
    assert "Drug reaction with eosinophilia and systemic symptoms after allopurinol" in care
    assert "What this case adds: Screening for HLA-B*58:01" in care  # abstract's conclusions
    assert "Yours sincerely, B. Sample, MD, PhD" in care
    bmj = letter(("dress-allopurinol", "bmj-case-reports"))
    # BMJ's summary has no parts: the learning points say it
    assert "What this case adds: Before starting allopurinol, test for HLA-B*58:01" in bmj
    # the synthetic case has no patient: no signed consent form is claimed for it
    assert "signed the BMJ consent form" not in bmj
    assert "Consent: Not applicable" in bmj
    assert "not been posted as a preprint" in bmj
    jmcr = letter(("dress-allopurinol", "journal-of-medical-case-reports"))
    assert "How this case adds to the literature: Screening for HLA-B*58:01" in jmcr
    assert "Journal of Medical Case Reports" in jmcr


def test_consent_txt_is_the_statement_the_letter_prints(
    bundles: dict[tuple[str, str], BundleResult],
) -> None:
    folder = bundles["anifrolumab-alopecia", "clin-exp-rheumatol"].folder
    consent = (folder / "consent.txt").read_text()
    assert consent.startswith("The patient gave written informed consent to the publication")
    assert consent.endswith(".\n") and consent.count("\n") == 1


def test_the_manuscript_is_also_a_word_file(bundles: dict[tuple[str, str], BundleResult]) -> None:
    import docx

    folder = bundles["dress-allopurinol", "care"].folder
    text = "\n".join(p.text for p in docx.Document(str(folder / "manuscript.docx")).paragraphs)
    assert "Drug reaction with eosinophilia and systemic symptoms" in text


def test_the_same_case_gives_the_same_zip_bytes(tmp_path: Path) -> None:
    options = BundleOptions(out=tmp_path / "out", allow_warnings=True)
    first = bundle_case(CASE_REPORT, options)
    zipped = first.archive.read_bytes()
    shutil.rmtree(tmp_path / "out" / "submission")
    first.archive.unlink()
    second = bundle_case(CASE_REPORT, options)
    assert second.archive.read_bytes() == zipped


# Cases made here ----------------------------------------------------------------------------


def _small_case(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    for name, colour in (("a.jpg", "red"), ("b.jpg", "blue")):
        Image.new("RGB", (800, 600), colour).save(folder / name, quality=90)
    (folder / "case.yaml").write_text(textwrap.dedent(SMALL_CASE) + extra, encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_clean_case_bundles_without_allowing_warnings(tmp_path: Path) -> None:
    case = tmp_path / "lupus"
    shutil.copytree(EXAMPLE, case)
    for photo in case.iterdir():  # the example's photos carry GPS tags on purpose
        if photo.suffix in (".jpg", ".png"):
            with Image.open(photo) as image:
                pixels = image.copy()
            pixels.save(photo)
    result = bundle_case(case, BundleOptions(out=tmp_path / "out"))
    assert result.warnings == ()
    assert "warnings accepted" not in (result.folder / "MANIFEST.txt").read_text()


def test_refused_with_every_reason_and_the_old_bundle_untouched(tmp_path: Path) -> None:
    case = _small_case(tmp_path)
    out = tmp_path / "out"
    done = run_cli("bundle", str(case), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    before = _tree(out)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    uncited = (
        text + "  - {id: three, type: book, title: Never cited, issued: {date-parts: [[2020]]}}\n"
    )
    (case / "case.yaml").write_text(uncited, encoding="utf-8")
    refused = run_cli("bundle", str(case), "-o", str(out), cwd=tmp_path)
    assert refused.returncode == 1
    reasons = refused.stderr.splitlines()
    assert re.fullmatch(r".*case\.yaml:\d+:\d+: error: references\[2\]\.id: .+", reasons[0])
    assert reasons[-1] == "1 error: the bundle is refused; nothing was written."
    assert _tree(out) == before
    # an error (not a warning) refuses it even when warnings are allowed
    (case / "case.yaml").write_text(text.replace("[@two;", "[@tow;"), encoding="utf-8")
    broken = run_cli("bundle", str(case), "-o", str(out), "--allow-warnings", cwd=tmp_path)
    assert broken.returncode == 1
    assert re.search(r"case\.yaml:\d+:\d+: error: body: unknown reference 'tow'", broken.stderr)
    assert _tree(out) == before


def test_a_journal_template_may_require_a_value(tmp_path: Path) -> None:
    """A profile's cover letter says what it cannot do without (`required`); JMCR's asks how
    the case adds to the literature. A missing value refuses the bundle at its field."""
    templates = tmp_path / "templates"
    (templates / "clin-exp-rheumatol").mkdir(parents=True)
    (templates / "clin-exp-rheumatol" / "cover-letter.txt.j2").write_text(
        '{% extends "base/cover-letter.txt.j2" %}{% block adds %}'
        '{{ adds | required("how the case adds to the literature", "cover_letter.adds") }}'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    case = _small_case(tmp_path)
    options = BundleOptions(out=tmp_path / "out", templates=templates)
    with pytest.raises(BundleRefused) as refused:
        bundle_case(case, options)
    (reason,) = refused.value.lines()
    assert reason.endswith(
        "error: cover_letter.adds: Clinical and Experimental Rheumatology asks the cover "
        "letter to say how the case adds to the literature; write it as `cover_letter.adds:`"
    )
    assert not (tmp_path / "out").exists()
    adds = "cover_letter:\n  adds: '{{ 7*7 }} is *the first* report [@one].'\n"
    (case / "case.yaml").write_text(textwrap.dedent(SMALL_CASE) + adds, encoding="utf-8")
    result = bundle_case(case, options)
    assert "{{ 7*7 }} is the first report." in (result.folder / "cover-letter.txt").read_text()


def test_files_of_the_previous_bundle_go_and_the_authors_own_stay(tmp_path: Path) -> None:
    case = _small_case(tmp_path)
    result = bundle_case(case, BundleOptions(out=tmp_path / "out"))
    manifest = result.folder / "MANIFEST.txt"
    old = f"{3:>10}  {'0' * 64}  figure-9.tiff\n"
    manifest.write_text(manifest.read_text() + old, encoding="utf-8")
    (result.folder / "figure-9.tiff").write_bytes(b"old")
    (result.folder / "signed-consent-form.pdf").write_bytes(b"%PDF")
    bundle_case(case, BundleOptions(out=tmp_path / "out"))
    assert not (result.folder / "figure-9.tiff").exists()
    assert (result.folder / "signed-consent-form.pdf").read_bytes() == b"%PDF"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--journal", "all"], "a bundle goes to one journal"),
        (["--journal", "no-such-journal"], "--journal"),
        (["--no-such-option"], "No such option"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    case = _small_case(tmp_path)
    done = run_cli("bundle", str(case), *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert not (tmp_path / "build").exists()


def test_a_missing_case_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("bundle", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 2
    assert "no case.yaml here" in done.stderr


def test_a_figure_file_over_the_journals_limit_refuses_it(tmp_path: Path) -> None:
    """Even with warnings allowed: the submission system would reject the file."""
    profile = tmp_path / "templates" / "tiny-figures"
    profile.mkdir(parents=True)
    (profile / "journal.yaml").write_text(
        "extends: clin-exp-rheumatol\nname: Tiny Figures\nfigures:\n  max_mb: 0.001\n",
        encoding="utf-8",
    )
    case = _small_case(tmp_path)
    options = BundleOptions(
        journal="tiny-figures", out=tmp_path / "out", templates=tmp_path / "templates"
    )
    for allowed in (False, True):
        with pytest.raises(BundleRefused) as refused:
            bundle_case(case, dataclasses.replace(options, allow_warnings=allowed))
        assert any(
            re.fullmatch(
                r".*case\.yaml:\d+:\d+: error: figures\[0\]: submission/figure-1\.tiff(:| is) "
                r"[\d.]+ MB; (Tiny Figures|the journal) takes figure files of at most 0\.001 MB.*",
                line,
            )
            for line in refused.value.lines()
        ), refused.value.lines()
    assert not (tmp_path / "out" / "submission").exists()


def test_consent_written_gives_the_journals_own_sentence(tmp_path: Path) -> None:
    case = tmp_path / "dress"
    shutil.copytree(CASE_REPORT, case)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^consent: >-\n(  .*\n)+", "consent: written\n", text, flags=re.M)
    (case / "case.yaml").write_text(text, encoding="utf-8")
    journal = "journal-of-medical-case-reports"
    options = BundleOptions(journal=journal, out=tmp_path / "out", allow_warnings=True)
    result = bundle_case(case, options)
    sentence = " ".join((_journal(journal).article("case-report").consent or "").split())
    assert sentence.startswith("Written informed consent was obtained from the patient")
    assert (result.folder / "consent.txt").read_text() == sentence + "\n"
    assert sentence in " ".join((result.folder / "cover-letter.txt").read_text().split())


def test_the_bmj_cover_letter_claims_the_signed_form_only_for_written_consent(
    tmp_path: Path,
) -> None:
    case = tmp_path / "dress"
    shutil.copytree(CASE_REPORT, case)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^consent: >-\n(  .*\n)+", "consent: written\n", text, flags=re.M)
    (case / "case.yaml").write_text(text, encoding="utf-8")
    options = BundleOptions(journal="bmj-case-reports", out=tmp_path / "out", allow_warnings=True)
    letter = " ".join((bundle_case(case, options).folder / "cover-letter.txt").read_text().split())
    assert "The patient has signed the BMJ consent form and has read the article" in letter
