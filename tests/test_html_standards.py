"""The HTML a user sends is valid and accessible, checked by the real tools, no mocks.

Every example case under every journal profile that publishes its article type (as
`build --journal` builds it), both linked and `--embed`, and the CARE checklist
(`--to care`): the W3C Nu HTML checker reports no error (one run over all the files: the
JVM starts slowly), and axe-core, injected into headless Chromium, reports no violation of
any rule, experimental and best-practice ones included. An `--embed` letter copied alone
into an empty folder opens with every image loaded and no request failing.

The tools come from `make test` (Java, Chromium, and `.venv/node`: vnu-jar and axe-core);
when one is missing the tests skip, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

from casereport.build import BuildOptions, build_with
from tests.conftest import chromium_path
from tests.golden import article, combinations

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / ".venv" / "node" / "node_modules"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE / "axe-core" / "axe.min.js"
BUILDS = [(case, journal, embed) for case, journal in combinations() for embed in (False, True)]


def _missing(what: str) -> NoReturn:
    """Skip, or under CI=true fail: a check that cannot run must not pass unseen."""
    message = f"{what} not found: `make test` installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _name(case: str, journal: str, embed: bool) -> str:
    return f"{case}@{journal}{'+embed' if embed else ''}"


def _care_case() -> str:
    """An example case report (its CARE checklist has every section to fill)."""
    return next(case for case, _ in combinations() if article(case) != "letter")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every build's page by name; `care` the CARE checklist's."""
    root = tmp_path_factory.mktemp("standards")
    pages = {}
    for case, journal, embed in BUILDS:
        out = root / _name(case, journal, embed)
        options = BuildOptions(("html",), journal=journal, embed=embed)
        build_with(ROOT / "cases" / case, out, options)
        pages[out.name] = out / "letter.html"
    out = root / "care"
    build_with(ROOT / "cases" / _care_case(), out, BuildOptions(("html", "care")))
    pages["care"] = out / "care-checklist.html"
    return pages


def test_nu_checker_finds_no_error(built: dict[str, Path]) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        _missing("java or the Nu checker (.venv/node/node_modules/vnu-jar)")
    files = [str(p) for p in built.values()]
    run = [java, "-jar", str(VNU), "--format", "json", "--errors-only", *files]
    result = subprocess.run(run, capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    found = [
        f"{Path(m.get('url', '')).parent.name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert found == [], "\n".join(found)


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Any:
    """The session's browser (conftest): Playwright's sync API runs one instance per
    thread, so a second one started here fails while test_browser's is open."""
    if chromium_path() is None:
        _missing("Chromium")
    if not AXE.is_file():
        _missing("axe-core (.venv/node/node_modules/axe-core)")
    return request.getfixturevalue("browser")


# Every rule axe knows, the experimental ones too (axe.run leaves those out by default).
AXE_RUN = """async () => {
  const rules = axe.getRules().map(r => r.ruleId);
  const result = await axe.run(document, {runOnly: {type: "rule", values: rules}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}));
}"""


def _violations(browser: Any, page_file: Path) -> list[str]:
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN)
    finally:
        page.close()
    return [f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:3]}" for v in violations]


@pytest.mark.browser
@pytest.mark.parametrize("name", [*(_name(*b) for b in BUILDS), "care"])
def test_axe_finds_no_violation(name: str, chromium: Any, built: dict[str, Path]) -> None:
    found = _violations(chromium, built[name])
    assert found == [], "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize("case", sorted({case for case, _ in combinations()}))
def test_an_embedded_letter_opens_on_its_own(
    case: str, chromium: Any, built: dict[str, Path], tmp_path: Path
) -> None:
    journal = next(j for c, j in combinations() if c == case)
    alone = tmp_path / "letter.html"
    shutil.copyfile(built[_name(case, journal, True)], alone)
    page = chromium.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on(
        "request",
        lambda r: None if r.url.startswith(("data:", alone.as_uri())) else failed.append(r.url),
    )
    page.goto(alone.as_uri())
    page.wait_for_load_state("load")
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    styled = page.eval_on_selector("h1", "h => getComputedStyle(h).fontFamily")
    page.close()
    assert widths and all(w > 0 for w in widths)
    assert "Liberation" in styled
    assert failed == []
