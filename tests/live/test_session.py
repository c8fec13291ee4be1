"""The incremental pipeline: a Session rebuilds only what depends on what changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import build_case
from casereport.errors import CaseError
from casereport.live.session import Session
from casereport.memo import Memo, digest, stamps
from tests.conftest import SMALL_CASE

EVERY_STAGE = {"load", "validate", "prose", "resolve", "figures", "bibliography", "templates"}


def test_memo_reuses_and_records() -> None:
    memo = Memo(per_stage=2)
    calls: list[int] = []

    def compute(n: int) -> Callable[[], int]:
        return lambda: calls.append(n) or n * 10

    assert memo.get("s", 1, compute(1)) == 10
    assert memo.get("s", 1, compute(1)) == 10
    assert calls == [1] and memo.ran == ["s"]
    memo.start()
    memo.get("s", 2, compute(2))
    memo.get("s", 3, compute(3))  # evicts 1, the least recently used
    memo.get("s", 1, compute(1))
    assert calls == [1, 2, 3, 1]
    assert memo.ran == ["s", "s", "s"]
    assert memo.size() == 2


def test_memo_does_not_keep_failures() -> None:
    memo = Memo()

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.get("s", "k", fail)
    assert memo.get("s", "k", lambda: 5) == 5


def test_digest_and_stamps(tmp_path: Path) -> None:
    assert digest("ab", "c") != digest("a", "bc")
    file = tmp_path / "f"
    file.write_bytes(b"x")
    found, missing = stamps([file, tmp_path / "none"])
    assert found[0] == str(file) and found[1] == 1
    assert missing == (str(tmp_path / "none"),)


def test_first_build_runs_every_stage(make_case: Callable[..., Path], tmp_path: Path) -> None:
    session = Session(make_case(), tmp_path / "out")
    result = session.build(("html",))
    assert EVERY_STAGE | {"render"} <= set(result.ran)
    assert "pdf" not in result.ran


def test_body_edit_reruns_only_what_depends_on_the_body(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    session = Session(case, tmp_path / "out")
    session.build()
    case.write_text(SMALL_CASE.replace("First claim", "Initial claim"), encoding="utf-8")
    result = session.build()
    ran = ["load", "validate", "prose", "resolve", "assemble", "render", "pdf"]
    assert sorted(result.ran) == sorted(ran)
    assert result.ran.count("prose") == 1  # the body; the legend is unchanged
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert "Initial claim" in html and "First claim" not in html
    assert result.pages == 1


def test_unchanged_case_reruns_only_render_and_pdf(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    session = Session(make_case(), tmp_path / "out")
    session.build()
    assert session.build().ran == ("assemble", "render", "pdf")


def test_citation_order_change_reformats_the_bibliography(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    session = Session(case, tmp_path / "out")
    session.build(("html",))
    swapped = SMALL_CASE.replace(
        "First claim [@one]. Second claim [@two; @one].", "A [@two; @one]."
    )
    case.write_text(swapped, encoding="utf-8")
    result = session.build(("html",))
    assert "bibliography" in result.ran and "figures" not in result.ran
    html = (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    assert html.index("The second reference") < html.index("The first reference")


def test_replaced_image_recomposes_the_figure(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    from PIL import Image

    case = make_case()
    session = Session(case, tmp_path / "out")
    session.build(("html",))
    before = (tmp_path / "out" / "figures" / "figure-1.jpg").read_bytes()
    Image.new("RGB", (400, 300), "green").save(case.parent / "a.jpg")
    result = session.build(("html",))
    assert "figures" in result.ran and "bibliography" not in result.ran
    assert (tmp_path / "out" / "figures" / "figure-1.jpg").read_bytes() != before


def test_bibliography_file_edit_is_seen(make_case: Callable[..., Path], tmp_path: Path) -> None:
    text = SMALL_CASE.replace("First claim [@one].", "First claim [@one]. Third [@three].")
    case = make_case(text + "bibliography: refs.json\n")
    refs = case.parent / "refs.json"
    item = {"id": "three", "type": "book", "title": "Old title", "issued": {"date-parts": [[2019]]}}
    refs.write_text(json.dumps([item]), encoding="utf-8")
    session = Session(case, tmp_path / "out")
    session.build(("html",))
    refs.write_text(json.dumps([{**item, "title": "New title"}]), encoding="utf-8")
    session.build(("html",))
    assert "New title" in (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
    refs.unlink()
    with pytest.raises(CaseError, match=r"file 'refs\.json' not found"):
        session.build(("html",))


def test_deleted_image_fails_then_recovers(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    session = Session(case, tmp_path / "out")
    session.build(("html",))
    image = (case.parent / "b.jpg").read_bytes()
    (case.parent / "b.jpg").unlink()
    with pytest.raises(CaseError, match=r"'b\.jpg' not found"):
        session.build(("html",))
    (case.parent / "b.jpg").write_bytes(image)
    assert session.build(("html",)).outputs


def test_session_output_equals_one_shot_build(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    session = Session(case, tmp_path / "live")
    session.build()
    case.write_text(SMALL_CASE.replace("First claim", "Initial claim"), encoding="utf-8")
    session.build()
    build_case(case, tmp_path / "once")
    for name in ("letter.html", "build.json", "figures/figure-1.jpg", "letter.css"):
        live = (tmp_path / "live" / name).read_bytes()
        assert live == (tmp_path / "once" / name).read_bytes(), name


def test_memory_stays_bounded(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    session = Session(case, tmp_path / "out")
    for n in range(30):
        case.write_text(SMALL_CASE.replace("First claim", f"Claim {n}"), encoding="utf-8")
        session.build(("html",))
    assert session.memo.size() <= 8 * len(EVERY_STAGE)


def test_template_edit_is_seen(make_case: Callable[..., Path], tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "clin-exp-rheumatol"
    templates.mkdir(parents=True)
    override = '{% extends "!builtin/clin-exp-rheumatol/letter.html.j2" %}'
    page = templates / "letter.html.j2"
    page.write_text(override + "{% block declarations %}<p>One</p>{% endblock %}", "utf-8")
    session = Session(make_case(), tmp_path / "out", templates=tmp_path / "templates")
    session.build(("html",))
    page.write_text(override + "{% block declarations %}<p>Two, longer</p>{% endblock %}", "utf-8")
    session.build(("html",))
    assert "<p>Two, longer</p>" in (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")


def test_watched_folders(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    session = Session(case, tmp_path / "out", templates=tmp_path)
    watched = session.watched()
    assert watched[0] == case.parent.resolve()
    assert watched[1] == tmp_path.resolve()
    assert (watched[-1] / "clin-exp-rheumatol" / "journal.yaml").is_file()


def test_template_error_is_reported_and_recovered(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    from casereport.errors import BuildError

    templates = tmp_path / "templates" / "clin-exp-rheumatol"
    templates.mkdir(parents=True)
    page = templates / "letter.html.j2"
    page.write_text("{% block x %}unclosed", encoding="utf-8")
    session = Session(make_case(), tmp_path / "out", templates=tmp_path / "templates")
    with pytest.raises(BuildError, match=r"letter\.html\.j2:1: template error"):
        session.build(("html",))
    page.write_text("<p>{{ manuscript.title }}</p>", encoding="utf-8")
    session.build(("html",))
    assert (tmp_path / "out" / "letter.html").read_text(encoding="utf-8").startswith("<p>A small")


def _build_cache() -> Path:
    import os

    return Path(os.environ["CASEREPORT_CACHE_DIR"])


@pytest.mark.parametrize("deleted", ["build folder", "cache", "cache/figures"])
def test_rebuild_after_the_build_folder_is_deleted(
    make_case: Callable[..., Path], tmp_path: Path, deleted: str
) -> None:
    import shutil

    case = make_case()
    live = tmp_path / "live"
    session = Session(case, live)
    session.build(("html", "pdf", "figures"))
    folder = {"build folder": live, "cache": _build_cache()}.get(deleted)
    shutil.rmtree(folder or _build_cache() / "figures")
    session.build(("html", "pdf", "figures"))
    build_case(case, tmp_path / "once", formats=("html", "pdf", "figures"))
    names = ["letter.html", "build.json", "figures/figure-1.jpg", "letter.css"]
    names += ["submission/figure-1.tiff", "submission/legends.txt"]
    for name in names:
        assert (live / name).read_bytes() == (tmp_path / "once" / name).read_bytes(), name
    assert (live / "letter.pdf").read_bytes().startswith(b"%PDF-")


def test_rebuild_with_a_chart_after_the_cache_is_deleted(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import EXAMPLE

    session = Session(EXAMPLE, tmp_path / "live")
    session.build(("html",))
    shutil.rmtree(_build_cache())
    session.build(("html",))
    build_case(EXAMPLE, tmp_path / "once", formats=("html",))
    for name in ("letter.html", "figures/figure-1.jpg"):
        live = (tmp_path / "live" / name).read_bytes()
        assert live == (tmp_path / "once" / name).read_bytes(), name
    charts = sorted((tmp_path / "live" / "figures").glob("*.svg"))
    assert charts, "the example has a chart"
    for chart in charts:
        assert chart.read_bytes() == (tmp_path / "once" / "figures" / chart.name).read_bytes()


def test_template_edit_after_the_cache_is_deleted(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    import shutil

    templates = tmp_path / "templates" / "clin-exp-rheumatol"
    templates.mkdir(parents=True)
    override = '{% extends "!builtin/clin-exp-rheumatol/letter.html.j2" %}'
    page = templates / "letter.html.j2"
    page.write_text(override + "{% block declarations %}<p>One</p>{% endblock %}", "utf-8")
    session = Session(make_case(), tmp_path / "out", templates=tmp_path / "templates")
    session.build(("html",))
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(_build_cache() / "jinja")
    page.write_text(override + "{% block declarations %}<p>Two, longer</p>{% endblock %}", "utf-8")
    session.build(("html",))
    assert "<p>Two, longer</p>" in (tmp_path / "out" / "letter.html").read_text(encoding="utf-8")
