"""A case built again and again by one long-lived process: `serve`, `build --watch`, batches.

`Session.build()` runs the same `run_build` as the one-shot `build_case`. What a session
adds is memory between builds: every stage's result kept under the key of its inputs (a
`Memo`: the body's text → parsed prose; the references and the style → the formatted
bibliography; a figure's spec and its panels' files → the composed image; the template
folders → the compiled Jinja environment), and WeasyPrint imported and warmed up once,
rendering in this process. A one-word edit of the body therefore re-runs loading,
validation, resolving, the body's prose, rendering and the PDF, and nothing else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.build import (
    BuildOptions,
    BuildResult,
    case_file,
    default_out_dir,
    run_build,
)
from casereport.export.writers import renders_pdf
from casereport.journal import search_path
from casereport.limits import Ceilings, ceilings
from casereport.memo import Memo

if TYPE_CHECKING:
    from casereport.export.pdf import PdfRenderer


class Session:
    """One case, its output folder and what earlier builds of it left to reuse."""

    def __init__(
        self,
        path: Path,
        out_dir: Path | None = None,
        *,
        templates: Path | None = None,
        options: BuildOptions | None = None,
        memo: Memo | None = None,
        renderer: PdfRenderer | None = None,
        ceilings: Ceilings | None = None,
    ) -> None:
        self.case_file = case_file(path)  # as given, so diagnostics read as the CLI's do
        self.case_dir = self.case_file.parent.resolve()
        options = options or BuildOptions(templates=templates)
        self.out_dir = (out_dir or default_out_dir(path, options.journal)).resolve()
        templates = options.templates
        self.templates = templates.resolve() if templates else None
        self.options = dataclasses.replace(options, templates=self.templates)
        self.memo = memo or Memo()
        self._renderer = renderer
        self.ceilings = ceilings

    def warm_up(self) -> None:
        """Import WeasyPrint and render a small page now, so that the first rebuild an
        author waits for is as quick as the ones after it."""
        self.renderer().warm_up()

    def build(self, formats: Sequence[str] | None = None) -> BuildResult:
        """Build the case again, reusing every stage whose inputs did not change, under
        the session's ceilings (each build gets the whole time and memory allowed)."""
        self.memo.start()
        options = self.options
        if formats is not None:
            options = dataclasses.replace(options, formats=tuple(formats))
        writer = self.renderer() if renders_pdf(options.formats) else None
        with ceilings(self.ceilings):
            return run_build(self.case_file, self.out_dir, options, writer, self.memo)

    def watched(self) -> tuple[Path, ...]:
        """The folders whose changes call for a rebuild: the case folder and the templates."""
        return (self.case_dir, *search_path(self.templates))

    def renderer(self) -> PdfRenderer:
        """The in-process PDF renderer, made on first use (importing WeasyPrint)."""
        if self._renderer is None:
            from casereport.export.pdf import PdfRenderer

            self._renderer = PdfRenderer()
        return self._renderer
