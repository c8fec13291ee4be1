"""`build --journal all`: the case built for every journal profile that publishes its
article type, in one process, each into `<out>/<journal>/`, and a table of how each went.

The builds share one `Memo` (the case is read once; its figures, references and templates
are kept between builds where the journals agree) and one PDF writer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from casereport.build import BuildOptions, BuildResult, load_case, run_build
from casereport.errors import BuildError, CaseError, Diagnostic
from casereport.export.writers import PdfWriter
from casereport.journal import Journal, available_journals, load_journal, search_path
from casereport.memo import Memo
from casereport.retarget import journal_folder


@dataclass(frozen=True)
class JournalOutcome:
    """How building the case for one journal went."""

    journal: Journal
    article: str
    result: BuildResult | None  # None: the build failed
    diagnostics: tuple[Diagnostic, ...]  # the errors of a failed build, else its warnings
    failure: str = ""  # a failure outside the case file (a template error)

    @property
    def ok(self) -> bool:
        return self.result is not None

    @property
    def errors(self) -> int:
        if self.ok:
            return 0
        return sum(d.severity == "error" for d in self.diagnostics) or 1

    def row(self) -> dict[str, str]:
        """The table row: words as the journal counts them, against its limit."""
        result = self.result
        words = "-"
        if result is not None:
            limit = self.journal.limits_for(self.article).words
            words = f"{result.words}/{limit}" if limit is not None else str(result.words)
        return {
            "journal": self.journal.id,
            "words": words,
            "refs": "-" if result is None else str(result.references),
            "figures": "-" if result is None else str(result.figures),
            "pages": "-" if result is None or result.pages is None else str(result.pages),
            "errors": str(self.errors),
            "warnings": str(len(self.diagnostics)) if self.ok else "-",
        }


def journals_for(article: str, templates: Path | None) -> list[Journal]:
    """Every journal profile (along the search path) that publishes `article`."""
    folders = search_path(templates)
    profiles = [load_journal(name, folders) for name in available_journals(folders)]
    return [p for p in profiles if article in p.publishes]


def build_all(
    path: Path, out: Path, options: BuildOptions, pdf_writer: PdfWriter | None
) -> list[JournalOutcome]:
    """Build the case for each journal that publishes its type into `out/<journal>/`."""
    memo = Memo()
    _, case = load_case(path, memo)
    outcomes = []
    for journal in journals_for(case.article, options.templates):
        these = dataclasses.replace(options, journal=journal.id)
        folder = journal_folder(out, journal.id)
        try:
            result = run_build(path, folder, these, pdf_writer, memo)
        except CaseError as exc:
            outcomes.append(JournalOutcome(journal, case.article, None, exc.diagnostics))
            continue
        except BuildError as exc:
            outcomes.append(JournalOutcome(journal, case.article, None, (), failure=str(exc)))
            continue
        outcomes.append(JournalOutcome(journal, case.article, result, result.warnings))
    return outcomes
