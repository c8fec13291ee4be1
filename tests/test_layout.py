"""The package's layout holds: no import cycle, domains never import a stage, modules stay short.

The import graph is read from the source with `ast` (every import, at module level, inside
functions and under `TYPE_CHECKING`), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "casereport"
DOMAINS = ("references", "figures", "clinical", "export", "live", "care", "privacy")
STAGES = (
    "validate",
    "crosscheck",
    "structure",
    "resolve",
    "timepoints",
    "checks",
    "assemble",
    "build",
    "cli",
)
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = _modules()


def _imported(name: str, path: Path) -> Iterator[str]:
    """Every casereport module that `name` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target not in (name, "casereport"):
                yield target


GRAPH = {name: set(_imported(name, path)) for name, path in MODULES.items()}


def _cycle_from(start: str) -> list[str] | None:
    """A path of imports from `start` back to it, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        name, path = stack.pop()
        for target in GRAPH[name]:
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_no_import_cycle() -> None:
    cycles = [cycle for name in GRAPH if (cycle := _cycle_from(name))]
    assert cycles == []


def test_domains_never_import_a_stage() -> None:
    """A domain (`references/`, `figures/`, …) takes stage values (`model`, `numbered`) but
    never imports a stage; only `live/`, which drives builds, imports `build`."""
    stages = {f"casereport.{stage}" for stage in STAGES}
    found = {
        (name, target)
        for name, targets in GRAPH.items()
        if name.split(".")[1:2] and name.split(".")[1] in DOMAINS
        for target in targets & stages
        if not (name.startswith("casereport.live.") and target == "casereport.build")
    }
    assert found == set()


def test_clinical_data_imports_no_other_domain() -> None:
    """`figures/` reads `clinical/`, never the reverse (shared/house-style.md)."""
    found = {
        (name, target)
        for name, targets in GRAPH.items()
        if name.startswith("casereport.clinical")
        for target in targets
        if target.split(".")[1] in DOMAINS and not target.startswith("casereport.clinical")
    }
    assert found == set()


def test_no_module_is_over_400_lines() -> None:
    lines = {name: path.read_text(encoding="utf-8").count("\n") for name, path in MODULES.items()}
    assert {name: n for name, n in lines.items() if n > MAX_LINES} == {}
