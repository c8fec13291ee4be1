"""A rebuild equals a fresh build, for random sequences of ordinary edits (issue 9).

A stateful hypothesis test: each example case is copied with its journal profile, then
edited step by step — a panel replaced, resized or removed (and put back), the body, a
legend's citations, a reference, the style, the bibliography file, the template, the
stylesheet or the journal profile changed, lines inserted above the figures. After each
step the case is built four ways and every result must equal the first:

- fresh: a one-shot build into an empty folder with an empty build cache;
- used: a one-shot build into the folder that every earlier step built into;
- session: a warm rebuild in one `Session`, as `serve` and `build --watch` do;
- batch: `batch.build_one`, as a batch worker builds, with its process-wide memo.

Equal means the same HTML text, build.json, PDF text and embedded images' pixels, figure
files and Word file bytes (`tests.outputs.snapshot`), or the same error lines.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from PIL import Image

from casereport import build_case
from casereport.build import BuildOptions
from casereport.errors import CasereportError
from casereport.journal import builtin_templates
from casereport.live.batch import build_one
from casereport.live.session import Session
from tests.conftest import DEMO, EXAMPLE
from tests.outputs import snapshot

SIZES = st.sampled_from([(1200, 900), (900, 1200), (2000, 1500), (640, 480)])
COLOURS = st.sampled_from(["red", "navy", "olive", "white", "black"])
WORDS = st.sampled_from(["notably", "indeed", "clearly", "however", "moreover"])
STYLES = st.sampled_from([None, "apa", "nlm-citation-sequence", "bmj"])
FORMATS = ("html", "pdf", "docx")  # the Word file's bytes are compared too


def _outcome(build: Any, out: Path) -> tuple[str, Any]:
    """("ok", what the user reads) or ("error", the lines the command line prints)."""
    try:
        build()
    except CasereportError as error:
        return "error", [line.replace(str(out), "<out>") for line in error.lines()]
    return "ok", snapshot(out)


class RebuildEqualsFresh(RuleBasedStateMachine):
    """One example case, edited step by step; four builds compared after each step."""

    source: Path = DEMO

    @initialize(style=STYLES)
    def start(self, style: str | None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rebuild-"))
        self.case = self.root / "case"
        shutil.copytree(self.source, self.case)
        if style is not None:
            with (self.case / "case.yaml").open("a", encoding="utf-8") as case:
                case.write(f"style: {style}\n")
        self.templates = self.root / "templates"
        shutil.copytree(
            builtin_templates() / "clin-exp-rheumatol", self.templates / "clin-exp-rheumatol"
        )
        self.profile = self.templates / "clin-exp-rheumatol"
        data = yaml.safe_load((self.case / "case.yaml").read_text(encoding="utf-8"))
        self.panels = [p["image"] for f in data.get("figures", []) for p in f.get("panels", [])]
        for name in self.panels:  # smaller panels: the same code paths, many more steps
            with Image.open(self.case / name) as image:
                image.thumbnail((1200, 1200))
                image.save(self.case / name)
        self.first_figure = next(f["id"] for f in data["figures"])
        self.keys = [r["id"] for r in data.get("references", [])]
        self.bibliography = data.get("bibliography")
        if self.bibliography:
            items = json.loads((self.case / self.bibliography).read_text(encoding="utf-8"))
            self.keys += [item["id"] for item in items]
        self.removed: dict[str, bytes] = {}
        self.options = BuildOptions(FORMATS, templates=self.templates)
        self.session = Session(self.case, self.root / "session", options=self.options)
        self.step = 0
        self.compare()

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the four builds ---------------------------------------------------------------

    def compare(self) -> None:
        self.step += 1
        fresh_out = self.root / f"fresh-{self.step}"
        fresh_cache = self.root / f"fresh-cache-{self.step}"  # nothing kept from before

        def build_fresh() -> None:
            build_case(
                self.case, fresh_out, formats=FORMATS, templates=self.templates, cache=fresh_cache
            )

        fresh = _outcome(build_fresh, fresh_out)
        used_out = self.root / "used"
        used = _outcome(
            lambda: build_case(self.case, used_out, formats=FORMATS, templates=self.templates),
            used_out,
        )
        session = _outcome(self.session.build, self.root / "session")
        batch_out = self.root / "batch"
        batch = _outcome(lambda: self._batch(batch_out), batch_out)
        shutil.rmtree(fresh_out, ignore_errors=True)
        shutil.rmtree(fresh_cache, ignore_errors=True)
        assert used == fresh, "a rebuild in a used folder differs from a fresh build"
        assert session == fresh, "a warm Session rebuild differs from a fresh build"
        assert batch == fresh, "a batch worker's build differs from a fresh build"

    def _batch(self, out: Path) -> None:
        outcome = build_one(self.case / "case.yaml", out, self.options)
        if not outcome.ok:
            raise _BatchFailed(outcome.messages)

    # -- edits -------------------------------------------------------------------------

    def _edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    @rule(data=st.data(), size=SIZES, colour=COLOURS)
    def replace_panel(self, data: st.DataObject, size: tuple[int, int], colour: str) -> None:
        name = data.draw(st.sampled_from(self.panels))
        if name in self.removed:
            return
        image = Image.new("RGB", size, colour)
        image.paste(Image.new("RGB", (size[0] // 3, size[1] // 3), "yellow"), (10, 10))
        image.save(self.case / name)
        self.compare()

    @rule(data=st.data())
    def remove_panel(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(self.panels))
        if name not in self.removed:
            self.removed[name] = (self.case / name).read_bytes()
            (self.case / name).unlink()
        self.compare()

    @precondition(lambda self: bool(self.removed))
    @rule()
    def restore_panels(self) -> None:
        for name, data in self.removed.items():
            (self.case / name).write_bytes(data)
        self.removed.clear()
        self.compare()

    @rule(word=WORDS)
    def edit_body(self, word: str) -> None:
        self._edit(self.case / "case.yaml", "body: |\n", f"body: |\n  {word.capitalize()}, \n")
        self.compare()

    @rule(lines=st.integers(1, 3))
    def insert_lines_above_figures(self, lines: int) -> None:
        self._edit(
            self.case / "case.yaml", "\nfigures:\n", "\n" + "# note\n" * lines + "figures:\n"
        )
        self.compare()

    @rule(data=st.data())
    def cite_in_legend(self, data: st.DataObject) -> None:
        keys = data.draw(st.lists(st.sampled_from(self.keys), min_size=1, max_size=3, unique=True))
        cited = "; ".join(f"@{k}" for k in keys)
        path = self.case / "case.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        head = f"  - id: {self.first_figure}\n"
        at = lines.index(head) + 1
        if lines[at].startswith("    legend:"):
            del lines[at]
        lines.insert(at, f"    legend: As reported before [{cited}].\n")
        path.write_text("".join(lines), encoding="utf-8")
        self.compare()

    @rule(style=STYLES)
    def set_style(self, style: str | None) -> None:
        path = self.case / "case.yaml"
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("style:")
        ]
        if style is not None:
            lines.append(f"style: {style}\n")
        path.write_text("".join(lines), encoding="utf-8")
        self.compare()

    @rule(data=st.data(), word=WORDS)
    def edit_reference(self, data: st.DataObject, word: str) -> None:
        if self.bibliography:
            path = self.case / self.bibliography
            items = json.loads(path.read_text(encoding="utf-8"))
            item = data.draw(st.sampled_from(items))
            item["title"] = f"{word.capitalize()}: {item['title']}"
            path.write_text(json.dumps(items, indent=2), encoding="utf-8")
        else:
            self._edit(self.case / "case.yaml", "    title: ", f"    title: {word.capitalize()}: ")
        self.compare()

    @rule(word=WORDS)
    def edit_template(self, word: str) -> None:
        path = self.profile / "letter.html.j2"
        heading = re.compile(r'<p class="section">[^<]*</p>')
        text = path.read_text(encoding="utf-8")
        path.write_text(heading.sub(f'<p class="section">Letters ({word})</p>', text, 1))
        self.compare()

    @rule(colour=COLOURS)
    def edit_stylesheet(self, colour: str) -> None:
        with (self.profile / "style.css").open("a", encoding="utf-8") as css:
            css.write(f"\nh1 {{ color: {colour}; }}\n")
        self.compare()

    @rule(dpi=st.sampled_from([150, 200, 300]), single=st.sampled_from([80, 85, 90]))
    def edit_profile(self, dpi: int, single: int) -> None:
        # The profile inherits both from `base`: override them, merged over the parent's.
        path = self.profile / "journal.yaml"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(dpi|figure_width_mm): .*\n", "", text)
        text += f"dpi: {dpi}\nfigure_width_mm: {{single: {single}}}\n"
        path.write_text(text, encoding="utf-8")
        self.compare()


class _BatchFailed(CasereportError):
    def __init__(self, lines: tuple[str, ...]) -> None:
        self._lines = lines
        super().__init__("\n".join(lines))

    def lines(self) -> tuple[str, ...]:
        return self._lines


SETTINGS = settings(
    max_examples=8,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class DemoRebuild(RebuildEqualsFresh):
    source = DEMO


class ExampleRebuild(RebuildEqualsFresh):
    source = EXAMPLE


TestDemoRebuildEqualsFresh = SETTINGS(DemoRebuild).TestCase
TestExampleRebuildEqualsFresh = SETTINGS(ExampleRebuild).TestCase
