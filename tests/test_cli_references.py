"""The command line for references: `styles`, `--style`, `--offline`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO, SMALL_CASE, run_cli


def test_styles_lists_and_searches() -> None:
    done = run_cli("styles", "nlm", "citation", "sequence")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("nlm-citation-sequence  ") for line in lines)
    assert "nlm-citation-sequence-superscript" in done.stdout
    assert all("nlm" in line.lower() for line in lines)
    assert done.stderr.strip() == f"{len(lines)} styles"
    dependent = run_cli("styles", "annals of the rheumatic diseases").stdout
    assert (
        "annals-of-the-rheumatic-diseases  Annals of the Rheumatic Diseases  [uses bmj]"
        in dependent
    )


def test_style_option_switches_the_letter(tmp_path: Path) -> None:
    done = run_cli(
        "build",
        str(DEMO),
        "--html-only",
        "--style",
        "elsevier-vancouver",
        "-o",
        "out",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert '[<a href="#ref-4">4</a>,<a href="#ref-5">5</a>]</span>' in html
    assert '<span class="label">[1]</span> Dai X, Fan Y, Zhao X.' in html


def test_unknown_style_option_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("validate", str(DEMO), "--style", "nlm-citation-sequnce", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "error: --style: unknown style 'nlm-citation-sequnce'; did you mean 'nlm-citation-sequence'"
    )


def test_offline_missing_identifier_exits_1(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE.replace("[@one]", "[@pmid:31851795]"))
    done = run_cli("build", str(case), "--offline", "--html-only")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"{case}:11:16: error: body: pmid:31851795 is not in references.lock.json "
        "and --offline forbids looking it up"
    )
    assert "Traceback" not in done.stderr
    assert not (case.parent / "references.lock.json").exists()
