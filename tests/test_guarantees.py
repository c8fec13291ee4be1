"""What casereport promises about untrusted case folders, each proven by running it.

See SECURITY.md. The builds here are real: real files, WeasyPrint, Pillow and a listener on
127.0.0.1 that must never be contacted.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casereport import build_case, load_case
from casereport.errors import CaseError
from casereport.journal import PACKAGE_DIR, builtin_templates
from tests.conftest import DEMO, ROOT, SMALL_CASE
from tests.safety import unsafe_html

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/etc/fonts",
    "/usr/share/fontconfig",
    "/var/cache/fontconfig",
    str(Path.home() / ".cache" / "fontconfig"),
    str(Path.home() / ".fonts"),
    str(Path.home() / ".local" / "share" / "fonts"),
)
DEVICES = ("/dev/null", "/dev/urandom")
AF_UNIX = "1, 1, 0)"  # socket.__new__(sock, family=AF_UNIX, type=SOCK_STREAM, proto=0)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP listener on 127.0.0.1; the list collects whatever connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            seen.append(str(address))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def _hostile_case(make_case: Callable[..., Path], port: int) -> Path:
    url = f"http://127.0.0.1:{port}"
    body = (
        f'<img src="{url}/img.png"> <link rel="stylesheet" href="{url}/x.css"> '
        f"[link]({url}/link) ![image]({url}/image.png) <{url}/auto> {{{{ 7*7 }}}} "
        f'<iframe src="file:///etc/passwd"></iframe> <a href="javascript:alert(1)">x</a> '
        "First claim"
    )
    text = SMALL_CASE.replace("First claim", body).replace(
        '    volume: "1"', f'    volume: "1"\n    URL: {url}/ref\n    DOI: 10.1000/xyz'
    )
    return make_case(text)


def _audited(case: Path, out: Path, *options: str) -> tuple[str, list[dict[str, str]]]:
    log = out.parent / "audit.log"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "audit_build.py"),
            str(case),
            str(out),
            str(log),
            *options,
        ],
        capture_output=True,
        text=True,
        cwd=case.parent,
        check=True,
    )
    events = [json.loads(line) for line in log.read_text().splitlines()]
    return done.stdout.strip(), events


def _allowed_roots(case: Path, out: Path, *extra: Path) -> tuple[str, ...]:
    roots = [
        case.parent,
        out,
        Path(os.environ["CASEREPORT_CACHE_DIR"]),  # the user's build cache (this test's own)
        PACKAGE_DIR,
        builtin_templates(),
        Path(sys.prefix),
        Path(sys.base_prefix),
        *extra,
    ]
    return (*(str(r.resolve()) for r in roots), *FONT_DIRS, *DEVICES)


def _check_events(
    events: list[dict[str, str]], cwd: Path, roots: tuple[str, ...], out: Path
) -> None:
    for event in events:
        if event["event"] == "open":
            path = os.path.realpath(cwd / event["path"])
            assert path.startswith(roots), f"opened {path}"
            if any(flag in event["mode"] for flag in "wax+") or event["mode"].isdigit():
                ours = (str(out.resolve()), os.path.realpath(os.environ["CASEREPORT_CACHE_DIR"]))
                written = path.startswith(ours) or path in DEVICES
                mode = int(event["mode"]) if event["mode"].isdigit() else 0
                assert written or not mode & (os.O_WRONLY | os.O_RDWR), f"wrote {path}"
        else:
            assert event["event"] == "socket.__new__" and event["args"].endswith(AF_UNIX), event


def test_build_reads_only_its_files_and_never_the_network(
    make_case: Callable[..., Path], listener: tuple[int, list[str]], tmp_path: Path
) -> None:
    port, seen = listener
    case = _hostile_case(make_case, port)
    out = tmp_path / "out"
    status, events = _audited(case, out)
    assert status == "ok"
    assert any(e["event"] == "open" and e["path"].endswith("a.jpg") for e in events)
    _check_events(events, case.parent, _allowed_roots(case, out), out)
    time.sleep(0.3)
    assert seen == []
    html = (out / "letter.html").read_text(encoding="utf-8")
    assert unsafe_html(html) == []
    # prose is not a template: no 49 printed (the listener's port may hold "49": left out)
    assert "{{ 7*7 }}" in html and "49" not in html.replace(f":{port}", ":PORT")


def test_demo_build_audited(tmp_path: Path) -> None:
    out = tmp_path / "out"
    status, events = _audited(DEMO / "case.yaml", out)
    assert status == "ok"
    _check_events(events, DEMO, _allowed_roots(DEMO / "case.yaml", out), out)


def test_hostile_template_cannot_fetch(
    make_case: Callable[..., Path], listener: tuple[int, list[str]], tmp_path: Path
) -> None:
    port, seen = listener
    templates = tmp_path / "templates" / "clin-exp-rheumatol"
    templates.mkdir(parents=True)
    (templates / "letter.html.j2").write_text(
        '{% extends "!builtin/clin-exp-rheumatol/letter.html.j2" %}{% block header %}'
        f'<img src="http://127.0.0.1:{port}/x.png"><img src="/etc/hostname">{{% endblock %}}',
        encoding="utf-8",
    )
    case = make_case()
    out = tmp_path / "out"
    status, events = _audited(case, out, "--templates", str(tmp_path / "templates"))
    assert status.startswith("error: PDF: refused to load 'http://127.0.0.1:")
    _check_events(events, case.parent, _allowed_roots(case, out, tmp_path / "templates"), out)
    assert not (out / "letter.pdf").exists()
    time.sleep(0.3)
    assert seen == []


def test_pdf_has_no_attachments_scripts_or_outside_text(tmp_path: Path, demo_build: Path) -> None:
    from pypdf import PdfReader

    pdf = demo_build / "letter.pdf"
    assert not PdfReader(pdf).attachments
    expanded = tmp_path / "expanded.pdf"
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(expanded)], check=True
    )
    raw = expanded.read_bytes()
    for key in (b"/EmbeddedFile", b"/JavaScript", b"/Launch", b"/JS ", b"/URI (file:"):
        assert key not in raw, key
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert Path("/etc/hostname").read_text().strip() not in text


def test_outputs_carry_no_photo_metadata(demo_build: Path) -> None:
    figure = demo_build / "figures" / "figure-1.jpg"
    done = subprocess.run(
        ["exiftool", "-j", "-a", "-G1", str(figure)], capture_output=True, text=True, check=True
    )
    (tags,) = json.loads(done.stdout)
    groups = {key.split(":")[0] for key in tags if ":" in key}
    assert groups <= {"ExifTool", "System", "File", "JFIF", "Composite"}, groups
    for source in DEMO.glob("*.jpg"):
        original = source.read_bytes()
        done = subprocess.run(
            ["exiftool", "-GPSLatitude", "-s3", str(source)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip(), "the demo photos should carry GPS to be stripped"
        pdf = (demo_build / "letter.pdf").read_bytes()
        for start in (2_000, len(original) // 2):
            assert original[start : start + 64] not in pdf


def test_pdf_embeds_the_composed_figure_only(demo_build: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    with Image.open(demo_build / "figures" / "figure-1.jpg") as figure:
        size = figure.size
    pages = PdfReader(demo_build / "letter.pdf").pages
    images = {(image.name, image.image.size) for page in pages for image in page.images}
    assert [found for _, found in images] == [size]


def _outputs_complete(out: Path) -> None:
    from pypdf import PdfReader

    html = out / "letter.html"
    if html.exists():
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    pdf = out / "letter.pdf"
    if pdf.exists():
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
        assert len(PdfReader(pdf).pages) >= 1


def test_sigkill_never_leaves_a_partial_output(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(DEMO, case)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "casereport", "build", str(case), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    delays = [0.05 * i for i in range(1, 17)]
    for i, delay in enumerate(delays):
        (case / "case.yaml").write_text(
            text.replace("We describe", f"Edit {i}: we describe"), encoding="utf-8"
        )
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()
        process.wait()
        time.sleep(0.05)  # the PDF worker notices its parent is gone
        _outputs_complete(out)
    subprocess.run(command, check=True, capture_output=True)
    _outputs_complete(out)
    assert not list(out.rglob(".*.tmp"))


def test_failed_build_leaves_previous_outputs(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    case = make_case()
    out = tmp_path / "out"
    build_case(case, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    case.write_text(SMALL_CASE.replace("title: A small test letter", "title: [broken"))
    with pytest.raises(CaseError):
        build_case(case, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    assert after == before
    assert len(PdfReader(out / "letter.pdf").pages) == 1


@pytest.mark.parametrize(
    "name",
    ["yaml-alias-bomb", "yaml-deep-nesting", "image-decompression-bomb", "prose-huge-paragraph"],
)
def test_bombs_fail_within_a_second(name: str, tmp_path: Path) -> None:
    entry = ROOT / "tests" / "catalogue" / name
    case = tmp_path / "case"
    shutil.copytree(ROOT / "tests" / "catalogue" / "_base", case)
    for item in entry.iterdir():
        if item.suffix in (".yaml", ".png"):
            shutil.copyfile(item, case / item.name)
    started = time.perf_counter()
    with pytest.raises(CaseError):
        build_case(case, tmp_path / "out", formats=("html",))
    assert time.perf_counter() - started < 1.0


def test_oversized_case_file_fails_fast(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("title: x\nbody: |\n" + "  word\n" * 500_000)
    started = time.perf_counter()
    with pytest.raises(CaseError, match="the limit is 2,000,000"):
        load_case(tmp_path)
    assert time.perf_counter() - started < 1.0


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casereport", *args], capture_output=True, text=True
    )


def test_time_ceiling(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("build", str(DEMO), "-o", str(out), "--html-only").returncode == 0
    before = (out / "letter.html").read_bytes()
    done = _cli("build", str(DEMO), "-o", str(out), "--timeout", "0.05")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: the build took longer than --timeout 0.05 s and was stopped"
    ]
    assert (out / "letter.html").read_bytes() == before
    assert not (out / "letter.pdf").exists()


def test_memory_ceiling(tmp_path: Path) -> None:
    done = _cli("build", str(DEMO), "-o", str(tmp_path / "out"), "--max-memory", "64")
    assert done.returncode == 1
    # the PDF process runs out of it (fontconfig may say so first, on a line of its own)
    assert done.stderr.splitlines()[-1] == (
        "error: the build needed more than --max-memory 64 MiB and was stopped"
    )
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "letter.html").exists()


def test_a_cache_in_the_build_folder_is_never_read(
    make_case: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15, item 2: a build folder inside the case folder (`casereport build .`) could
    carry a doctored cache — compiled templates that ran a shell command, a reference list
    with a script, a figure with GPS tags — and the next build trusted it. The cache now
    lives in the user's cache folder: whatever sits in `<build>/.cache` is never opened,
    even under the names of real entries, and even when the user's cache is empty."""
    case = make_case()
    out = case.parent / "build"
    build_case(case, out, formats=("html", "pdf", "figures"))
    cache = Path(os.environ["CASEREPORT_CACHE_DIR"])
    assert cache.stat().st_mode & 0o077 == 0, "the cache folder is the user's alone"
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} >= {"figures", "bibliography", "jinja"}
    planted = out / ".cache"
    for entry in entries:
        doctored = planted / entry.relative_to(cache)
        doctored.parent.mkdir(parents=True, exist_ok=True)
        doctored.write_bytes(b'<script>alert(1)</script> import os; os.system("touch x")')
    monkeypatch.setenv("CASEREPORT_CACHE_DIR", str(tmp_path / "empty-cache"))
    status, events = _audited(case, out)
    assert status == "ok"
    opened = [os.path.realpath(case.parent / e["path"]) for e in events if e["event"] == "open"]
    assert [p for p in opened if p.startswith(str(planted))] == []
    assert any(p.startswith(str(tmp_path / "empty-cache")) for p in opened)
    assert unsafe_html((out / "letter.html").read_text(encoding="utf-8")) == []


# Files a case may name that must be refused without being opened: kernel files, devices,
# a FIFO (an `open` of it blocks until a writer comes), and links leading out of the folder.
def _special_files(folder: Path, variant: str) -> None:
    if variant == "bibliography":
        (folder / "zero.json").symlink_to("/dev/zero")
        (folder / "environ.json").symlink_to("/proc/self/environ")
        os.mkfifo(folder / "references.json")
        (folder / "references.lock.json").symlink_to("/proc/self/environ")
        (folder / "b.jpg").unlink()
        (folder / "b.jpg").symlink_to("/dev/zero")
        names = "[/proc/self/environ, zero.json, references.json, environ.json, /dev/zero]"
        text = (folder / "case.yaml").read_text() + f"bibliography: {names}\n"
        (folder / "case.yaml").write_text(text)
    elif variant == "style":
        os.mkfifo(folder / "references.lock.json")
        (folder / "evil.csl").symlink_to("/dev/zero")
        (folder / "case.yaml").write_text((folder / "case.yaml").read_text() + "style: evil.csl\n")
    elif variant == "valid":  # a good case, built (watch and serve: the PDF too)
        return
    else:  # the case file itself, a link to another folder's case
        elsewhere = folder.parent.parent / "elsewhere"
        elsewhere.mkdir()
        (folder / "case.yaml").rename(elsewhere / "case.yaml")
        (folder / "case.yaml").symlink_to(elsewhere / "case.yaml")


MODES = {
    "validate": ("validate", "{case}"),
    "build": ("build", "{case}", "-o", "{out}"),
    "watch": ("build", "{case}", "-o", "{out}", "--watch"),
    "batch": ("build", "{cases}", "-o", "{out}", "-j", "1"),
    "serve": ("serve", "{case}", "-o", "{out}", "--port", "0", "--no-open"),
}


def _limit_memory() -> None:  # so that a read of /dev/zero fails instead of swamping the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, resource.RLIM_INFINITY))


@pytest.mark.parametrize("variant", ["bibliography", "style", "case-file", "valid"])
@pytest.mark.parametrize("mode", list(MODES))
def test_no_mode_opens_a_special_file_or_one_outside_the_case(
    make_case: Callable[..., Path], tmp_path: Path, mode: str, variant: str
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    case = make_case(name="cases/hostile").parent
    _special_files(case, variant)
    out, log = tmp_path / "out", tmp_path / "audit.log"
    values = {"case": str(case), "cases": str(cases), "out": str(out)}
    args = [part.format(**values) for part in MODES[mode]]
    seconds = 60.0  # at most: a long-lived mode is stopped once its first build is done
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "audit_cli.py"), str(log), str(seconds), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert ("error:" in done.stderr) == (variant != "valid"), done.stderr
    if mode not in ("watch", "serve"):
        assert done.returncode == (0 if variant == "valid" else 1), done.stderr
    letter = out / "hostile" / "letter.pdf" if mode == "batch" else out / "letter.pdf"
    assert letter.exists() == (variant == "valid" and mode != "validate")
    roots = _allowed_roots(case / "case.yaml", out)
    for event in (json.loads(line) for line in log.read_text().splitlines()):
        if event["path"] in (*DEVICES, f"/proc/{event['pid']}/status"):  # the ceilings' own
            continue
        assert event["kind"] in ("regular", "directory", "missing"), event
        assert event["path"].startswith(roots), event
        assert not event["path"].startswith(str(tmp_path / "elsewhere")), event


# Every mode honours --timeout and --max-memory, each build on its own, and says which
# ceiling it hit. The case: two panels of 81 million pixels (under Pillow's bomb limit),
# whose decoding takes some 2 s and 240 MB each (a small case: 0.2 s); for `validate`,
# 16 MB of bibliography.
CEILINGS = {
    "timeout": (
        ("--timeout", "1"),
        "error: the build took longer than --timeout 1 s and was stopped",
    ),
    "memory": (
        ("--max-memory", "64"),
        "error: the build needed more than --max-memory 64 MiB and was stopped",
    ),
}


@pytest.fixture(scope="module")
def big_panel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image

    path = tmp_path_factory.mktemp("big") / "big.png"
    Image.new("RGB", (9000, 9000), "gray").save(path, compress_level=1)
    return path


def _big_case(make_case: Callable[..., Path], big_panel: Path, name: str = "case") -> Path:
    text = SMALL_CASE.replace("a.jpg", "a.png").replace("b.jpg", "b.png")
    case = make_case(text, name=name, images=False)
    for panel in ("a.png", "b.png"):
        shutil.copyfile(big_panel, case.parent / panel)
    return case


def _until_error(process: subprocess.Popen[str], seconds: float = 60) -> list[str]:
    """The lines a long-lived command prints on stderr up to its first error line."""
    import queue

    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    stream = process.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while not any("error" in line for line in seen):
        seen.append(lines.get(timeout=max(0.1, deadline - time.monotonic())).rstrip("\n"))
    return seen


@pytest.mark.parametrize("ceiling", list(CEILINGS))
@pytest.mark.parametrize("mode", ["watch", "serve"])
def test_long_lived_modes_honour_the_ceilings(
    make_case: Callable[..., Path], big_panel: Path, tmp_path: Path, mode: str, ceiling: str
) -> None:
    case = _big_case(make_case, big_panel)
    option, expected = CEILINGS[ceiling]
    command = (
        ["build", str(case), "--watch", "--html-only"]
        if mode == "watch"
        else ["serve", str(case), "--port", "0", "--no-open"]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "casereport", *command, "-o", str(tmp_path / "out"), *option],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = _until_error(process)
        assert seen[-1] == f"  {expected}", seen
        assert not any("internal error" in line or "Traceback" in line for line in seen)
        assert not (tmp_path / "out" / "letter.html").exists()
        assert process.poll() is None  # the failed build did not stop the process
        from PIL import Image

        for panel in ("a.png", "b.png"):  # smaller panels: the next build is within bounds
            Image.new("RGB", (800, 600), "gray").save(case.parent / f"{panel}.tmp", "PNG")
            (case.parent / f"{panel}.tmp").replace(case.parent / panel)
        deadline = time.monotonic() + 60
        while not (tmp_path / "out" / "letter.html").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (tmp_path / "out" / "letter.html").exists()
    finally:
        process.send_signal(2)
        process.wait(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


@pytest.mark.parametrize("ceiling", list(CEILINGS))
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_honours_the_ceilings(
    make_case: Callable[..., Path], big_panel: Path, tmp_path: Path, jobs: str, ceiling: str
) -> None:
    (tmp_path / "cases").mkdir()
    _big_case(make_case, big_panel, name="cases/big")
    make_case(name="cases/small")
    option, expected = CEILINGS[ceiling]
    out = tmp_path / "out"
    cases = str(tmp_path / "cases")
    done = _cli("build", cases, "-o", str(out), "-j", jobs, "--html-only", *option)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert lines[lines.index("big: failed") + 1] == expected, lines
    assert "internal error" not in done.stderr
    assert (out / "small" / "letter.html").is_file()
    assert not (out / "big" / "letter.html").exists()


@pytest.mark.parametrize("ceiling", list(CEILINGS))
def test_validate_honours_the_ceilings(
    make_case: Callable[..., Path], tmp_path: Path, ceiling: str
) -> None:
    case = make_case(SMALL_CASE + "bibliography: many.json\n")
    item = {
        "type": "article-journal",
        "title": "A reference among very many",
        "author": [{"family": "Smith", "given": "J."}],
        "container-title-short": "J Test",
        "issued": {"date-parts": [[2020]]},
        "volume": "1",
        "page": "1-10",
    }
    items = [{**item, "id": f"ref{i}"} for i in range(70_000)]
    (case.parent / "many.json").write_text(json.dumps(items))
    option, expected = CEILINGS[ceiling]
    done = _cli("validate", str(case), *option)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [expected]


@pytest.mark.parametrize("ceiling", list(CEILINGS))
def test_one_build_says_which_ceiling_it_hit(
    make_case: Callable[..., Path], big_panel: Path, tmp_path: Path, ceiling: str
) -> None:
    # running out of memory in the build itself used to end as "internal error: CeilingHit"
    case = _big_case(make_case, big_panel)
    option, expected = CEILINGS[ceiling]
    done = _cli("build", str(case), "-o", str(tmp_path / "out"), "--html-only", *option)
    assert (done.returncode, done.stderr.splitlines()) == (1, [expected])
    assert not (tmp_path / "out" / "letter.html").exists()


def test_a_large_bibliography_is_read_in_linear_time() -> None:
    # each id's line was counted from the start of the file: 70,000 items (16 MB) took
    # more than 300 s to validate, the default --timeout
    from casereport.references.csl_json import _id_lines

    text = "[\n" + ",\n".join(f'{{"id": "ref{i}", "title": "{"x" * 200}"}}' for i in range(70_000))
    started = time.perf_counter()
    lines = _id_lines(text + "\n]")
    assert time.perf_counter() - started < 2.0
    assert (lines["ref0"], lines["ref69999"]) == (2, 70_001)
