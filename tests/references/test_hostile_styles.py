"""A hostile CSL style beside the case (`style: evil.csl`) is text, never markup.

Its affixes, literal text and group prefixes hold `<script>`, event handlers, an `<img>` that
calls out, and `javascript:` links; the letter opened in headless Chromium must run no script
and make no request, and the PDF must hold no link at all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casereport import build_case
from tests.conftest import SMALL_CASE
from tests.safety import unsafe_html

STYLES = Path(__file__).parent / "data" / "hostile-styles"
NAMES = ("evil-numeric", "evil-author-date")


def _build(make_case: Callable[..., Path], name: str, out: Path, formats: tuple[str, ...]) -> Path:
    text = SMALL_CASE.replace("consent:", "style: evil.csl\nconsent:")
    case = make_case(text)
    shutil.copyfile(STYLES / f"{name}.csl", case.parent / "evil.csl")
    build_case(case.parent, out, formats=formats)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_hostile_style_markup_is_printed_as_text(
    name: str, make_case: Callable[..., Path], tmp_path: Path
) -> None:
    out = _build(make_case, name, tmp_path / "out", ("html",))
    page = (out / "letter.html").read_text(encoding="utf-8")
    assert unsafe_html(page) == []
    assert "<script" not in page and "<iframe" not in page
    # the only links are casereport's own, inside the letter: citations and back-links
    links = re.findall(r"<a\b[^>]*>", page)
    assert links and all(re.fullmatch(r'<a href="#(ref|cite)-\d+"[^>]*>', a) for a in links)
    assert "&lt;script&gt;fetch(" in page  # the affix is shown as the text it is


@pytest.mark.browser
@pytest.mark.parametrize("name", NAMES)
def test_hostile_style_runs_nothing_in_chromium(
    name: str, browser: Any, make_case: Callable[..., Path], tmp_path: Path
) -> None:
    out = _build(make_case, name, tmp_path / "out", ("html",))
    page = browser.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "letter.html").as_uri())
    page.wait_for_load_state("load")
    for link in page.locator(".references a, .references b, .citation b").all():
        link.click(timeout=1000)
    page.wait_for_timeout(300)
    assert page.locator("script").count() == 0
    handlers = page.eval_on_selector_all(
        "*", "els => els.flatMap(e => e.getAttributeNames().filter(n => n.startsWith('on')))"
    )
    assert handlers == []
    assert page.locator("a[href^='javascript' i], iframe, img[onerror]").count() == 0
    assert dialogs == []
    assert [url for url in requests if not url.startswith("file://")] == []
    page.close()


@pytest.mark.parametrize("name", NAMES)
def test_hostile_style_puts_no_link_in_the_pdf(
    name: str, make_case: Callable[..., Path], tmp_path: Path
) -> None:
    out = _build(make_case, name, tmp_path / "out", ("html", "pdf"))
    expanded = tmp_path / "expanded.pdf"
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(out / "letter.pdf"), str(expanded)],
        check=True,
    )
    raw = expanded.read_bytes()
    assert b"javascript" not in raw.lower()
    assert b"/URI" not in raw and b"/JavaScript" not in raw and b"/JS " not in raw
