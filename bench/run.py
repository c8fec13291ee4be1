"""Benchmark: cold builds of the demo case in a fresh process, medians of repeated runs.

    python bench/run.py [--runs N]

Writes a table to the terminal and to bench/results.md. The image cache is warmed by
one build first (so "cold" means a new process, as a user runs the command, with
unchanged photos); the cold-cache figure composition is measured separately.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "cases" / "anifrolumab-alopecia"


def run_build(out: Path, *extra: str) -> tuple[float, float]:
    """Seconds and peak resident MiB of one `casereport build` in a new process."""
    command = [sys.executable, "-m", "casereport", "build", str(DEMO), "-o", str(out), *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(
            f"build failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024


def measure(
    label: str, runs: int, out: Path, *extra: str, clear_cache: bool = False
) -> dict[str, object]:
    times, peaks = [], []
    for _ in range(runs):
        if clear_cache:
            shutil.rmtree(out / ".cache", ignore_errors=True)
        seconds, peak = run_build(out, *extra)
        times.append(seconds)
        peaks.append(peak)
    return {
        "label": label,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_mib": max(peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "demo"
        run_build(out)  # warm the image cache and the OS file cache
        rows = [
            measure("cold build, HTML + PDF (image cache warm)", args.runs, out),
            measure("cold build, HTML only (image cache warm)", args.runs, out, "--html-only"),
            measure("cold build, HTML + PDF, image cache empty", args.runs, out, clear_cache=True),
        ]
        pdf_size = (out / "letter.pdf").stat().st_size
    lines = [
        f"casereport benchmark — {args.runs} runs each, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}",
        "",
        "| what | median | min | max | peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['median_s']:.3f} s | {row['min_s']:.3f} s | "
            f"{row['max_s']:.3f} s | {row['peak_mib']:.0f} MiB |"
        )
    lines += ["", f"letter.pdf: {pdf_size / 1e6:.2f} MB"]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
