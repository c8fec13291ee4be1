"""PDF export through WeasyPrint, with a URL fetcher that serves only allowed files.

The fetcher serves files under the allowed folders (the case folder, the build folder, the
templates) and the files staged for this build; anything else — another file, `http(s)`,
`data:` — stops the build with the URL named, as does any resource WeasyPrint fails to
load (it would otherwise only log it and leave the figure out).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from casereport.errors import BuildError
from casereport.export.files import cannot_write
from casereport.export.writers import DEFAULT_PDF_VARIANT
from casereport.limits import memory_ceiling_hit

if TYPE_CHECKING:
    from casereport.export.files import Outputs
    from casereport.export.writers import Job
    from casereport.manuscript import Manuscript


def write_pdf(
    html: str,
    base: Path,
    dest: Path,
    *,
    allowed: Sequence[Path],
    staged_files: Mapping[Path, Path],
    font_config: Any = None,
    image_cache: dict[str, Any] | None = None,
    variant: str = DEFAULT_PDF_VARIANT,
) -> int:
    """Render `html` (its relative links resolved against `base`) to a PDF file at `dest`,
    tagged and conforming to `variant` (PDF/UA-1 or PDF/A-3b); return its number of pages.
    A long-lived caller passes the fonts and decoded images of its last render, to be used
    again."""
    from casereport.export.weasy import icc_profile_left_open, import_weasyprint

    weasyprint = import_weasyprint()
    fetcher = _restricted_fetcher(allowed, staged_files)
    with _failures_as_errors() as failures:
        source = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        try:
            document = source.render(font_config=font_config, cache=image_cache)
            with icc_profile_left_open():
                document.write_pdf(
                    dest, uncompressed_pdf=False, pdf_variant=variant, pdf_tags=True
                )
        except weasyprint.urls.FatalURLFetchingError as exc:
            raise BuildError(f"PDF: {exc}") from None
        except OSError as exc:  # the disk is full, the folder read-only
            raise cannot_write(dest, exc) from None
    if failures:
        raise BuildError("PDF: " + "; ".join(failures))
    return len(document.pages)


# A fixed table: `mimetypes` would read /etc/mime.types and friends, files outside the case.
_MEDIA_TYPES = {
    ".css": "text/css",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


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
            mime = _MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
            return ServedBytes(url, body, {"Content-Type": mime})

    class ServedBytes(URLFetcherResponse):  # type: ignore[misc]
        """A response that is its bytes only. WeasyPrint re-reads an image from the
        response's `path` (the file the URL names) when that file exists, bypassing the
        fetcher: a rebuild then embedded the previous build's figure, still at
        `figures/figure-1.jpg`, instead of the bytes served from the staged file."""

        @property
        def path(self) -> None:
            return None

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


WARM_UP_HTML = """<!DOCTYPE html><html><head><style>
@page { size: A4; margin: 18mm; @bottom-center { content: counter(page); } }
.columns { column-count: 2; text-align: justify; }
h1 { font: bold 15pt sans-serif; } p { font: 9.5pt serif; }
</style></head><body><h1>Warm-up</h1><div class="columns">
<p>Sirs, <b>bold</b> <i>italic</i> x<sup>1</sup> (1-3, 6) &ndash; &ldquo;quoted&rdquo;.</p>
<p style="font-family: sans-serif">Fig. 1. <b>Legend</b> <i>text</i>.</p></div></body></html>"""


class PdfRenderer:
    """WeasyPrint in this process, for one that builds many times (`serve`, `build --watch`,
    a batch worker): imported once, warmed up once, never forked.

    A process that serves HTTP has threads, and forking one is unsafe: such a process
    must render here, never through `PdfWorker`.
    """

    def __init__(self) -> None:
        from casereport.export.weasy import import_weasyprint

        import_weasyprint()  # the cost paid once, here

        self._sheets: object = None
        self._inputs: object = None
        self._fonts: Any = None
        self._images: dict[str, Any] = {}

    def warm_up(self) -> None:
        """Pay WeasyPrint's first-render cost (fonts, shaping, about 90 ms) now, not at
        the first rebuild the author waits for."""
        from casereport.export.weasy import import_weasyprint

        weasyprint = import_weasyprint()
        fetcher = _restricted_fetcher((), {})
        weasyprint.HTML(string=WARM_UP_HTML, url_fetcher=fetcher).write_pdf()

    def __call__(
        self,
        html: str,
        base: Path,
        dest: Path,
        *,
        allowed: Sequence[Path],
        staged_files: Mapping[Path, Path],
        variant: str = DEFAULT_PDF_VARIANT,
    ) -> int:
        """As `write_pdf`, with the fonts (and `@font-face` rules) of the last render while
        the stylesheets are the same, and its decoded images while the staged files are.

        Keeping the fonts is also what keeps memory flat: a new WeasyPrint
        `FontConfiguration` for each render leaks about a quarter of a MiB of native memory.
        """
        from weasyprint.text.fonts import FontConfiguration

        from casereport.memo import stamps

        sheets = stamps(sorted(v for k, v in staged_files.items() if k.suffix == ".css"))
        if sheets != self._sheets or self._fonts is None:
            self._sheets, self._fonts = sheets, FontConfiguration()
        inputs = stamps(sorted(set(staged_files.values())))
        if inputs != self._inputs:
            self._inputs, self._images = inputs, {}
        return write_pdf(
            html,
            base,
            dest,
            allowed=allowed,
            staged_files=staged_files,
            font_config=self._fonts,
            image_cache=self._images,
            variant=variant,
        )


class PdfWorker:
    """WeasyPrint imported in a forked process while this one prepares the HTML.

    Importing WeasyPrint costs about 0.3 s (mostly parsing its C bindings; see
    `export.weasy` for the 0.2 s more it used to spend looking for libraries), as much as
    everything else in a cold build. A short-lived `casereport build` starts
    this worker first, so on two cores the import overlaps loading, validating, composing
    and rendering; the PDF is then written by the worker, with the same restrictions.
    """

    def __init__(self) -> None:
        import multiprocessing
        import os

        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        target_args = (child, os.getpid(), self._conn)
        self._process = context.Process(target=_worker_main, args=target_args, daemon=True)
        self._process.start()
        child.close()
        self._sent = False

    def write_pdf(
        self,
        html: str,
        base: Path,
        dest: Path,
        *,
        allowed: Sequence[Path],
        staged_files: Mapping[Path, Path],
        variant: str = DEFAULT_PDF_VARIANT,
    ) -> int:
        """As `write_pdf`, in the worker (which writes as many as it is sent)."""
        try:
            self._sent = True
            self._conn.send((html, base, dest, tuple(allowed), dict(staged_files), variant))
            status, message = self._conn.recv()
        except (EOFError, OSError):
            ended = self._exit()
            hit = memory_ceiling_hit() if "signal" in ended else None
            raise hit or BuildError(f"PDF: the PDF process ended unexpectedly ({ended})") from None
        if status != "ok":
            hit = memory_ceiling_hit() if message == _OUT_OF_MEMORY else None
            raise hit or BuildError(message)
        return int(message)

    def close(self) -> None:
        """Stop the worker: at once if it was never given a PDF to write (the build failed
        before, and it is still importing), else once it has finished. Idempotent."""
        if self._conn.closed:
            return
        self._conn.close()
        if not self._sent:
            self._process.kill()
        self._process.join(timeout=2)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    def _exit(self) -> str:
        import resource

        self._process.join(timeout=2)
        code = self._process.exitcode
        ended = (
            f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        )
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft < 1024 * 1024 * 1024:
            ended += f"; the memory ceiling of {soft // 2**20} MiB (--max-memory) may be too low"
        return ended


_OUT_OF_MEMORY = "PDF: out of memory (the build's memory ceiling, --max-memory)"


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this process when the build that started it dies (even by SIGKILL),
    so no orphan goes on writing into the build folder."""
    import ctypes
    import os
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker_main(conn: Any, parent: int, parent_end: Any) -> None:
    """The worker: import WeasyPrint, then write each PDF it is sent (one for a build; one
    per journal for `build --journal all`) until the parent closes the pipe. The parent's
    end, inherited through the fork, is closed first: held open here, it would keep the
    pipe from ever ending, and the parent would wait out its timeout at every close."""
    parent_end.close()
    try:
        _die_with_parent(parent)
        failure = _import_failure()  # the point: pay for the import while the parent works
    except MemoryError:
        failure = _OUT_OF_MEMORY
    try:
        while True:
            try:
                html, base, dest, allowed, staged_files, variant = conn.recv()
            except EOFError:
                return
            conn.send(_one_pdf(failure, html, base, dest, allowed, staged_files, variant))
    finally:
        conn.close()


def _one_pdf(
    failure: str | None,
    html: str,
    base: Path,
    dest: Path,
    allowed: Sequence[Path],
    staged_files: Mapping[Path, Path],
    variant: str,
) -> tuple[str, str]:
    """("ok", pages) or ("error", message), for the parent, which owns the error boundary."""
    try:
        if failure:
            raise BuildError(failure)
        pages = write_pdf(
            html, base, dest, allowed=allowed, staged_files=staged_files, variant=variant
        )
        return ("ok", str(pages))
    except BuildError as exc:
        return ("error", str(exc))
    except MemoryError:
        return ("error", _OUT_OF_MEMORY)
    except Exception as exc:
        from casereport.limits import near_memory_ceiling

        message = f"PDF: {type(exc).__name__}: {exc}"
        if near_memory_ceiling():
            message = _OUT_OF_MEMORY
        elif near_memory_ceiling(0.5):
            message += " (perhaps the memory ceiling: raise --max-memory)"
        return ("error", message)


def _import_failure() -> str | None:
    """Import WeasyPrint; say why it failed, if it did."""
    from casereport.export.weasy import import_weasyprint

    try:
        import_weasyprint()
    except MemoryError:
        return _OUT_OF_MEMORY
    except (ImportError, OSError) as exc:
        return f"PDF: cannot load WeasyPrint: {exc}"
    return None


def use_worker() -> bool:
    """Whether a forked worker pays off: WeasyPrint not yet imported, and forking is safe."""
    import sys
    import threading

    return (
        "weasyprint" not in sys.modules
        and sys.platform == "linux"
        and threading.active_count() == 1
    )


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> int:
    """letter.pdf, from the letter's HTML; its number of pages."""
    writer = job.pdf or write_pdf
    dest = outputs.temporary(job.out / "letter.pdf")
    return writer(
        job.html,
        job.out,
        dest,
        allowed=job.allowed,
        staged_files=job.figures,
        variant=job.pdf_variant,
    )
