"""The preview's shared state: what the rebuild loop publishes and every open page waits on.

Its own module so that the server (which publishes) and the HTTP handler (which reads) both
import it, and neither imports the other.
"""

from __future__ import annotations

import threading
from typing import Any


class LiveState:
    """The latest build as every open page should show it; pages wait here for the next."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._version = 0
        self._closed = False
        self._state: dict[str, Any] = {
            "letter": 0,
            "ok": True,
            "building": True,
            "summary": "",
            "errors": [],
            "warnings": [],
            "pdf": None,
        }

    def update(self, **fields: Any) -> None:
        with self._changed:
            self._state.update(fields)
            self._version += 1
            self._changed.notify_all()

    def snapshot(self) -> tuple[int, dict[str, Any]]:
        with self._changed:
            return self._version, dict(self._state)

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """The state once it is newer than version `seen`; None on timeout or when closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._version > seen or self._closed, timeout)
            if self._closed or self._version <= seen:
                return None
            return self._version, dict(self._state)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
