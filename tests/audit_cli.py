"""Run one casereport command under an audit hook and log every file opened.

    python tests/audit_cli.py LOG SECONDS casereport-arguments…

Each `open` is one JSON line appended to LOG, with the kind of file it was when opened
(`regular`, `directory`, `fifo`, `device`, `missing`, …), looked up before the open goes
ahead, so a FIFO that would block the open is still logged. Long-lived commands (`serve`,
`build --watch`) are stopped with Ctrl-C (KeyboardInterrupt) once their first build has
finished (its last phase printed, built or failed), or after SECONDS at most; the exit code
and the output of the command are those of `casereport`.
"""

from __future__ import annotations

import _thread
import io
import json
import os
import signal
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _kind(path: str) -> str:
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return "missing"
    for test, name in (
        (stat.S_ISREG, "regular"),
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISBLK, "device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "other"


def main() -> None:
    log, seconds, args = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    recording = [False]

    def hook(event: str, hook_args: tuple[Any, ...]) -> None:
        if not recording[0] or event != "open":
            return
        if not isinstance(hook_args[0], str | bytes | os.PathLike):
            return
        path = os.fsdecode(hook_args[0])
        record = {
            "path": os.path.realpath(path),
            "kind": _kind(path),
            "mode": str(hook_args[1]),
            "pid": os.getpid(),
        }
        os.write(fd, (json.dumps(record) + "\n").encode())

    signal.signal(signal.SIGINT, signal.default_int_handler)  # interrupt_main needs it
    sys.addaudithook(hook)
    from casereport.cli import main as casereport

    first_build = threading.Event()
    sys.stdout = _Watching(sys.stdout, first_build)

    def stop() -> None:
        if first_build.wait(seconds):
            time.sleep(0.3)
        _thread.interrupt_main()

    threading.Thread(target=stop, daemon=True).start()
    recording[0] = True
    try:
        casereport(args)
    finally:
        recording[0] = False
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_code(sys.exc_info()[1]))


class _Watching(io.StringIO):
    """Standard output, passed through, noticing the line of a long-lived command's first
    build once it is complete: "start: … failed", or "start: built …" with the PDF."""

    def __init__(self, stream: Any, seen: threading.Event) -> None:
        super().__init__()
        self._stream, self._seen = stream, seen

    def write(self, text: str) -> int:
        first = "start: " in text
        if first and ("failed" in text or ("built" in text and "pdf" in text)):
            self._seen.set()
        return int(self._stream.write(text))

    def flush(self) -> None:
        self._stream.flush()


def _code(error: BaseException | None) -> int:
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else 1
    return 0 if error is None else 3


if __name__ == "__main__":
    main()
