"""Benchmark: 50 references formatted cold (a new process: import, parse the style, format).

    python bench/references.py [--runs N]

Each run starts a fresh Python process that imports casereport, parses the CSL style and
formats 50 varied references (the demo's seven and the 28 of the pandoc parity set, repeated
with distinct titles); the time from before the import to the formatted list is measured
inside that process. Medians of N runs per style; writes bench/references.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STYLES = (
    "clin-exp-rheumatol (journal's own)",
    "nlm-citation-sequence",
    "american-medical-association",
)
TARGET_MS = 150.0

CHILD = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from casereport.references.citations import format_bibliography, load_style
from casereport.references.styles import find_style
name, items_path = sys.argv[1], sys.argv[2]
items = json.loads(Path(items_path).read_text(encoding="utf-8"))
path = Path(name) if name.endswith(".csl") else find_style(name).path
entries = format_bibliography(load_style(path), items)
assert len(entries) == len(items) == 50 and all(entries)
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
"""


def fifty_items() -> list[dict[str, object]]:
    data = ROOT / "tests" / "references" / "data"
    base = json.loads((data / "published-references.json").read_text(encoding="utf-8"))
    base += json.loads((data / "parity-items.json").read_text(encoding="utf-8"))
    items = []
    for n in range(50):
        item = dict(base[n % len(base)])
        item["id"] = f"ref{n}"
        item["title"] = f"{item['title']} ({n})"
        items.append(item)
    return items


def run(style: str, items_path: Path) -> float:
    name = str(ROOT / "templates" / "clin-exp-rheumatol" / "style.csl") if "own" in style else style
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, name, str(items_path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return float(json.loads(done.stdout)["ms"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    items_path = ROOT / "build" / "bench-50-references.json"
    items_path.parent.mkdir(exist_ok=True)
    items_path.write_text(json.dumps(fifty_items(), ensure_ascii=False), encoding="utf-8")
    lines = [
        f"50 references formatted cold (new process: import + parse style + format), "
        f"{args.runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "",
        "| style | median | min | max | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for style in STYLES:
        times = [run(style, items_path) for _ in range(args.runs)]
        lines.append(
            f"| {style} | {statistics.median(times):.0f} ms | {min(times):.0f} ms | "
            f"{max(times):.0f} ms | <= {TARGET_MS:.0f} ms |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "references.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
