"""A chart's SVG as a 300-dpi PNG for Word, made once and kept in the build cache.

Word shows SVG only in recent versions, and LibreOffice and the journals' converters not
reliably, so the Word file carries a PNG. It is drawn by the same renderer as the PDF:
WeasyPrint lays the SVG out on a page of its printed size (its text set by Pango with the
PDF's fonts) and PDFium (pypdfium2) rasterises that page, so the chart in Word is the one
in the PDF. The PNG is kept in the cache under a key of the SVG's bytes and the resolution:
a warm rebuild reads it back and imports neither.
"""

from __future__ import annotations

import io
from pathlib import Path

from casereport.cache import content_key
from casereport.export.files import write_bytes_atomic

DPI = 300
POINTS_PER_INCH = 72
MM_PER_INCH = 25.4


def chart_png(svg: Path, cache: Path, width_mm: float, height_mm: float) -> Path:
    """The PNG of the chart `svg` (a file of the build cache) printed at `width_mm` ×
    `height_mm`: from the cache, or drawn and stored there."""
    data = svg.read_bytes()
    size = f"{width_mm:.3f}x{height_mm:.3f}"
    png = cache / "charts" / f"{content_key(data, size, f'png-{DPI}')}.png"
    if not png.is_file():
        write_bytes_atomic(png, _rasterise(svg, width_mm, height_mm))
    return png


def _rasterise(svg: Path, width_mm: float, height_mm: float) -> bytes:
    """Lay the SVG out on a page of its size (WeasyPrint, loading only that file) and
    render the page at DPI (PDFium)."""
    import pypdfium2

    from casereport.export.pdf import _restricted_fetcher
    from casereport.export.weasy import import_weasyprint

    weasyprint = import_weasyprint()
    html = (
        f"<style>@page {{ size: {width_mm}mm {height_mm}mm; margin: 0 }} body {{ margin: 0 }}"
        f" img {{ display: block; width: {width_mm}mm; height: {height_mm}mm }}</style>"
        '<img src="chart.svg">'
    )
    fetcher = _restricted_fetcher((svg.parent,), {svg.parent / "chart.svg": svg})
    base = svg.parent.as_uri() + "/"
    pdf = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=DPI / POINTS_PER_INCH)
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI), optimize=False)
    return out.getvalue()
