"""The reference list in a build: cached so that a rebuild spends no time on references."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import SMALL_CASE
from tests.outputs import printed_html

BIB = """\
@article{one, title={The first reference}, author={Smith, J.}, journal={J Test},
  year={2020}, volume={1}, pages={1--10}}
@article{two, title={The second reference}, author={Jones, A. B.}, journal={J Test},
  year={2021}, volume={2}, pages={5}}
"""
PROBE = """
import json, sys
from pathlib import Path
from casereport import build_case
result = build_case(Path(sys.argv[1]), Path(sys.argv[2]), formats=("html",))
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"citeproc", "bibtexparser", "pylatexenc"})
print(json.dumps({"heavy": heavy, "references": result.timings["references"]}))
"""


def _build_in_new_process(case: Path, out: Path) -> dict[str, object]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(case), str(out)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_rebuild_neither_parses_nor_formats_references(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    text = SMALL_CASE.split("references:\n")[0] + "bibliography: refs.bib\nstyle: apa\n"
    case = make_case(text)
    (case.parent / "refs.bib").write_text(BIB, encoding="utf-8")
    first = _build_in_new_process(case, tmp_path / "out")
    assert first["heavy"] == ["bibtexparser", "citeproc", "pylatexenc"]
    html = printed_html(tmp_path / "out" / "letter.html")
    second = _build_in_new_process(case, tmp_path / "out")
    assert second["heavy"] == []
    assert isinstance(second["references"], float) and second["references"] < 0.02
    assert printed_html(tmp_path / "out" / "letter.html") == html
    assert '<span class="citation">(Smith, 2020)</span>' in html
    assert '<span class="citation">(Jones, 2021; Smith, 2020)</span>' in html
    (case.parent / "refs.bib").write_text(BIB.replace("first reference", "first paper"))
    third = _build_in_new_process(case, tmp_path / "out")
    assert third["heavy"] == ["bibtexparser", "citeproc", "pylatexenc"]
    assert "The first paper" in printed_html(tmp_path / "out" / "letter.html")


def test_doctored_cached_reference_list_is_formatted_again(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    from casereport import build_case

    case = make_case(SMALL_CASE)
    out = tmp_path / "out"
    build_case(case.parent, out, formats=("html",))
    doctored = 0
    for path in (Path(os.environ["CASEREPORT_CACHE_DIR"]) / "bibliography").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "entries" in data:
            data["entries"] = ['<script>alert(1)</script><b onclick="x()">a</b>'] * 2
            path.write_text(json.dumps(data), encoding="utf-8")
            doctored += 1
    assert doctored == 1
    build_case(case.parent, out, formats=("html",))
    html = printed_html(out / "letter.html")
    assert "<script" not in html and "onclick" not in html
    assert "The first reference" in html
