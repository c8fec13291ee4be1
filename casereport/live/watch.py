"""Watch a case and its templates, and rebuild on every save: for `serve` and `build --watch`.

Changes come from `watchfiles` (inotify on Linux, FSEvents on macOS, polling where neither
works), grouped until the files have been quiet for a moment, so an editor's save — often
a write to a temporary file and a rename — gives one rebuild. A rebuild never raises: its
error is part of what it reports, and the loop goes on to the next save.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Protocol

from casereport.build import BuildResult
from casereport.errors import BuildError, CasereportError

if TYPE_CHECKING:
    from casereport.live.session import Session

QUIET_MS = 50  # a save is complete when the files have been quiet this long
GROUP_MS = 400  # changes are grouped for at most this long
POLL_S = 0.3  # how often a removed case folder is looked for again
IDLE_MS = 200  # how often an idle watcher looks up (to notice a stop or a removed folder)
READY_S = 5.0  # at most this long to set up the watch
IGNORED = (r"\.tmp$", r"^4913$")  # temp files of builds (and of vim) beside the defaults


class Stop(Protocol):
    """Anything with `is_set()`, such as a `threading.Event`."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class Changes:
    """Files that changed (names relative to the folder watched), or the case went missing."""

    names: tuple[str, ...]
    case_missing: bool = False


@dataclass(frozen=True)
class Rebuild:
    """One build after a change: what changed, and the result or the error."""

    changed: tuple[str, ...]
    formats: tuple[str, ...]
    seconds: float
    finished: float = field(default_factory=time.time)
    result: BuildResult | None = None
    error: CasereportError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        """One line for the terminal: when, what changed, what was built and how long it took."""
        stamp = time.strftime("%H:%M:%S", time.localtime(self.finished))
        what = ", ".join(self.changed)
        built = "+".join(self.formats)
        if self.result is not None:
            warnings = len(self.result.warnings)
            note = f"{warnings} warning{'s' if warnings != 1 else ''}"
            return f"{stamp} {what}: built {built} in {self.seconds:.3f} s ({note})"
        return f"{stamp} {what}: {built} failed in {self.seconds:.3f} s ({self.summary()})"

    def diagnostics(self) -> tuple[str, ...]:
        """The lines the CLI prints for this rebuild: errors, else warnings."""
        if self.error is not None:
            return self.error.lines()
        return tuple(d.format() for d in self.result.warnings) if self.result else ()

    def summary(self) -> str:
        return self.error.summary() if self.error is not None else "ok"


def rebuild(session: Session, changed: Sequence[str], formats: Sequence[str]) -> Rebuild:
    """Build once; whatever goes wrong is reported in the Rebuild, never raised."""
    started = time.perf_counter()
    error: CasereportError | None = None
    result: BuildResult | None = None
    try:
        result = session.build(formats)
    except CasereportError as exc:
        error = exc
    except Exception as exc:  # a bug must not stop the server: report it and go on
        error = BuildError(f"internal error: {type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    return Rebuild(tuple(changed), tuple(formats), seconds, result=result, error=error)


def missing_message(session: Session) -> str:
    """What to say when the case folder (or its case file) is gone."""
    return (
        f"{session.case_file}: the case file or its folder was removed; "
        "waiting for it to come back (Ctrl-C to stop)"
    )


def watch_changes(
    session: Session, stop: Stop, ready: threading.Event | None = None
) -> Iterator[Changes]:
    """Each group of changes that calls for a rebuild, until `stop` is set; `ready` is set
    once the watch is in place (a change after that is never missed).

    When the case folder disappears this yields `case_missing` once, waits for it to come
    back and then yields the case file as changed.
    """
    ready = ready or threading.Event()
    while not stop.is_set():
        if not session.case_file.is_file():
            ready.set()
            yield Changes((session.case_file.name,), case_missing=True)
            if not _wait_for(session.case_file, stop):
                return
            yield Changes((session.case_file.name,))
            continue
        yield from _watch_until_missing(session, stop, ready)


def _watch_until_missing(session: Session, stop: Stop, ready: threading.Event) -> Iterator[Changes]:
    import watchfiles

    roots = [p for p in session.watched() if p.is_dir()]
    ignore = watchfiles.DefaultFilter(
        ignore_paths=[session.out_dir],
        ignore_entity_patterns=(*watchfiles.DefaultFilter.ignore_entity_patterns, *IGNORED),
    )
    for batch in watchfiles.watch(
        *roots,
        watch_filter=ignore,
        debounce=GROUP_MS,
        step=QUIET_MS,
        stop_event=stop,
        rust_timeout=IDLE_MS,
        yield_on_timeout=True,
        raise_interrupt=True,
    ):
        ready.set()  # the watcher exists: from here on every change is queued
        if not session.case_file.is_file():
            return
        names = _names(_lasting(batch), roots)
        if names:
            yield Changes(names)


class ChangeFeed:
    """`watch_changes` in a background thread, started before the first build so that a
    save made during it is not missed; changes that pile up during a build are merged."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._pending: deque[Changes] = deque()
        self._arrived = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="casereport-watch", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=READY_S)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for changes in watch_changes(self._session, self._stop, self._ready):
                    with self._arrived:
                        self._pending.append(changes)
                        self._arrived.notify()
            except Exception:  # the watcher failed (a watched folder vanished): start again
                self._ready.set()
                time.sleep(POLL_S)

    def next(self, timeout: float) -> Changes | None:
        """The next change (runs of ordinary changes merged into one), or None."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: bool(self._pending), timeout):
                return None
            first = self._pending.popleft()
            names = set(first.names)
            while not first.case_missing and self._pending and not self._pending[0].case_missing:
                names.update(self._pending.popleft().names)
        return first if first.case_missing else Changes(tuple(sorted(names)))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=READY_S)


def _lasting(batch: set[tuple[Any, str]]) -> set[Path]:
    """The changed paths, less the files that came and went within the batch (an editor's
    or a tool's temporary files)."""
    from watchfiles import Change

    added = {path for change, path in batch if change == Change.added}
    return {Path(p) for _, p in batch if p not in added or Path(p).exists()}


def _wait_for(path: Path, stop: Stop) -> bool:
    """Wait until `path` exists again (True) or `stop` is set (False)."""
    while not stop.is_set():
        if path.is_file():
            time.sleep(QUIET_MS / 1000)  # let the restore finish
            return True
        time.sleep(POLL_S)
    return False


def _names(paths: set[Path], roots: Sequence[Path]) -> tuple[str, ...]:
    """Changed files named relative to the folder watched, in a stable order."""
    names = set()
    for path in paths:
        root = next((r for r in roots if path.is_relative_to(r)), None)
        names.add(str(path.relative_to(root)) if root else str(path))
    return tuple(sorted(names))


def live_loop(
    session: Session,
    phases: Sequence[Sequence[str]],
    report: Callable[[Rebuild], None],
    missing: Callable[[str], None],
    stop: Stop,
) -> None:
    """Build now, then after every change, in `phases` (e.g. the HTML first, then the PDF
    too); a phase that fails skips the ones after it. Runs until `stop` is set (or Ctrl-C)."""
    feed = ChangeFeed(session)
    interrupted = threading.Event()
    try:
        with _interrupts_noted(interrupted):
            _build_phases(session, ("start",), phases, report)
            while not stop.is_set():
                if interrupted.is_set():
                    raise KeyboardInterrupt
                changes = feed.next(timeout=IDLE_MS / 1000)
                if changes is None:
                    continue
                if changes.case_missing:
                    missing(missing_message(session))
                    continue
                _build_phases(session, changes.names, phases, report)
    finally:
        feed.close()


@contextmanager
def _interrupts_noted(interrupted: threading.Event) -> Iterator[None]:
    """Ctrl-C stops the loop even when its KeyboardInterrupt is lost. Python raises it
    wherever the main thread is when the signal arrives, and one raised inside a finalizer
    (a `__del__` run by the garbage collector: WeasyPrint's FontConfiguration has one) is
    printed and dropped. The handler notes the signal first, and the loop raises again."""
    main = threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield  # not ours to handle (a thread, or Ctrl-C ignored or taken by the caller)
        return

    def note(signum: int, frame: FrameType | None) -> None:
        interrupted.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _build_phases(
    session: Session,
    changed: Sequence[str],
    phases: Sequence[Sequence[str]],
    report: Callable[[Rebuild], None],
) -> None:
    for formats in phases:
        result = rebuild(session, changed, formats)
        report(result)
        if not result.ok:
            return
