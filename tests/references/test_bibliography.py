"""Bibliography files: BibTeX and RIS conversion, several files, duplicates, broken files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import build_case, check_case, load_case
from casereport.errors import CaseError
from casereport.references.bibtex import latex_to_text, read_bibtex
from casereport.references.ris import read_ris
from tests.conftest import DEMO, SMALL_CASE

EXPORTS = Path(__file__).parent / "data" / "exports"
ZOTERO_KEYS = {
    "dai2025": "dai_systemic_2025",
    "desai2021": "desai_recent_2021",
    "fanouriakis2024": "fanouriakis_eular_2024",
    "morand2020": "morand_trial_2020",
    "trentin2023": "trentin_treatment_2023",
    "bottazzi2025": "bottazzi_efficacy_2025",
    "bruce2023": "bruce_time_2023",
}


def one_bibtex(text: str) -> dict[str, object]:
    items, problems = read_bibtex(text)
    assert problems == []
    ((item, _),) = items
    return item


def test_bibtex_accents_protection_and_abbreviations() -> None:
    item = one_bibtex(
        "@article{k,\n"
        "  title = {Anifrolumab in {SLE}: {B} cells \\& {T}ype {I} interferon},\n"
        "  author = {D{\\\"o}rner, Thomas and Kov\\'{a}cs, L{\\'a}szl{\\'o}"
        " and In{\\^e}s, Lu\\'{\\i}s"
        " and van Vollenhoven, Ronald F. and Kalunian, Jr, Kenneth and {World Health Organization}"
        " and Ørsted, Søren and others},\n"
        '  journaltitle = {Zeitschrift f{\\"u}r Rheumatologie},\n'
        "  shortjournal = {Z Rheumatol},\n"
        "  date = {2019-03},\n"
        "  pages = {120--131},\n"
        "  doi = {10.1007/s00393\\_x},\n"
        "}\n"
    )
    assert item["title"] == "Anifrolumab in SLE: B cells & Type I interferon"
    assert item["author"] == [
        {"family": "Dörner", "given": "Thomas"},
        {"family": "Kovács", "given": "László"},
        {"family": "Inês", "given": "Luís"},
        {"family": "Vollenhoven", "given": "Ronald F.", "non-dropping-particle": "van"},
        {"family": "Kalunian", "given": "Kenneth", "suffix": "Jr"},
        {"literal": "World Health Organization"},
        {"family": "Ørsted", "given": "Søren"},
        {"literal": "others"},  # `and others`, as pandoc reads it: the styles print "et al."
    ]
    assert item["container-title"] == "Zeitschrift für Rheumatologie"
    assert item["container-title-short"] == "Z Rheumatol"
    assert item["issued"] == {"date-parts": [[2019, 3]]}
    assert item["page"] == "120–131"
    assert item["DOI"] == "10.1007/s00393_x"


def test_bibtex_types_months_and_strings() -> None:
    items, problems = read_bibtex(
        "@string{nejm = {N Engl J Med}}\n"
        "@article{a, title={T}, journal=nejm, year={2020}, month=jan, number={3}}\n"
        "@incollection{b, title={C}, booktitle={Book}, editor={Hochberg, Marc C.}, year=2022}\n"
        "@phdthesis{c, title={Th}, school={University of Palermo}, year={2021}}\n"
        "@misc{d, title={Web}, url={https://example.org/a_b}, urldate={2025-01-10}}\n"
    )
    assert problems == []
    a, b, c, d = (item for item, _ in items)
    assert (a["container-title"], a["issue"], a["issued"]) == (
        "N Engl J Med",
        "3",
        {"date-parts": [[2020, 1]]},
    )
    assert (b["type"], b["container-title"], b["editor"]) == (
        "chapter",
        "Book",
        [{"family": "Hochberg", "given": "Marc C."}],
    )
    assert (c["type"], c["publisher"], c["genre"]) == (
        "thesis",
        "University of Palermo",
        "PhD thesis",
    )
    assert (d["URL"], d["accessed"]) == ("https://example.org/a_b", {"date-parts": [[2025, 1, 10]]})


def test_malformed_bibtex_names_the_line() -> None:
    text = "@article{a, title={Fine}, year={2020}}\n\n@article{b, title={Broken, year=2020\n"
    items, problems = read_bibtex(text)
    assert [item["id"] for item, _ in items] == ["a"]
    (problem,) = problems
    assert problem.line == 3
    assert (
        "cannot parse the entry starting '@article{b, title={Broken, year=2020'" in problem.message
    )


def test_duplicate_bibtex_keys_name_both_lines() -> None:
    _, problems = read_bibtex("@book{a, title={One}}\n@book{a, title={Two}}\n")
    assert [(p.line, p.message) for p in problems] == [
        (2, "duplicate entry key 'a' (first at line 1)")
    ]


RIS = (
    "TY  - JOUR\n"
    "AU  - van Vollenhoven, Ronald F.\n"
    "AU  - Kalunian, Kenneth C., Jr\n"
    "AU  - World Health Organization\n"
    "TI  - A title that an exporter\n"
    "wrapped over two lines\n"
    "T2  - Annals of the Rheumatic Diseases\n"
    "J2  - Ann Rheum Dis\n"
    "PY  - 2014/06/01/\n"
    "SP  - 958-967\n"
    "DO  - https://doi.org/10.1136/annrheumdis-2013-205139\n"
    "AN  - 24739325\n"
    "ER  - \n"
    "TY  - BOOK\n"
    "ED  - Wallace, Daniel J.\n"
    "TI  - Dubois' lupus erythematosus\n"
    "PB  - Elsevier\n"
    "CY  - Edinburgh\n"
    "PY  - 2019\n"
    "ER  - \n"
)


def test_ris_records() -> None:
    items, problems = read_ris(RIS)
    assert problems == []
    (article, line), (book, book_line) = items
    assert (line, book_line) == (1, 14)
    assert article["id"] == "vollenhoven2014"
    assert article["author"] == [
        {"family": "Vollenhoven", "given": "Ronald F.", "non-dropping-particle": "van"},
        {"family": "Kalunian", "given": "Kenneth C.", "suffix": "Jr"},
        {"literal": "World Health Organization"},
    ]
    assert article["title"] == "A title that an exporter wrapped over two lines"
    assert (article["container-title-short"], article["page"], article["PMID"]) == (
        "Ann Rheum Dis",
        "958-967",
        "24739325",
    )
    assert article["DOI"] == "10.1136/annrheumdis-2013-205139"
    assert article["issued"] == {"date-parts": [[2014, 6, 1]]}
    assert (book["type"], book["id"], book["publisher-place"]) == (
        "book",
        "wallace2019",
        "Edinburgh",
    )


def test_ris_ids_do_not_collide() -> None:
    record = "TY  - JOUR\nAU  - Smith, J.\nTI  - {}\nPY  - 2020\nER  - \n"
    items, _ = read_ris(record.format("One") + record.format("Two") + record.format("Three"))
    assert [item["id"] for item, _ in items] == ["smith2020", "smith2020b", "smith2020c"]


def test_malformed_ris_names_the_lines() -> None:
    _, problems = read_ris("AU  - Smith, J.\nTY  - JOUR\nTI  - No end\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "AU outside a record (records start with TY)"),
        (2, "record does not end with 'ER  - '"),
    ]
    _, problems = read_ris("just some text\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "not a RIS line (TAG  - value): 'just some text'")
    ]
    _, problems = read_ris("")
    assert [(p.line, p.message) for p in problems] == [
        (1, "no RIS records (each starts with 'TY  - ')")
    ]


@pytest.mark.parametrize("export", ["endnote.ris", "zotero.bib"])
def test_exports_of_the_seven_references_build_the_same_letter(
    export: str, demo_build: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "case"
    shutil.copytree(DEMO, folder)
    (folder / "references.json").unlink()
    shutil.copyfile(EXPORTS / export, folder / export)
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("bibliography: references.json", f"bibliography: {export}")
    if export.endswith(".bib"):  # Zotero's own citation keys
        for key, zotero_key in ZOTERO_KEYS.items():
            text = text.replace(f"@{key}]", f"@{zotero_key}]").replace(
                f"@{key};", f"@{zotero_key};"
            )
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    result = build_case(folder, tmp_path / "out", formats=("html",))
    assert result.warnings == ()
    letter = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert letter == (demo_build / "letter.html").read_text(encoding="utf-8")


def test_several_files_inline_wins_and_duplicates_are_reported(
    make_case: Callable[..., Path],
) -> None:
    case = make_case(SMALL_CASE + "bibliography: [a.bib, b.ris]\n")
    (case.parent / "a.bib").write_text(
        "@book{one, title={File copy}}\n@book{three, title={Three}, doi={10.1000/x}}\n",
        encoding="utf-8",
    )
    (case.parent / "b.ris").write_text(
        "TY  - BOOK\nID  - three\nTI  - Again\nER  - \n", encoding="utf-8"
    )
    with pytest.raises(CaseError) as info:
        load_case(case)
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case.parent / 'b.ris'}:1: error: duplicate reference id 'three' "
        f"(also at {case.parent / 'a.bib'}:2)"
    ]
    (case.parent / "b.ris").write_text(
        "TY  - BOOK\nID  - four\nTI  - Four\nDO  - 10.1000/X\nER  - \n", encoding="utf-8"
    )
    _, loaded = load_case(case)
    assert {r.id: r.csl().get("title") for r in loaded.references} == {
        "one": "The first reference",
        "two": "The second reference",
        "three": "Three",
        "four": "Four",
    }
    text = SMALL_CASE.replace("[@two; @one]", "[@two; @one; @three; @four]")
    case.write_text(text + "bibliography: [a.bib, b.ris]\n", encoding="utf-8")
    warnings = [d.format() for d in check_case(case).warnings]
    assert (
        f"{case.parent / 'b.ris'}:1: warning: references 'three' and 'four' have the same DOI "
        f"10.1000/x (also at {case.parent / 'a.bib'}:2)"
    ) in warnings


def test_broken_bibtex_file_is_an_error_with_its_line(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE + "bibliography: refs.bib\n")
    (case.parent / "refs.bib").write_text(
        "@book{ok, title={Fine}}\n@article{bad,\n  title = {Unclosed,\n", encoding="utf-8"
    )
    with pytest.raises(CaseError) as info:
        load_case(case)
    (error,) = info.value.diagnostics
    assert error.format().startswith(f"{case.parent / 'refs.bib'}:2: error: cannot parse the entry")


def test_unknown_bibliography_type(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE + "bibliography: refs.xml\n")
    (case.parent / "refs.xml").write_text("<x/>", encoding="utf-8")
    with pytest.raises(CaseError, match=r"unknown bibliography type; use \.json, \.bib, \.ris"):
        load_case(case)


def test_reference_checks(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace(
        "    container-title-short: J Test\n    issued: {date-parts: [[2020]]}\n", ""
    )
    case = make_case(text)
    warnings = [d.format().removeprefix(str(case)) for d in check_case(case).warnings]
    assert warnings == [
        ":23:9: warning: reference 'one' (article-journal) has no container-title "
        "(or container-title-short)",
        ":23:9: warning: reference 'one' (article-journal) has no issued",
    ]
    case.write_text(
        text.replace('page: "5"', 'page: "5"\n    DOI: nejmoa1912196'), encoding="utf-8"
    )
    with pytest.raises(CaseError, match="reference 'two': malformed DOI 'nejmoa1912196'"):
        check_case(case)


def test_cited_but_missing_everywhere(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE.replace("[@one]", "[@onne]"))
    with pytest.raises(CaseError, match="unknown reference 'onne'; did you mean '@one'"):
        check_case(case)


def test_unusable_csl_items_are_errors_not_crashes(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE + "bibliography: refs.json\n")
    (case.parent / "refs.json").write_text(
        '[{"id": "x", "type": "book", "author": "Smith",\n "issued": {"date-parts": "2020"}}]',
        encoding="utf-8",
    )
    with pytest.raises(CaseError) as info:
        load_case(case)
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case.parent / 'refs.json'}:1: error: reference 'x': author: must be a list of names"
        " like {family: Smith, given: J.} or {literal: WHO}; issued: date-parts must be lists"
        " of numbers: [[2020, 1, 16]]"
    ]
    inline = SMALL_CASE.replace("author: [{family: Smith, given: J.}]", "author: [Smith]")
    with pytest.raises(CaseError, match=r"references\[0\]: author: must be a list of names"):
        load_case(make_case(inline, name="inline"))


def test_a_file_that_is_not_a_csl_style(make_case: Callable[..., Path], tmp_path: Path) -> None:
    from casereport.errors import BuildError

    case = make_case("style: house.csl\n" + SMALL_CASE)
    (case.parent / "house.csl").write_text("<html/>", encoding="utf-8")
    with pytest.raises(BuildError, match="is not a CSL style"):
        build_case(case, tmp_path / "out", formats=("html",))
    outside = make_case("style: ../house.csl\n" + SMALL_CASE, name="outside")
    with pytest.raises(CaseError, match=r"'\.\./house\.csl' is outside the case folder"):
        check_case(outside)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"See \href{https://example.org}{the trial page}.", "See the trial page."),
        (r"\href{a}{\emph{b} c}", "b c"),
        (r"At \url{https://example.org/a_b}", "At https://example.org/a_b"),
        (r"Dose \sqrt{2} and \sqrt", "Dose √(2) and √"),
        (r"A \include{/etc/passwd} \input{/etc/hostname} \include B", "A B"),
        (r"\href{a}", "a"),
    ],
)
def test_latex_that_pylatexenc_cannot_read_is_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text
