"""A `casereport serve` process for tests: started on a free port, stopped with Ctrl-C."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 15.0


class Served:
    """`casereport serve CASE --port 0 --no-open` running in a child process."""

    def __init__(self, case: Path, out: Path, *extra: str) -> None:
        command = [sys.executable, "-m", "casereport", "serve", str(case), "--port", "0"]
        command += ["--no-open", "-o", str(out), *extra]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        assert " at http://127.0.0.1:" in first, first + self._stderr()
        self.url = first.split(" at ")[1].split()[0]
        self.port = urlsplit(self.url).port or 0

    def _stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def request(
        self, path: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of one request, sent as written (no normalising)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            for name, value in sent.items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def state(self) -> dict[str, Any]:
        status, _, body = self.request("/__casereport/state")
        assert status == 200
        result: dict[str, Any] = json.loads(body)
        return result

    def wait_for(self, check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The live state once `check` holds (fails after TIMEOUT seconds)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            state = self.state()
            if check(state):
                return state
            assert time.monotonic() < deadline, f"timed out; last state: {state}"
            assert self.process.poll() is None, "the server died: " + self._stderr()
            time.sleep(0.05)

    def ready(self) -> dict[str, Any]:
        """The state once the first letter and PDF are built."""
        return self.wait_for(lambda s: s["letter"] >= 1 and s["pdf"] is not None)

    def stop(self) -> tuple[str, str]:
        """Ctrl-C; the rest of stdout and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            raise AssertionError(f"serve did not stop on Ctrl-C:\n{out}\n{err}") from None
        return out, err
