"""The command line: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO, SMALL_CASE, run_cli


def test_validate_demo() -> None:
    done = run_cli("validate", str(DEMO))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("case.yaml: valid (0 warnings)")


def test_validate_errors_exit_1(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE.replace("title:", "titel:", 1).replace("b.jpg", "after.jpg"))
    done = run_cli("validate", str(case))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{case}:1:1: error: title: required field is missing",
        f"{case}:1:1: error: titel: unknown field 'titel'; did you mean 'title'?",
        f"{case}:21:17: error: figures[0].panels[1].image: figure 'f', panel B: "
        "file 'after.jpg' not found",
        "3 errors; nothing was written.",
    ]
    assert "Traceback" not in done.stderr


def test_yaml_syntax_error(make_case: Callable[..., Path]) -> None:
    case = make_case("title: [oops\nauthors: []\n")
    done = run_cli("build", str(case))
    assert done.returncode == 1
    assert done.stderr.startswith(f"{case}:2:8: error: YAML syntax error: ")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", str(tmp_path / "nowhere")).returncode == 2
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("build").returncode == 2


def test_build_from_another_directory(tmp_path: Path) -> None:
    done = run_cli("build", str(DEMO), "--html-only", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "anifrolumab-alopecia" / "letter.html").is_file()
    assert done.stdout.startswith(f"built {tmp_path / 'build' / 'anifrolumab-alopecia'}")


def test_help_and_version() -> None:
    assert "build" in run_cli("--help").stdout
    assert run_cli("--version").stdout.strip() == "casereport, version 0.1.0"


def test_strict_makes_warnings_errors_and_writes_nothing(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    """`--strict`, as `mkdocs build --strict`: a warning fails the build, exit 1, and the
    previous outputs stay as they were."""
    uncited = SMALL_CASE.replace("Second claim [@two; @one]", "Second claim [@one]")
    case = make_case(uncited)
    out = tmp_path / "out"
    assert run_cli("build", str(case), "-o", str(out), "--html-only").returncode == 0
    before = (out / "letter.html").read_bytes()
    case.write_text(uncited.replace("First claim", "Claim"), encoding="utf-8")
    done = run_cli("build", str(case), "-o", str(out), "--html-only", "--strict")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{case}:31:9: error: references[1].id: reference 'two' is never cited",
        "1 error; nothing was written.",
    ]
    assert (out / "letter.html").read_bytes() == before
    plain = run_cli("validate", str(case))
    assert plain.returncode == 0 and "warning: references[1].id" in plain.stderr
    strict = run_cli("validate", str(case), "--strict")
    assert strict.returncode == 1 and "error: references[1].id" in strict.stderr


def test_template_runtime_error_names_the_template_line(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    templates = tmp_path / "templates" / "clin-exp-rheumatol"
    templates.mkdir(parents=True)
    template = templates / "letter.html.j2"
    template.write_text(
        '{% extends "!builtin/clin-exp-rheumatol/letter.html.j2" %}\n'
        "{% block declarations %}\n"
        "<p>{{ title | int // 0 }}</p>\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    done = run_cli(
        "build",
        str(make_case()),
        "-o",
        str(tmp_path / "out"),
        "--templates",
        str(tmp_path / "templates"),
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{template}:3: error: template error: ZeroDivisionError: "
        "integer division or modulo by zero"
    ]
