"""Each category of the privacy lint's text rules: what it reports, with the exact text and
offsets, and what it leaves alone."""

from __future__ import annotations

import time

import pytest

from casereport.privacy import find_identifiers
from casereport.privacy.findings import Known

REPORTED = [
    ("names", "Mrs Eleanor Whitfield came back.", "Mrs Eleanor Whitfield"),
    ("names", "His wife, Ada Lovelace, called the ambulance.", "Ada Lovelace"),
    ("names", "A girl named Chloe Martin was referred.", "Chloe Martin"),
    ("names", "Dr. Okafor examined him.", "Dr. Okafor"),
    ("names", "Mrs Van der Berg declined a biopsy.", "Mrs Van der Berg"),
    ("names", "Olivia Brennan presented with fever.", "Olivia Brennan"),
    ("initials", "Patient J.D. was admitted.", "J.D."),
    ("initials", "Mr. K was treated.", "Mr. K"),
    ("initials", "Ms. L.P. developed a rash.", "Ms. L.P."),
    ("initials", "He recovered. A.B. was discharged.", "A.B."),
    ("places", "She lived in Manchester.", "Manchester"),
    ("places", "He was seen at St Mary's Hospital.", "St Mary's Hospital"),
    ("places", "He lives at 42 Elm Street.", "42 Elm Street"),
    ("places", "Postcode SW1A 1AA.", "Postcode SW1A 1AA"),
    ("places", "Her address ends MA 02139.", "MA 02139"),
    ("dates", "On 14 March 2019 she was admitted.", "14 March 2019"),
    ("dates", "Seen on March 3rd again.", "March 3rd"),
    ("dates", "Biopsy on 03/07/2021.", "03/07/2021"),
    ("dates", "Discharged on 2020-11-23.", "2020-11-23"),
    ("dates", "Started on 15.06.2017.", "15.06.2017"),
    ("dates", "Symptoms began on January 5, 2018.", "January 5, 2018"),
    ("dates", "It began on Christmas Day 2018.", "Christmas Day 2018"),
    ("ages", "A 92-year-old woman.", "92-year-old"),
    ("ages", "The patient, aged 94, declined.", "aged 94"),
    ("ages", "A woman in her late 90s.", "in her late 90s"),
    ("phone", "Call 07700 900123 today.", "07700 900123"),
    ("phone", "Reached at (555) 123-4567.", "(555) 123-4567"),
    ("phone", "Ward: +44 20 7946 0958.", "+44 20 7946 0958"),
    ("fax", "Fax: +1 617 555 0199.", "+1 617 555 0199"),
    ("email", "Write to jo.bloggs@gmail.com please.", "jo.bloggs@gmail.com"),
    ("urls", "See https://www.instagram.com/jd_diary.", "https://www.instagram.com/jd_diary"),
    ("urls", "Her blog www.mylupus.org tells it.", "www.mylupus.org"),
    ("ip", "Uploaded from 192.168.14.27 nightly.", "192.168.14.27"),
    ("numbers", "MRN: 7734521", "7734521"),
    ("numbers", "Medical record number 00482913 was used.", "00482913"),
    ("numbers", "Social security number 123-45-6789.", "123-45-6789"),
    ("numbers", "NHS number 943 476 5919 was checked.", "943 476 5919"),
    ("serials", "A pacemaker (serial number PJN401227S).", "PJN401227S"),
    ("serials", "Monitor SN: G7X-20945-11 worn.", "G7X-20945-11"),
    ("serials", "His car, registration plate KY65 XRT, was towed.", "KY65 XRT"),
]


@pytest.mark.parametrize(("category", "text", "found"), REPORTED)
def test_reported(category: str, text: str, found: str) -> None:
    [finding] = find_identifiers(text)
    assert (finding.category, finding.text) == (category, found)
    assert text[finding.start : finding.end] == found
    assert finding.message.startswith(f'privacy ({category}): "{found}" ')


LEFT_ALONE = [
    "Sjögren syndrome and Hashimoto thyroiditis; Hashimoto's thyroiditis.",
    "Behçet disease, Kawasaki disease, Stevens–Johnson syndrome; the Nikolsky sign.",
    "HLA-B*58:01, HLA-B\\*58:01, TNF, JAK2 V617F, BRAF V600E.",
    "The SLEDAI-2K was 4 and the RegiSCAR score 8; DAS28-CRP 5.1.",
    "Creatinine 238 µmol/L (62-106); BP 128/76 mmHg; ANA 1:640; 2.9 × 10⁹/L.",
    "A man in his 60s; an 89-year-old woman; aged 72.",
    "Two weeks later; on day 3; at week 8; hospital day 4; month -6.",
    "In March 2019 she relapsed; the 2019-03 visit; diagnosed in 2019.",
    "The Berlin criteria were met; the Bristol Stool Chart type was 6.",
    "As shown before [@pmid:31851795; @smith2020, pp. 33-35] and by @jones2019.",
    "The DOI is https://doi.org/10.1056/NEJMoa1912196.",
    "The images were drawn by scripts/make_images.py.",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_left_alone(text: str) -> None:
    assert find_identifiers(text) == []


def test_the_authors_and_their_addresses_are_never_reported() -> None:
    known = Known.of(["A. Example", "Beatrice Sample"], ["b.sample@example.org"])
    text = "Dr Sample and A. Example thank Beatrice Sample; write to b.sample@example.org."
    assert find_identifiers(text, known) == []
    assert [f.category for f in find_identifiers(text)] == ["names", "names", "email"]


def test_an_email_hides_the_digits_inside_it() -> None:
    """Overlapping findings: the more specific rule's wins, reported once."""
    [finding] = find_identifiers("Mail mrn.7734521@clinic.com now.")
    assert finding.category == "email"


def test_several_findings_in_order() -> None:
    text = "Mrs Jones, 92 years old, was admitted on 3 May 2019 to Leeds General Infirmary."
    found = [(f.category, f.text) for f in find_identifiers(text)]
    assert found == [
        ("names", "Mrs Jones"),
        ("ages", "92 years old"),
        ("dates", "3 May 2019"),
        ("places", "Leeds General Infirmary"),
    ]


ADVERSARIAL = [
    " ".join(["Abcdefghijklmnop"] * 3000) + " x",  # capitalised words, no "Hospital" after
    "St Mary " * 3000,
    "a." * 10000,  # a dotted run that is no web address
    "[" + "@a " * 5000,  # a citation bracket never closed
    "+1 " + "12 " * 10000,
    "Hospital " * 3000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_long_adversarial_texts_are_read_quickly(text: str) -> None:
    """Each rule reads a text in about linear time: these took minutes (capitalised words
    and dotted runs backtracked) before the words were matched one way only."""
    started = time.perf_counter()
    find_identifiers(text)
    assert time.perf_counter() - started < 5
