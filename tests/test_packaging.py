"""The built wheel carries the journal templates inside the package, so casereport works
from any directory once installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import DEMO, ROOT


def test_wheel_ships_templates_and_builds_from_elsewhere(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            str(ROOT),
            "-w",
            str(tmp_path / "wheel"),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "wheel").glob("casereport-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in ("letter.html.j2", "style.css", "style.csl", "journal.yaml"):
        assert f"casereport/templates/clin-exp-rheumatol/{name}" in names
    assert "casereport/py.typed" in names
    assert "casereport/schemas/manuscript.schema.json" in names
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run(
        [sys.executable, "-c", "import casereport.journal as j; print(j.builtin_templates())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.strip() == str(tmp_path / "site" / "casereport" / "templates")
    done = subprocess.run(
        [sys.executable, "-m", "casereport", "build", str(DEMO), "--html-only"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "anifrolumab-alopecia" / "letter.html").is_file()
