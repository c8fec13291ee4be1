"""A reference library outside the case folder (a Zotero export): used only when named, with
`--bibliography` or in the user's configuration file; only the entries the case cites are
copied into its lock file, so the case builds the same without the library afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SMALL_CASE, run_cli

LIBRARY = """\
@article{zotero2019,
  author = {Rossi, Maria and Bianchi, Luca},
  title = {A reference from the library},
  journal = {J Lib},
  year = {2019},
  volume = {4},
  pages = {11--19},
}

@article{another2018,
  author = {Verdi, Giuseppe},
  title = {Not cited by the case},
  journal = {J Lib},
  year = {2018},
}

@article{broken2017,
  title = {An entry nobody cites, with a field {unbalanced,
}
"""


@pytest.fixture
def case(make_case: Callable[..., Path]) -> Path:
    text = SMALL_CASE.replace("Second claim [@two; @one].", "Second claim [@two; @zotero2019].")
    return make_case(text).parent


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = folder / "My Library.bib"
    path.write_text(LIBRARY, encoding="utf-8")
    return path


def test_without_the_library_the_key_is_unknown(case: Path, tmp_path: Path) -> None:
    done = run_cli("build", str(case), "--to", "html", cwd=tmp_path)
    assert done.returncode == 1
    assert "unknown reference 'zotero2019'" in done.stderr
    assert ":9:" in done.stderr.splitlines()[0] or "body" in done.stderr


def test_a_named_library_fills_the_lock_file_with_only_what_is_cited(
    case: Path, library: Path, tmp_path: Path
) -> None:
    done = run_cli("build", str(case), "--to", "html", "--bibliography", str(library), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lock = json.loads((case / "references.lock.json").read_text(encoding="utf-8"))
    assert list(lock["references"]) == ["zotero2019"]
    assert lock["references"]["zotero2019"]["title"] == "A reference from the library"
    html = (tmp_path / "build" / "case" / "letter.html").read_text(encoding="utf-8")
    assert "A reference from the library" in html and "Not cited" not in html
    # the case folder is self-contained now: without the library, the same letter
    library.unlink()
    again = run_cli("build", str(case), "--to", "html", "-o", str(tmp_path / "again"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "letter.html").read_text(encoding="utf-8") == html


def test_the_configuration_file_names_libraries(
    case: Path, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config-home" / "casereport" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"bibliographies:\n  - {library}\n", encoding="utf-8")
    done = run_cli("validate", str(case), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "zotero2019" in (case / "references.lock.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("bibliographies: [", "not valid YAML"),
        ("libraries: [a.bib]\n", "unknown key 'libraries' (known: bibliographies)"),
        ("bibliographies: {a: 1}\n", "bibliographies: a list of file paths"),
        (
            "bibliographies: [/nowhere/lib.bib]\n",
            "bibliographies[0]: /nowhere/lib.bib: no such file",
        ),
        ("- a\n", "expected a mapping"),
    ],
)
def test_a_bad_configuration_is_a_one_line_usage_error(
    case: Path, tmp_path: Path, config: str, message: str
) -> None:
    path = tmp_path / "config-home" / "casereport" / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(config, encoding="utf-8")
    done = run_cli("build", str(case), "--to", "html", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(path) in done.stderr and message in done.stderr
    assert not (tmp_path / "build").exists()


def test_a_missing_library_is_a_one_line_usage_error(case: Path, tmp_path: Path) -> None:
    done = run_cli("build", str(case), "--bibliography", str(tmp_path / "none.bib"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: --bibliography {tmp_path / 'none.bib'}: no such file"
