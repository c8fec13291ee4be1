"""HTML from citeproc-py that holds only the markup CSL formatting can produce.

citeproc-py's own HTML formatter escapes field values but passes a style's affixes, literal
text and delimiters through as they are, so a hostile ``.csl`` beside a case
(``prefix="&lt;script&gt;…"``) could put any HTML into the letter. Here the processor is
given a formatter (this module is one: ``preformat`` and the tag classes citeproc-py
calls) that writes its few formatting tags as private-use markers, never as ``<``/``>``.
`to_html` then escapes *every* character of the result, whatever produced it, and only
afterwards turns the markers into tags: ``<i>``, ``<b>``, ``<u>``, ``<sup>``, ``<sub>`` and
``<span class="small-caps">``, without other attributes, balanced (a stray closing marker is
dropped, an unclosed one closed). Field text hides ``&``, ``<`` and ``>`` as markers of its
own (see `citations`), turned into entities here.

`is_safe_fragment` checks a fragment read back from a cache against the same rules.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

OPEN, CLOSE = "\ue003", "\ue004"  # around a formatting tag's name: OPEN + "i" + CLOSE
FIELD_SPECIALS = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
MARKERS = (*FIELD_SPECIALS, OPEN, CLOSE)
TAGS = {
    "i": "<i>",
    "b": "<b>",
    "u": "<u>",
    "sup": "<sup>",
    "sub": "<sub>",
    "small-caps": '<span class="small-caps">',
}
_END = {name: "</span>" if name == "small-caps" else f"</{name}>" for name in TAGS}
_MARKER = re.compile(f"{OPEN}(/?)([a-z-]*){CLOSE}|[{OPEN}{CLOSE}]")
_FROM_FIELD = str.maketrans(FIELD_SPECIALS)


def preformat(text: object) -> str:
    """Text as citeproc-py gives it; escaping happens once, in `to_html`."""
    return str(text)


class _Tag(str):
    name = ""

    def __new__(cls, text: object) -> _Tag:
        return super().__new__(cls, f"{OPEN}{cls.name}{CLOSE}{text}{OPEN}/{cls.name}{CLOSE}")


class Italic(_Tag):
    name = "i"


class Oblique(Italic):
    pass


class Bold(_Tag):
    name = "b"


class Light(str):
    """Light type has no HTML element of its own: printed as normal text."""


class Underline(_Tag):
    name = "u"


class Superscript(_Tag):
    name = "sup"


class Subscript(_Tag):
    name = "sub"


class SmallCaps(_Tag):
    name = "small-caps"


def to_html(text: str) -> str:
    """Everything escaped, then the formatting markers turned into balanced, known tags."""
    escaped = html.escape(text, quote=False).translate(_FROM_FIELD)
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for marker in _MARKER.finditer(escaped):
        out.append(escaped[position : marker.start()])
        position = marker.end()
        closing, name = marker.group(1), marker.group(2)
        if name not in TAGS or marker.group(0) in (OPEN, CLOSE):
            continue
        if not closing:
            stack.append(name)
            out.append(TAGS[name])
        elif name in stack:
            while stack:
                open_name = stack.pop()
                out.append(_END[open_name])
                if open_name == name:
                    break
    out.append(escaped[position:])
    out.extend(_END[name] for name in reversed(stack))
    return "".join(out)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.safe = True
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        small_caps = tag == "span" and attrs == [("class", "small-caps")]
        self.safe &= small_caps or (tag in TAGS and tag != "small-caps" and not attrs)
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.safe = False

    def handle_endtag(self, tag: str) -> None:
        self.safe &= tag == "span" or (tag in TAGS and tag != "small-caps")
        self.depth -= 1

    def unknown_decl(self, data: str) -> None:
        self.safe = False

    def handle_comment(self, data: str) -> None:
        self.safe = False

    def handle_decl(self, decl: str) -> None:
        self.safe = False

    def handle_pi(self, data: str) -> None:
        self.safe = False


def fragment_text(fragment: str) -> str:
    """The text of a fragment this module made: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def is_safe_fragment(fragment: object) -> bool:
    """Whether `fragment` is text holding only the tags `to_html` writes, and balanced."""
    if not isinstance(fragment, str) or any(m in fragment for m in MARKERS):
        return False
    checker = _Checker()
    checker.feed(fragment)
    checker.close()
    return checker.safe and checker.depth == 0 and not checker.rawdata
