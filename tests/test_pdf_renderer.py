"""The in-process PDF renderer of long-lived processes, and the worker's quick stop."""

from __future__ import annotations

import time
from pathlib import Path

from pypdf import PdfReader

from casereport.export.pdf import PdfRenderer, PdfWorker, write_pdf

HTML = (
    '<html lang="en"><title>Renderer</title><h1>Renderer</h1><p>Some text.</p>'
    '<img src="figures/figure-1.jpg" alt="A figure" style="width:5cm">'
)


def _photo(path: Path, colour: str) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 90), colour).save(path, quality=90)


def _embedded_jpeg(pdf: Path) -> bytes:
    images = PdfReader(pdf).pages[0].images
    assert len(images) == 1
    return images[0].data


def test_renderer_matches_write_pdf_and_follows_a_new_figure(tmp_path: Path) -> None:
    out = tmp_path / "out"
    red, blue = tmp_path / "cache" / "red.jpg", tmp_path / "cache" / "blue.jpg"
    _photo(red, "red")
    _photo(blue, "blue")
    link = out / "figures" / "figure-1.jpg"
    render = PdfRenderer()
    render.warm_up()

    def draw(renderer: object, figure: Path, name: str) -> Path:
        dest = tmp_path / name
        pages = renderer(  # type: ignore[operator]
            HTML, out, dest, allowed=[tmp_path / "case"], staged_files={link: figure}
        )
        assert pages == 1
        return dest

    once = draw(write_pdf, red, "once.pdf")
    first = draw(render, red, "first.pdf")
    fonts = render._fonts
    again = draw(render, red, "again.pdf")
    assert render._fonts is fonts  # same stylesheet and figures: fonts kept
    assert again.read_bytes() == first.read_bytes() == once.read_bytes()
    assert _embedded_jpeg(first) == red.read_bytes()
    changed = draw(render, blue, "changed.pdf")
    assert render._fonts is fonts  # the same stylesheets: fonts kept
    assert _embedded_jpeg(changed) == blue.read_bytes()  # a new figure: no stale image


def test_renderer_takes_new_fonts_for_a_new_stylesheet(tmp_path: Path) -> None:
    css = tmp_path / "style.css"
    css.write_text("h1 { color: red }", encoding="utf-8")
    render = PdfRenderer()
    html = '<html lang="en"><title>F</title><link rel="stylesheet" href="letter.css"><h1>F</h1>'
    staged = {tmp_path / "out" / "letter.css": css}
    render(html, tmp_path / "out", tmp_path / "a.pdf", allowed=[], staged_files=staged)
    fonts = render._fonts
    css.write_text("h1 { color: blue; font-family: serif }", encoding="utf-8")
    render(html, tmp_path / "out", tmp_path / "b.pdf", allowed=[], staged_files=staged)
    assert render._fonts is not fonts


def test_unused_worker_stops_at_once() -> None:
    worker = PdfWorker()
    started = time.monotonic()
    worker.close()
    assert time.monotonic() - started < 0.3
    assert worker._process.exitcode is not None
