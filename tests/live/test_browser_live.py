"""`casereport serve` in a real headless Chromium: edits appear by themselves, errors overlay
the last good letter, images load, and the page logs no error."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO
from tests.live.serving import Served

pytestmark = pytest.mark.browser

SENTENCE = "The patient, a 59-year-old woman, had been diagnosed"
EDITED = "The patient, a woman of 59 years, had been diagnosed"
OVERLAY = "casereport-live .overlay"
EVENTS = "/__casereport/events"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    """The demo case, copied, served."""
    case = tmp_path / "demo"
    shutil.copytree(DEMO, case)
    server = Served(case, tmp_path / "out")
    server.ready()
    yield server, case / "case.yaml"
    server.stop()


class Watched:
    """A page with its console errors, failed requests and page errors recorded."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("requestfailed", self._failed)

    def _failed(self, request: Any) -> None:
        # The event stream is closed by the page itself just before it reloads.
        closed = request.url.endswith(EVENTS) and request.failure == "net::ERR_ABORTED"
        if not closed:
            self.problems.append(f"failed: {request.url} {request.failure}")

    def text_appears(self, text: str, timeout_ms: float) -> float:
        """Seconds until `text` is in the letter (fails after timeout_ms)."""
        started = time.monotonic()
        self.page.wait_for_function(
            "text => document.body.innerText.includes(text)", arg=text, timeout=timeout_ms
        )
        return time.monotonic() - started

    def image_widths(self) -> list[int]:
        widths: list[int] = self.page.eval_on_selector_all(
            ".letter img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
        )
        return widths


def test_edit_appears_and_errors_overlay_the_last_good_letter(
    browser: Any, demo: tuple[Served, Path]
) -> None:
    server, case = demo
    view = Watched(browser)
    page = view.page
    page.goto(server.url)
    page.wait_for_load_state("load")
    assert SENTENCE in page.locator(".body").inner_text()
    widths = view.image_widths()
    assert widths and all(w > 0 for w in widths)
    page.wait_for_selector("casereport-live .pdf a")  # the PDF link, with its build time
    assert "built" in page.locator("casereport-live .pdf").inner_text()

    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace(SENTENCE, EDITED), encoding="utf-8")
    assert view.text_appears(EDITED, timeout_ms=2000) < 2.0
    page.wait_for_load_state("load")
    widths = view.image_widths()
    assert widths and all(w > 0 for w in widths)

    broken = text.replace(SENTENCE, EDITED).replace("journal:", "journal: [", 1)
    case.write_text(broken, encoding="utf-8")
    page.wait_for_selector(OVERLAY, state="visible", timeout=2000)
    overlay = page.locator(OVERLAY).inner_text()
    assert f"{case}:" in overlay and "error: YAML syntax error" in overlay
    assert "casereport: 1 error" in overlay and "The letter below is the last good one" in overlay
    assert EDITED in page.locator(".body").inner_text()  # the last good letter stays
    assert page.locator(".body").is_visible()

    case.write_text(text, encoding="utf-8")
    assert view.text_appears(SENTENCE, timeout_ms=2000) < 2.0
    page.wait_for_selector(OVERLAY, state="hidden", timeout=2000)
    pdf = page.locator("casereport-live .pdf a").get_attribute("href")
    assert pdf is not None and pdf.startswith("letter.pdf?v=")
    assert server.request("/" + pdf)[0] == 200
    assert view.problems == []
    page.close()


def test_reload_keeps_the_reading_position(browser: Any, demo: tuple[Served, Path]) -> None:
    server, case = demo
    view = Watched(browser)
    page = view.page
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(server.url)
    page.wait_for_load_state("load")
    page.evaluate("window.scrollTo(0, 900)")
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace(SENTENCE, EDITED), encoding="utf-8")
    view.text_appears(EDITED, timeout_ms=2000)
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.scrollY > 800", timeout=2000)
    assert view.problems == []
    page.close()
