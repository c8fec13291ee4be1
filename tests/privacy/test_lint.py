"""The privacy lint end to end: a copy of the DRESS example case with identifiers written
into its prose, timeline, table note, panel fields, declarations and a journal's abstract,
and with a panel that carries GPS and one that shows a face; every warning is at the line
and column of what it found. The example cases as shipped have no identifier in their
text."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PIL import Image

from casereport.build import check_case
from casereport.positions import locate
from casereport.privacy import privacy_problems, privacy_report
from casereport.privacy.faces import NOT_INSTALLED
from casereport.privacy.images import GPS_IFD
from tests.conftest import ROOT
from tests.privacy.drawn import draw_face

EDITS = {  # as written in the example → with identifiers
    "A 68-year-old retired bus driver": "Mr Hamish Doyle, a 92-year-old retired bus driver",
    "At admission his temperature": "At admission on 14 March 2019 his temperature",
    "The rest of the examination was normal.": "It was normal on 14 March 2019.",
    "event: discharged}": 'event: "discharged to St Mary\'s Hospital"}',
    "note: Usual creatinine before the reaction, about 150 µmol/L.": "note: MRN 7734521.",
    "(cropped below the eyes)": "(cropped below the eyes; patient J.D.)",
    "acknowledgements: None.": (
        "acknowledgements: We thank the patient's wife, Gwen Harlow, and Dr Sample."
    ),
    "funding: None.": "funding: None; see www.dress-diary.org and write to b.sample@example.org.",
    "{when: day -4, event:": "{when: 2019-03-10, event:",
    "      68-year-old man with gout": "      68-year-old man from Manchester with gout",  # cureus
}


def _where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of the nth occurrence of `needle` in the file's text."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.fixture
def identified(tmp_path: Path) -> Path:
    """The DRESS example with identifiers, a panel with GPS and a panel with a face."""
    case = tmp_path / "dress"
    shutil.copytree(ROOT / "cases" / "dress-allopurinol", case)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    for old, new in EDITS.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (case / "case.yaml").write_text(text, encoding="utf-8")
    with Image.open(case / "back-admission.jpg") as image:
        exif = Image.Exif()
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 3.0)})
        image.save(case / "back-admission.jpg", exif=exif)
    face = Image.open(draw_face(tmp_path / "face.png", 400))
    scene = Image.new("RGB", (1200, 900), (120, 130, 140))
    scene.paste(face, (400, 250))
    scene.save(case / "face-week-8.jpg")
    return case / "case.yaml"


def test_every_warning_at_its_line_and_column(identified: Path) -> None:
    pytest.importorskip("cv2", reason="the faces extra is not installed")
    checked = check_case(identified, offline=True)
    report = privacy_report(checked)
    found = [
        (d.line, d.col, d.field, d.message.split(":")[0])
        for d in locate(checked.source, report.problems)
    ]
    text = identified.read_text(encoding="utf-8")
    patient = "sections.case presentation.patient information"
    findings = "sections.case presentation.clinical findings"

    def at(needle: str, field: str, category: str, nth: int = 0) -> tuple[int, int, str, str]:
        return (*_where(text, needle, nth), field, f"privacy ({category})")

    assert sorted(found) == sorted(
        [
            at("Manchester", "journals.cureus.abstract", "places"),
            at("Mr Hamish Doyle", patient, "names"),
            at("92-year-old", patient, "ages"),
            at("14 March 2019", findings, "dates"),
            at("14 March 2019", findings, "dates", nth=1),
            at("St Mary's Hospital", "timeline[11].event", "places"),
            at("2019-03-10", "timeline[3].when", "dates"),
            at("7734521", "tables[1].note", "numbers"),
            at("J.D.", "figures[0].panels[1].description", "initials"),
            at("Gwen Harlow", "acknowledgements", "names"),
            at("www.dress-diary.org", "funding", "urls"),
            at("back-admission.jpg", "figures[0].panels[0].image", "images"),
            at("face-week-8.jpg", "figures[0].panels[3].image", "faces"),
        ]
    )
    assert report.notes == ()
    assert privacy_problems(checked) == list(report.problems)


def test_without_opencv_the_text_is_still_checked_and_one_note_says_so(
    identified: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cv2", None)
    report = privacy_report(check_case(identified, offline=True))
    assert report.notes == (NOT_INSTALLED,)
    categories = {p.message.split(":")[0] for p in report.problems}
    assert "privacy (faces)" not in categories
    assert {"privacy (names)", "privacy (dates)", "privacy (images)"} <= categories


@pytest.mark.parametrize(
    "case", ["anifrolumab-alopecia", "dress-allopurinol", "lupus-histology-imaging"]
)
def test_the_example_cases_have_no_identifier_in_their_text(case: str) -> None:
    """Only their panels' metadata: the anifrolumab case's photographs (and one panel of
    the lupus case) keep the GPS position and date a phone wrote, for the tests that prove
    the built figures drop them."""
    report = privacy_report(check_case(ROOT / "cases" / case, offline=True))
    assert {p.message.split(":")[0] for p in report.problems} <= {"privacy (images)"}
    assert all(p.path[-1] == "image" for p in report.problems)
