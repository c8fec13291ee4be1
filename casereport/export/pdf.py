"""PDF export through WeasyPrint, with a URL fetcher that serves only allowed files.

The fetcher serves files under the allowed folders (the case folder, the build folder, the
templates) and the files staged for this build; anything else — another file, `http(s)`,
`data:` — stops the build with the URL named, as does any resource WeasyPrint fails to
load (it would otherwise only log it and leave the figure out).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from casereport.errors import BuildError


def write_pdf(
    html: str,
    base: Path,
    dest: Path,
    *,
    allowed: Sequence[Path],
    staged_files: Mapping[Path, Path],
) -> None:
    """Render `html` (its relative links resolved against `base`) to a PDF file at `dest`."""
    import weasyprint

    fetcher = _restricted_fetcher(allowed, staged_files)
    with _failures_as_errors() as failures:
        document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        try:
            document.write_pdf(dest, uncompressed_pdf=False)
        except weasyprint.urls.FatalURLFetchingError as exc:
            raise BuildError(f"PDF: {exc}") from None
    if failures:
        raise BuildError("PDF: " + "; ".join(failures))


def _restricted_fetcher(allowed: Sequence[Path], staged_files: Mapping[Path, Path]) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = tuple(p.resolve() for p in allowed)
    staged = {k.resolve(): v for k, v in staged_files.items()}

    class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _allowed_path(url, roots, staged)
            if path is None:
                raise FatalURLFetchingError(f"refused to load {url!r}: not a file of this case")
            try:
                body = path.read_bytes()
            except OSError as exc:
                raise FatalURLFetchingError(f"cannot load {url!r}: {exc.strerror}") from None
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return RestrictedFetcher()


def _allowed_path(url: str, roots: tuple[Path, ...], staged: Mapping[Path, Path]) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if path in staged:
        return staged[path]
    return path if any(path.is_relative_to(root) for root in roots) else None


@contextmanager
def _failures_as_errors() -> Iterator[list[str]]:
    """Collect WeasyPrint's logged load failures, which it does not raise."""
    failures: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if record.levelno >= logging.ERROR or "Failed to load" in message:
                failures.append(message.splitlines()[0])

    logger = logging.getLogger("weasyprint")
    handler = Collector(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield failures
    finally:
        logger.removeHandler(handler)
