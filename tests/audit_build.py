"""Run one build under an audit hook and log every file opened and every network call.

    python tests/audit_build.py CASE OUT LOG [--html-only] [--templates DIR]

Each event is one JSON line appended to LOG through a descriptor opened before the build,
so the forked PDF worker, which inherits hook and descriptor, logs its events too.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

NETWORK = ("socket.", "urllib.", "http.client.", "ftplib.", "smtplib.", "webbrowser.")


def main() -> None:
    case, out, log = (Path(arg) for arg in sys.argv[1:4])
    options = sys.argv[4:]
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    recording = [False]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if not recording[0]:
            return
        if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            record = {"event": "open", "path": os.fsdecode(args[0]), "mode": str(args[1])}
        elif event.startswith(NETWORK):
            record = {"event": event, "args": repr(args)[:200]}
        else:
            return
        os.write(fd, (json.dumps(record) + "\n").encode())

    sys.addaudithook(hook)
    from casereport import build_case
    from casereport.errors import CasereportError

    templates = (
        Path(options[options.index("--templates") + 1]) if "--templates" in options else None
    )
    formats = ("html",) if "--html-only" in options else ("html", "pdf")
    recording[0] = True
    try:
        build_case(case, out, formats=formats, templates=templates)
        status = "ok"
    except CasereportError as exc:
        status = f"error: {exc}"
    recording[0] = False
    print(status)


if __name__ == "__main__":
    main()
