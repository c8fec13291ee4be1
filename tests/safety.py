"""Checks of what an output may contain, shared by the guarantee and catalogue tests."""

from __future__ import annotations

from html.parser import HTMLParser

FORBIDDEN_ELEMENTS = {
    "script",
    "iframe",
    "object",
    "embed",
    "base",
    "frame",
    "frameset",
    "form",
    "meta",
    "style",
    "svg",
    "math",
    "applet",
}
ALLOWED_META = {("charset",), ("content", "name")}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "file:", "http:", "https:")
# The one outside link casereport makes itself: a reference's DOI, quoted, on the resolver
# (`export.html_links.doi_url`); a hostile DOI stays inside its path.
OWN_LINKS = ("https://doi.org/",)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        names = tuple(sorted(name for name, _ in attrs))
        if tag == "meta" and self.in_head and names in ALLOWED_META:
            pass
        elif tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            url = (value or "").strip().lower()
            own = tag == "a" and name == "href" and url.startswith(OWN_LINKS)
            if name in URL_ATTRIBUTES and url.startswith(FORBIDDEN_SCHEMES) and not own:
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def unsafe_html(html: str) -> list[str]:
    """Everything in `html` that a letter built from untrusted prose must never contain."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
