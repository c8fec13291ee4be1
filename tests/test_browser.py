"""The HTML letter opened in a real headless Chromium: no console error, every image loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_letter_in_chromium(browser: Any, demo_build: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((demo_build / "letter.html").as_uri())
    page.wait_for_load_state("load")
    assert page.title().startswith("Resolution of refractory systemic lupus")
    assert page.locator("h1").inner_text().endswith("a case report")
    assert page.locator(".salutation").inner_text() == "Sirs,"
    assert page.locator(".references li").count() == 7
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert widths and all(w > 0 for w in widths)
    css_applied = page.eval_on_selector("h1", "h => getComputedStyle(h).fontWeight")
    assert css_applied == "700"
    assert page.locator("script").count() == 0
    assert errors == [] and failed == []
    page.close()


def test_example_in_chromium(browser: Any, example_build: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(r.url))
    page.goto((example_build / "letter.html").as_uri())
    page.wait_for_load_state("load")
    sizes = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.naturalWidth])"
    )
    assert [src for src, _ in sizes] == ["figures/figure-1.jpg", "figures/figure-2.svg"]
    assert all(width > 0 for _, width in sizes)
    assert page.locator("table").count() == 2
    assert page.locator("td.flag").count() >= 5
    assert errors == []
    page.close()
