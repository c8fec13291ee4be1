"""`--embed`: the letter as one self-contained HTML file, to send on its own.

The page the template rendered links `letter.css` and each figure under `figures/`; here
the stylesheet is put inside a `<style>` element and each figure's `src` becomes a `data:`
URI of the file the build composed, so nothing else is needed to open it. The PDF is still
made from the linked page (its fetcher loads no `data:` URL), so it is the same either way.

The stylesheet's declarations for the PDF's running headers (CSS GCPM: `string-set` and
`content: string(…)`) are left out of the embedded copy: no browser implements them, so
they do nothing on a screen or in a browser's print, and the W3C checker reports them as
unknown CSS.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from pathlib import Path

from markupsafe import escape

from casereport.errors import BuildError

STYLESHEET = "letter.css"
_MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
_PAGED_MEDIA_ONLY = re.compile(
    r"\s*(?:string-set|content)\s*:\s*(?:string\([^)]*\)|[^;}]*\bcontent\(\))\s*;?"
)
_STYLESHEET_LINK = re.compile(rf'<link\b[^>]*\bhref="{re.escape(STYLESHEET)}"[^>]*>')


def embedded(html: str, out: Path, files: Mapping[Path, Path]) -> str:
    """`html` with its stylesheet and figures inside it: `files` maps each linked file's
    path in the build folder `out` to the file with its content."""
    for dest, source in files.items():
        relative = dest.relative_to(out).as_posix()
        if relative == STYLESHEET:
            html = _inline_stylesheet(html, source)
        else:
            html = _inline_image(html, relative, source)
    return html


def _inline_stylesheet(html: str, source: Path) -> str:
    css = _PAGED_MEDIA_ONLY.sub("", _read(source).decode("utf-8"))
    # "</" cannot end the element early: in CSS it only occurs in strings and comments,
    # where "<\/" reads the same.
    element = "<style>\n" + css.replace("</", "<\\/").strip() + "\n</style>"
    found = _STYLESHEET_LINK.search(html)
    if found is None:
        raise BuildError(f'--embed: the template links no stylesheet href="{STYLESHEET}"')
    return html[: found.start()] + element + html[found.end() :]


def _inline_image(html: str, relative: str, source: Path) -> str:
    media = _MEDIA_TYPES.get(source.suffix.lower())
    if media is None:
        raise BuildError(f"--embed: cannot embed {relative} (not an image type it knows)")
    data = base64.b64encode(_read(source)).decode("ascii")
    return html.replace(f'src="{escape(relative)}"', f'src="data:{media};base64,{data}"')


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise BuildError(f"--embed: cannot read {source}: {exc.strerror}") from None
