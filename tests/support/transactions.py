"""Which Slack calls the app made while one of its database transactions was open."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, event

from tests.fakes.slack_api import FakeSlack

__all__ = ["SlackCallsInTransactions"]


class SlackCallsInTransactions:
    """Counts the engine's open transactions (reads included: a read holds SQLite's shared lock) and notes, for
    each Web API call the fake Slack receives, how many were open while the caller waited for Slack."""

    def __init__(self, engine: Engine, fake: FakeSlack) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self.calls: list[tuple[str, int]] = []  # (method, transactions open during the call)
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)
        fake.watch(self._seen)

    def _begin(self, conn: Connection) -> None:
        with self._lock:
            self._open += 1

    def _end(self, conn: Connection) -> None:
        with self._lock:
            self._open = max(0, self._open - 1)

    def _seen(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append((method, self._open))

    def inside(self) -> list[str]:
        """The methods called while a transaction was open."""
        with self._lock:
            return [method for method, open_ in self.calls if open_]

    def methods(self) -> list[str]:
        with self._lock:
            return [method for method, _ in self.calls]
