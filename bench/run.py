"""Benchmark: cold and warm builds, batches, `serve`, and the peers on the same letter.

    python bench/run.py [--runs N] [--cases N] [--rebuilds N]     (make bench)

Every figure is a median of at least five runs; the table goes to the terminal and to
bench/results.md, with the targets and the ratios against the peers: pandoc + citeproc to
HTML, pandoc to a WeasyPrint PDF, and WeasyPrint's own command on the letter we wrote.
"Cold" means a new process, as a user runs the command, with the build cache warm
(unchanged photos and references); the empty-cache build is measured separately. The
package's bytecode is compiled first, as installing the wheel does (a checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module in every process).
Measurements of ours and of the peers alternate, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The benchmark's own build cache, empty at the start (never the user's ~/.cache/casereport).
CACHE = Path(tempfile.mkdtemp(prefix="casereport-bench-cache-"))
os.environ["CASEREPORT_CACHE_DIR"] = str(CACHE)
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from live import (  # noqa: E402
    ServeRun,
    copy_demo,
    cpu_count,
    edit_one_new_word,
    serve_rebuilds,
    warm_rebuilds,
)
from peers import pandoc_command, pandoc_version, peer_env, write_markdown  # noqa: E402

from cases import DEMO, generate_cases  # noqa: E402

Row = dict[str, object]
COLD = "cold build, HTML + PDF"
PEER_PDF = "pandoc + citeproc → WeasyPrint PDF"
PEER_WEASY = "weasyprint letter.html letter.pdf (the command, on our HTML)"
HTML_ONLY = "cold build, HTML only"
PEER_HTML = "pandoc + citeproc → HTML"
VALIDATE = "cold validate"
REPORT = ROOT / "cases" / "dress-allopurinol"
ONE_JOURNAL = "cold build of the case report (dress-allopurinol), HTML + PDF"
ALL_JOURNALS = "the same, --journal all (every profile that publishes case reports)"
BUNDLE = "the same, bundle (check, then PDF, DOCX, figures, CARE, cover letter, zip)"
WARM_HTML = "warm rebuild after a one-word edit → HTML"
WARM_PDF = "warm rebuild after a one-word edit → HTML + PDF"
COLD_DOCX = "cold build, Word only (--to docx), the Word file in the build cache"
COLD_DOCX_EDITED = "cold build, Word only, after a one-word edit (the Word file made anew)"
WARM_DOCX = "warm rebuild after a one-word edit → Word (docx), a new word each time"


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak resident MiB of one command in a new process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error}")
    return seconds, usage.ru_maxrss / 1024


def build_command(case: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "casereport", "build", str(case), "-o", str(out), *extra]


def row(label: str, seconds: list[float], peaks: list[float] | None = None) -> Row:
    return {
        "label": label,
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "runs": len(seconds),
        "peak": max(peaks) if peaks else None,
    }


def alternate(runs: int, jobs: dict[str, Callable[[], tuple[float, float]]]) -> list[Row]:
    """Run each job `runs` times, taking turns; one row per job."""
    seconds: dict[str, list[float]] = {label: [] for label in jobs}
    peaks: dict[str, list[float]] = {label: [] for label in jobs}
    for _ in range(runs):
        for label, job in jobs.items():
            took, peak = job()
            seconds[label].append(took)
            peaks[label].append(peak)
    return [row(label, seconds[label], peaks[label]) for label in jobs]


def cold_and_peers(folder: Path, runs: int) -> list[Row]:
    out = folder / "demo"
    timed(build_command(DEMO, out))  # warm the build cache and the OS file cache
    docx = folder / "docx"
    timed(build_command(DEMO, docx, "--to", "docx"))  # and the Word file's entry in it
    markdown = write_markdown(DEMO, out, folder / "pandoc")
    env = peer_env()
    weasyprint = [str(Path(sys.executable).parent / "weasyprint")]
    weasyprint += [str(out / "letter.html"), str(folder / "weasyprint.pdf")]
    validate = [sys.executable, "-m", "casereport", "validate", str(DEMO)]
    edited = copy_demo(folder / "edited")
    edits = iter(range(10**6))

    def cold_docx_cached() -> tuple[float, float]:
        # the last job of each round empties the build cache: put the Word file back first
        timed(build_command(DEMO, docx, "--to", "docx"))
        return timed(build_command(DEMO, docx, "--to", "docx"))

    def cold_docx_edited() -> tuple[float, float]:
        edit_one_new_word(edited, next(edits))
        return timed(build_command(edited.parent, folder / "edited-out", "--to", "docx"))

    def cold_empty_cache() -> tuple[float, float]:
        shutil.rmtree(CACHE, ignore_errors=True)
        return timed(build_command(DEMO, out))

    return alternate(
        runs,
        {
            COLD: lambda: timed(build_command(DEMO, out)),
            PEER_WEASY: lambda: timed(weasyprint, env),
            PEER_PDF: lambda: timed(pandoc_command(markdown, "pdf"), env),
            HTML_ONLY: lambda: timed(build_command(DEMO, out, "--html-only")),
            PEER_HTML: lambda: timed(pandoc_command(markdown, "html"), env),
            VALIDATE: lambda: timed(validate),
            COLD_DOCX: cold_docx_cached,
            COLD_DOCX_EDITED: cold_docx_edited,
            "cold build, HTML + PDF, build cache empty": cold_empty_cache,
        },
    )


def journals(folder: Path, runs: int) -> list[Row]:
    """One cold build of the third example case against its build for every journal and
    its submission bundle (warnings allowed: the example lacks two CARE items)."""
    out = folder / "report"
    timed(build_command(REPORT, out, "--journal", "all"))  # warm the build cache
    bundle_command = [sys.executable, "-m", "casereport", "bundle", str(REPORT)]
    bundle_command += ["-o", str(folder / "bundle"), "--allow-warnings"]
    timed(bundle_command)  # its figure files, TIFF, are made once into the build cache

    return alternate(
        runs,
        {
            ONE_JOURNAL: lambda: timed(build_command(REPORT, out)),
            ALL_JOURNALS: lambda: timed(build_command(REPORT, out, "--journal", "all")),
            BUNDLE: lambda: timed(bundle_command),
        },
    )


def batches(folder: Path, runs: int, count: int) -> list[Row]:
    cases = folder / "cases"
    generate_cases(cases, count)

    def batch(jobs: int) -> Callable[[], tuple[float, float]]:
        def run() -> tuple[float, float]:
            out = folder / f"batch-{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            return timed(build_command(cases, out, "-j", str(jobs)))

        return run

    return alternate(
        runs,
        {f"batch of {count} cases, -j 1": batch(1), f"batch of {count} cases, -j 2": batch(2)},
    )


def live(folder: Path, runs: int, rebuilds: int) -> tuple[list[Row], ServeRun]:
    warm = warm_rebuilds(folder / "warm", max(runs, 15))
    served = serve_rebuilds(folder / "serve", rebuilds)
    rows = [
        row(WARM_HTML, warm["html"]),
        row(WARM_PDF, warm["pdf"]),
        row(WARM_DOCX, warm["docx"]),
        row("  of which the PDF (WeasyPrint layout + writing)", warm["pdf export"]),
        row("  the same PDF laid out in one column (comparison)", warm["one column"]),
        row("serve: save → page reloads (50 ms debounce included)", served.reload),
        row("serve: save → PDF rebuilt and linked", served.pdf),
    ]
    return rows, served


def table(rows: list[Row]) -> list[str]:
    lines = ["| what | median | min | max | runs | peak RSS |", "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        peak = f"{r['peak']:.0f} MiB" if r["peak"] else ""
        lines.append(
            f"| {r['label']} | {_t(r['median'])} | {_t(r['min'])} | {_t(r['max'])} "
            f"| {r['runs']} | {peak} |"
        )
    return lines


def _t(value: object) -> str:
    seconds = float(value)  # type: ignore[arg-type]
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def targets(rows: list[Row], served: ServeRun, count: int) -> list[str]:
    m = {str(r["label"]): float(r["median"]) for r in rows}  # type: ignore[arg-type]
    cold = m[COLD] / m[PEER_PDF]
    weasy = m[COLD] / m[PEER_WEASY]
    html = m[HTML_ONLY] / m[PEER_HTML]
    validate = m[VALIDATE] / m[PEER_HTML]
    speedup = m[f"batch of {count} cases, -j 1"] / m[f"batch of {count} cases, -j 2"]
    every = m[ALL_JOURNALS] / m[ONE_JOURNAL]
    bundle = m[BUNDLE] / m[ONE_JOURNAL]
    memory = (
        f"{1 + served.growth:.3f} ({served.first[0]:.0f} → {served.last[0]:.0f} MiB peak; "
        f"{served.last[1]:.0f} MiB resident)"
    )
    checks: list[tuple[str, str, str, bool | None]] = [
        ("warm rebuild → HTML", "≤ 30 ms", _t(m[WARM_HTML]), m[WARM_HTML] <= 0.030),
        ("warm rebuild → PDF", "≤ 120 ms", _t(m[WARM_PDF]), m[WARM_PDF] <= 0.120),
        ("warm rebuild → Word (docx)", "≤ 150 ms", _t(m[WARM_DOCX]), m[WARM_DOCX] <= 0.150),
        ("cold build → Word (docx)", "≤ 500 ms", _t(m[COLD_DOCX]), m[COLD_DOCX] <= 0.500),
        (
            "cold build → Word, after an edit",
            "≤ 500 ms",
            _t(m[COLD_DOCX_EDITED]),
            m[COLD_DOCX_EDITED] <= 0.500,
        ),
        ("cold build ÷ pandoc → WeasyPrint PDF", "≤ 0.90", f"{cold:.2f}", cold <= 0.9),
        ("cold build ÷ the weasyprint command on our HTML", "≤ 1.10", f"{weasy:.2f}", weasy <= 1.1),
        ("cold HTML-only build ÷ pandoc + citeproc → HTML", "≤ 1.50", f"{html:.2f}", html <= 1.5),
        ("cold validate ÷ pandoc + citeproc → HTML", "≤ 1.50", f"{validate:.2f}", validate <= 1.5),
        ("batch speed-up, -j 2 over -j 1", "≥ 1.70", f"{speedup:.2f}", speedup >= 1.7),
        ("--journal all ÷ one cold build (case report)", "≤ 3.00", f"{every:.2f}", every <= 3.0),
        ("bundle ÷ one cold build (case report)", "≤ 2.00", f"{bundle:.2f}", bundle <= 2.0),
        (
            f"serve peak RSS after {len(served.pdf)} rebuilds ÷ after the first",
            "≤ 1.10",
            memory,
            served.growth <= 0.10,
        ),
    ]
    lines = ["| target | wanted | measured | met |", "|---|---|---|---|"]
    for name, wanted, measured, met in checks:
        verdict = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {name} | {wanted} | {measured} | {verdict} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (>= 5)")
    parser.add_argument("--cases", type=int, default=50, help="cases in the batch")
    parser.add_argument("--rebuilds", type=int, default=100, help="rebuilds of serve")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("medians need at least 5 runs")
    compileall.compile_dir(ROOT / "casereport", quiet=1)  # as `pip install` of the wheel does
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rows = cold_and_peers(folder, args.runs)
        live_rows, served = live(folder, args.runs, args.rebuilds)
        rows += live_rows + journals(folder, args.runs) + batches(folder, args.runs, args.cases)
    import weasyprint

    lines = [
        f"casereport benchmark — {cpu_count()} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, {pandoc_version()}; load average "
        f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after",
        "",
        *table(rows),
        "",
        *targets(rows, served, args.cases),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
