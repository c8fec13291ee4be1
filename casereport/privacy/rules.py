"""The lint's rules for identifiers that have a shape: dates, ages over 89, telephone and fax
numbers, e-mail, web and IP addresses, record and serial numbers (Safe Harbor C to O, R).

Each rule is a function of the text (citations blanked) and of what the case prints on
purpose (`Known`), yielding `Finding`s. Numbers are told apart by the words before them
("record number", "serial no.", "fax"); a bare number is reported only when its shape
leaves no doubt (a social security number, a telephone number in a common format).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casereport.privacy.findings import Finding, Known, finding

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_MONTH = rf"(?:{MONTHS})\.?"
_DATES = re.compile(
    rf"\b(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"  # 14 March 2019, 3rd of May
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?(?![\d:])"  # March 14, 2019; March 3rd
    r"|\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"  # 2019-03-14
    r"|\d{1,2}([/.])\d{1,2}\1(?:\d{4}|\d{2}))\b(?![/.]\d)"  # 14/03/2019, 14.03.19
)
_DATE_ADVICE = (
    "dates an event of the patient (Safe Harbor: every date element but the year); "
    'give the month and year ("in March 2019") or the time from an event ("2 weeks later")'
)


_HOLIDAYS = re.compile(
    r"\b(?:Christmas(?:\s+(?:Day|Eve))?|Boxing\s+Day|New\s+Year['’]s\s+(?:Day|Eve)"
    r"|Easter\s+(?:Sunday|Monday)|Thanksgiving(?:\s+Day)?|Independence\s+Day"
    r"|Bastille\s+Day|Valentine['’]s\s+Day|Halloween)(?:,?\s+(?:of\s+)?\d{4})?"
)


def dates(text: str, known: Known) -> Iterator[Finding]:
    """Full dates (day and month, with or without the year) in any common format, and
    holidays that fix the day ("Christmas Day 2018")."""
    for match in _DATES.finditer(text):
        if _is_date(match.group()):
            yield finding("dates", match, _DATE_ADVICE)
    for match in _HOLIDAYS.finditer(text):
        yield finding("dates", match, _DATE_ADVICE)


def _is_date(text: str) -> bool:
    """A numeric date whose parts can be a day and a month (either order); words always."""
    parts = re.split(r"[/.-]", text)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return True
    if len(parts[0]) == 4:
        return True
    first, second = int(parts[0]), int(parts[1])
    return 1 <= min(first, second) <= 12 and max(first, second) <= 31


_NUMBER_AGE = re.compile(
    r"\b(\d{2,3})(?:[- ](?:year|yr)s?[- ]old|\s+years?\s+(?:old|of\s+age)"
    r"|(?:st|nd|rd|th)\s+birthday)"
    r"|\b(?:aged?|age\s+of|at\s+the\s+age\s+of)\s+(\d{2,3})\b",
    re.IGNORECASE,
)
_DECADE_AGE = re.compile(
    r"\bin\s+(?:his|her|their|the)\s+(?:early\s+|mid-?\s*|late\s+)?(90s|nineties|100s)\b",
    re.IGNORECASE,
)
_AGE_ADVICE = (
    'is an age over 89 (Safe Harbor: ages over 89 identify); write "90 or older", '
    "and ask for the patient's consent"
)


def ages(text: str, known: Known) -> Iterator[Finding]:
    """Ages over 89, as a number of years or a decade ("in her late 90s")."""
    for match in _NUMBER_AGE.finditer(text):
        years = int(match.group(1) or match.group(2))
        if 89 < years < 130:
            yield finding("ages", match, _AGE_ADVICE)
    for match in _DECADE_AGE.finditer(text):
        yield finding("ages", match, _AGE_ADVICE)


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)


def emails(text: str, known: Known) -> Iterator[Finding]:
    """E-mail addresses other than the authors' and the correspondence's."""
    for match in _EMAIL.finditer(text):
        if match.group().casefold() not in known.emails:
            advice = "is an e-mail address (Safe Harbor F); remove it"
            yield finding("email", match, advice)


_TLD = "com|org|net|edu|gov|info|io|co|uk|de|fr|nl|eu|ca|au|ch|it|es|jp|cn|in|us|me|app|health"
_URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>()\"']+[^\s<>()\"'.,;:!?]"
    rf"|(?<![\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLD})(?:/[^\s<>()\"']*[^\s<>()\"'.,;:!?])?\b",
    re.IGNORECASE,
)
_LITERATURE = re.compile(r"(?:dx\.)?doi\.org|pubmed|ncbi\.nlm\.nih\.gov", re.IGNORECASE)


def urls(text: str, known: Known) -> Iterator[Finding]:
    """Web addresses (a link to the literature, doi.org or PubMed, is not the patient's)."""
    for match in _URL.finditer(text):
        if not _LITERATURE.search(match.group()):
            advice = "is a web address (Safe Harbor N); remove it or cite the page as a reference"
            yield finding("urls", match, advice)


_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b", re.IGNORECASE)


def ips(text: str, known: Known) -> Iterator[Finding]:
    """IPv4 addresses (each part at most 255) and full IPv6 addresses."""
    for match in (*_IPV4.finditer(text), *_IPV6.finditer(text)):
        parts = match.group().split(".")
        if len(parts) == 4 and any(int(part) > 255 for part in parts):
            continue
        yield finding("ip", match, "is an IP address (Safe Harbor O); remove it")


_CODE = r"(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]*[A-Z0-9](?:\s\d{2,5}){0,3}(?:\s[A-Z0-9]{3}\b)?"
_LABEL_SEP = r"\s*(?i:(?:number|no\.?|nr\.?|#|id|code)\s*)?(?i:(?:is|was)\s+)?[:#]?\s*"
_SERIAL = re.compile(
    r"\b(?i:serial(?:\s+(?:number|no\.?))?|s/n|sn|lot|udi|imei|vin|device\s+(?:id|identifier)"
    r"|(?:registration|licen[cs]e|number)\s+plate|registration)"
    rf"{_LABEL_SEP}({_CODE})"
)
_RECORD = re.compile(
    r"\b(?i:medical\s+record|record|mrn|hospital|nhs|chart|case|patient|account|acct|policy"
    r"|insurance|medicare|medicaid|member|beneficiary|health\s+plan|licen[cs]e|passport|certificate|study"
    r"|subject|enrolment|enrollment|social\s+security|ssn|national\s+insurance|id|identifier)"
    rf"{_LABEL_SEP}({_CODE})"
)
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_NUMBER_ADVICE = (
    "is a record, account, licence or other identifying number (Safe Harbor G-K, R); remove it"
)
_SERIAL_ADVICE = "is a device or vehicle serial number (Safe Harbor L-M); remove it"


def serials(text: str, known: Known) -> Iterator[Finding]:
    """Serial, lot and device numbers, and vehicle plates, after the word that names them."""
    for match in _SERIAL.finditer(text):
        if _digits(match.group(1)) >= 3 or " " in match.group(1):
            yield finding("serials", match, _SERIAL_ADVICE, 1)


def numbers(text: str, known: Known) -> Iterator[Finding]:
    """Record, account, policy, licence, study and social security numbers."""
    for match in _RECORD.finditer(text):
        if _digits(match.group(1)) >= 4:
            yield finding("numbers", match, _NUMBER_ADVICE, 1)
    for match in _SSN.finditer(text):
        yield finding("numbers", match, _NUMBER_ADVICE)


def _digits(code: str) -> int:
    return sum(char.isdigit() for char in code)


_PHONE_NUMBER = r"(\+?\(?\d[\d\s().-]{5,}\d)"
_LABELLED_PHONE = re.compile(
    r"\b(fax(?:ed)?|facsimile|tel|telephone|phone|mobile|cell|call(?:ed)?|ring|reached)\b"
    rf"[^\d+(\n]{{0,30}}{_PHONE_NUMBER}",
    re.IGNORECASE,
)
_BARE_PHONE = re.compile(
    r"(?<![\w.,/+-])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"
    r"|\(\d{3}\)\s?\d{3}-\d{4}|\d{3}-\d{3}-\d{4}|0\d{2,4}(?:\s\d{3,4}){1,2}|0\d{9,10})"
    r"(?![\w.,/-]\d)"
)
_PHONE_ADVICE = "is a telephone number (Safe Harbor D); remove it"
_FAX_ADVICE = "is a fax number (Safe Harbor E); remove it"


def phones(text: str, known: Known) -> Iterator[Finding]:
    """Telephone and fax numbers: after a word that names them, or in a common format."""
    for match in _LABELLED_PHONE.finditer(text):
        if _digits(match.group(2)) >= 7:
            fax = match.group(1).casefold().startswith("fa")
            category, advice = ("fax", _FAX_ADVICE) if fax else ("phone", _PHONE_ADVICE)
            yield finding(category, match, advice, 2)
    for match in _BARE_PHONE.finditer(text):
        if _digits(match.group()) >= 9:
            yield finding("phone", match, _PHONE_ADVICE)
