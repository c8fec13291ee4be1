"""Benchmark the figures: cold composition, warm rebuilds, and memory for big panels.

    python bench/figures.py [--runs N]

Every measurement runs in a new process (medians of N runs), as `casereport build` does:

* cold composition of the demo's four 12 MP panels at the journal's width, cache empty,
  timed from before `import casereport.figures.compose` (so Pillow's import is included);
* a warm rebuild (HTML only) of the demo: the figures stage's time, and whether Pillow
  was imported at all (it must not be: no image is decoded);
* eight 24 MP panels (6000x4000) in a 2x4 grid at full width, as JPEG (decoded at a
  reduced DCT scale) and as PNG (decoded whole): peak resident memory of the whole
  process (ru_maxrss), which must stay under 300 MiB.

Writes a table to the terminal and to bench/figures-results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The benchmark's own build cache, empty at the start (never the user's ~/.cache/casereport).
CACHE = Path(tempfile.mkdtemp(prefix="casereport-bench-cache-"))
os.environ["CASEREPORT_CACHE_DIR"] = str(CACHE)
DEMO = ROOT / "cases" / "anifrolumab-alopecia"
DEMO_PANELS = [DEMO / f"{n}.jpg" for n in ("before-1", "before-2", "after-1", "after-2")]

COMPOSE = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from casereport.figures.compose import ComposeSpec, compose
panels = tuple(Path(p) for p in json.loads(sys.argv[1]))
rows, columns, width = (int(v) for v in sys.argv[2:5])
made = compose(ComposeSpec(panels, rows, columns, width), Path(sys.argv[5]))
print(json.dumps({"seconds": time.perf_counter() - started, "size": [made.width, made.height]}))
"""

WARM = """
import json, sys
from pathlib import Path
from casereport import build_case
result = build_case(Path(sys.argv[1]), Path(sys.argv[2]), formats=("html",))
print(json.dumps({"figures": result.timings["figures"], "pil": "PIL.Image" in sys.modules}))
"""


def run(code: str, *args: str) -> tuple[dict[str, object], float]:
    """Output (JSON) and peak RSS in MiB of `code` run in a new Python process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(process.stderr.read().decode())
    return json.loads(out), usage.ru_maxrss / 1024


def cold_compose(runs: int, folder: Path) -> dict[str, float]:
    times, peaks = [], []
    for i in range(runs):
        cache = folder / f"cold-{i}"
        result, peak = run(
            COMPOSE, json.dumps([str(p) for p in DEMO_PANELS]), "2", "2", "1004", str(cache)
        )
        times.append(float(result["seconds"]))  # type: ignore[arg-type]
        peaks.append(peak)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "peak": max(peaks),
    }


def warm_rebuild(runs: int, folder: Path) -> dict[str, float]:
    out = folder / "warm"
    run(WARM, str(DEMO), str(out))  # fills the cache
    times, imported = [], []
    for _ in range(runs):
        result, _ = run(WARM, str(DEMO), str(out))
        times.append(float(result["figures"]))  # type: ignore[arg-type]
        imported.append(bool(result["pil"]))
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "pil": float(any(imported)),
    }


ENLARGE = """
import sys
from PIL import Image
with Image.open(sys.argv[1]) as im:
    im.draft("RGB", (3000, 2000))
    big = im.convert("RGB").resize((6000, 4000), Image.Resampling.BILINEAR)
big.save(sys.argv[2], quality=88, compress_level=1)  # each format takes its own option
print("{}")
"""


def big_panels(folder: Path, suffix: str) -> list[Path]:
    """Eight 24 MP JPEGs made by enlarging the demo photos (realistic content, not noise).

    Made in child processes: the measuring process must stay small, because a child that
    is forked from a big parent reports the parent's pages in its own peak RSS.
    """
    paths = []
    for i in range(8):
        path = folder / f"big-{i}{suffix}"
        run(ENLARGE, str(DEMO_PANELS[i % 4]), str(path))
        paths.append(path)
    return paths


def big_memory(runs: int, folder: Path, suffix: str) -> dict[str, float]:
    panels = json.dumps([str(p) for p in big_panels(folder, suffix)])
    times, peaks = [], []
    for i in range(runs):
        result, peak = run(COMPOSE, panels, "2", "4", "2008", str(folder / f"big-cache-{i}"))
        times.append(float(result["seconds"]))  # type: ignore[arg-type]
        peaks.append(peak)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "peak": statistics.median(peaks),
        "peak_max": max(peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cold = cold_compose(args.runs, folder)
        warm = warm_rebuild(args.runs, folder)
        big = big_memory(args.runs, folder, ".jpg")
        png = big_memory(args.runs, folder, ".png")
    lines = [
        f"casereport figures benchmark — {args.runs} runs each (new process per run), "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "",
        "| what | median | min | max | peak RSS | target |",
        "|---|---:|---:|---:|---:|---|",
        f"| cold compose, demo's four 12 MP panels (incl. Pillow import) | {cold['median']:.3f} s "
        f"| {cold['min']:.3f} s | {cold['max']:.3f} s | {cold['peak']:.0f} MiB | <= 0.5 s |",
        f"| warm rebuild, figures stage (Pillow imported: {'yes' if warm['pil'] else 'no'}) "
        f"| {warm['median'] * 1000:.1f} ms | {warm['min'] * 1000:.1f} ms "
        f"| {warm['max'] * 1000:.1f} ms | | no image work |",
        f"| eight 24 MP JPEG panels, 2x4 at 170 mm | {big['median']:.3f} s | {big['min']:.3f} s "
        f"| {big['max']:.3f} s | {big['peak']:.0f} MiB (max {big['peak_max']:.0f}) | < 300 MiB |",
        f"| eight 24 MP PNG panels (no DCT scaling), 2x4 at 170 mm | {png['median']:.3f} s "
        f"| {png['min']:.3f} s | {png['max']:.3f} s "
        f"| {png['peak']:.0f} MiB (max {png['peak_max']:.0f}) | < 300 MiB |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "figures-results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
