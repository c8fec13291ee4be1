"""Every example case, under every journal profile that publishes its article type, prints
as a typesetter would fill the pages: no page but the last is less than 80 % full, measured
down each column (tests/pagefill.py).

The profiles are found along the built-in search path, so a new profile is covered as soon
as it lands; each case is built for each profile as `build --journal` builds it (with what
the case writes for that journal under `journals:`). Every example case builds under every
profile that publishes its type: a case a profile's rules reject fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casereport.build import BuildOptions, build_with
from tests.golden import EXAMPLES as CASES
from tests.golden import combinations
from tests.pagefill import measure

ROOT = Path(__file__).resolve().parents[1]
MINIMUM = 0.80


def test_every_example_case_is_covered_by_some_profile() -> None:
    assert {case for case, _ in combinations()} == set(CASES)


@pytest.mark.parametrize(("case", "journal"), combinations())
def test_no_page_but_the_last_is_less_than_80_percent_full(
    case: str, journal: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_with(ROOT / "cases" / case, out, BuildOptions(("html",), journal=journal))
    pages = measure(out / "letter.html")
    short = [fill for fill in pages[:-1] if min(fill.columns) < MINIMUM]
    report = "; ".join(map(str, pages))
    assert not short, f"{case} under {journal}: under {MINIMUM:.0%} filled: {report}"


PAGE = "<style>@page { size: 200px 400px; margin: 50px 0 } body { margin: 0 }</style>"


def _fills(html: str) -> list[tuple[float, ...]]:
    from casereport.export.weasy import import_weasyprint
    from tests.pagefill import measure_page

    document = import_weasyprint().HTML(string=PAGE + html).render()
    return [measure_page(p._page_box, n).columns for n, p in enumerate(document.pages, 1)]


def test_the_fill_is_the_lowest_box_down_each_column_inside_the_margins() -> None:
    half = '<div style="height: 150px; border-bottom: 1px solid"></div>'
    assert _fills(half) == [(round(151 / 300, 4),)]  # 300 px inside the margins
    columns = '<div style="columns: 2; column-gap: 0; column-fill: auto; height: 300px">'
    left = '<div style="height: 240px; border-bottom: 1px solid"></div>'
    right = '<div style="height: 90px; border-bottom: 1px solid"></div>'
    assert _fills(columns + left + right + "</div>") == [(round(241 / 300, 4), round(91 / 300, 4))]


def test_a_block_across_the_columns_counts_in_each() -> None:
    span = '<div style="column-span: all; height: 200px; border-bottom: 1px solid"></div>'
    line = '<p style="margin: 0; line-height: 30px">x</p>'
    assert _fills(f'<div style="columns: 2">{line}{span}</div>') == [(round(231 / 300, 4),) * 2]
