"""Batches: every case folder under a folder, built in parallel by a pool of processes.

Each worker process imports WeasyPrint once, warms it up, and keeps one memo for all the
cases it builds (the parsed CSL style, the compiled templates), so a case costs a warm
build, not a cold one. A case that fails is reported with its diagnostics; the others
still build. With one job the cases are built in this process, one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.build import CASE_FILE, FORMATS, BuildOptions
from casereport.errors import CaseError, CasereportError
from casereport.export.writers import renders_pdf
from casereport.limits import Ceilings

if TYPE_CHECKING:
    from casereport.export.pdf import PdfRenderer
    from casereport.memo import Memo

COLUMNS = ("case", "pages", "words", "references", "figures", "time", "status")


@dataclass(frozen=True)
class CaseOutcome:
    """How one case of a batch went (plain data: it crosses process boundaries)."""

    case: str
    status: str
    seconds: float
    pages: int | None = None
    words: int | None = None
    references: int | None = None
    figures: int | None = None
    messages: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def row(self) -> tuple[str, ...]:
        def show(value: int | None) -> str:
            return "-" if value is None else str(value)

        counts = (self.pages, self.words, self.references, self.figures)
        return (self.case, *map(show, counts), f"{self.seconds:.2f} s", self.status)


def find_cases(folder: Path) -> list[Path]:
    """The case folders directly inside `folder` (those with a case.yaml), by name."""
    return sorted(p for p in folder.iterdir() if (p / CASE_FILE).is_file())


def default_jobs() -> int:
    """One job per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def build_many(
    cases: Sequence[Path],
    out_root: Path,
    *,
    jobs: int,
    formats: Sequence[str] = FORMATS,
    templates: Path | None = None,
    options: BuildOptions | None = None,
    ceilings: Ceilings | None = None,
) -> Iterator[CaseOutcome]:
    """Build every case into `out_root/<case name>`; yield each outcome as it completes.
    `options` (style, offline, …) wins over `formats` and `templates` when given; each
    case is built under `ceilings`, if any, in the process that builds it."""
    options = options or BuildOptions(tuple(formats), templates)
    journal = options.journal  # `--journal`: each case's folder for that journal inside its own
    outs = [out_root / case.name / journal if journal else out_root / case.name for case in cases]
    tasks = [(case, out, options, ceilings) for case, out in zip(cases, outs, strict=True)]
    if jobs <= 1 or len(tasks) <= 1:
        yield from (build_one(*task) for task in tasks)
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)),
        mp_context=_context(),
        initializer=_start_worker,
    ) as pool:
        futures = [pool.submit(build_one, *task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean server process that has imported the pipeline (never
    from this one, which may have threads), or spawned where forkserver does not exist."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["casereport.live.batch", "casereport.build"])
        return context
    return multiprocessing.get_context("spawn")


_memo: Memo | None = None
_renderer: PdfRenderer | None = None


def _start_worker() -> None:
    """Import and warm up WeasyPrint once, for every case this worker will build."""
    _process_renderer().warm_up()


def _process_renderer() -> PdfRenderer:
    """This process's PDF renderer, made once: a worker builds many cases."""
    global _renderer
    if _renderer is None:
        from casereport.export.pdf import PdfRenderer

        _renderer = PdfRenderer()
    return _renderer


def _process_memo() -> Memo:
    """This process's memo of stage results, shared by the cases it builds."""
    global _memo
    if _memo is None:
        from casereport.memo import Memo

        _memo = Memo()
    return _memo


def build_one(
    case: Path, out_dir: Path, options: BuildOptions, ceilings: Ceilings | None = None
) -> CaseOutcome:
    """Build one case in this process, with the memo and renderer of the process."""
    from casereport.live.session import Session

    started = time.perf_counter()
    try:
        renderer = _process_renderer() if renders_pdf(options.formats) else None
        session = Session(
            case,
            out_dir,
            options=options,
            memo=_process_memo(),
            renderer=renderer,
            ceilings=ceilings,
        )
        result = session.build()
    except CasereportError as error:
        return _failed(case, started, error)
    except Exception as exc:  # one broken case must not stop the batch
        message = f"internal error: {type(exc).__name__}: {exc}"
        return CaseOutcome(case.name, "failed", time.perf_counter() - started, messages=(message,))
    return CaseOutcome(
        case.name,
        "ok",
        time.perf_counter() - started,
        result.pages,
        result.words,
        result.references,
        result.figures,
        tuple(d.format() for d in result.warnings),
    )


def _failed(case: Path, started: float, error: CasereportError) -> CaseOutcome:
    status = f"failed ({error.summary()})" if isinstance(error, CaseError) else "failed"
    return CaseOutcome(case.name, status, time.perf_counter() - started, messages=error.lines())


def summary_table(outcomes: Sequence[CaseOutcome]) -> str:
    """The summary as an aligned plain-text table, one row per case in name order."""
    rows = [COLUMNS, *(o.row() for o in sorted(outcomes, key=lambda o: o.case))]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if i in (0, len(COLUMNS) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
