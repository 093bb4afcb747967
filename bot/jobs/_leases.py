"""The leases a process holds on the jobs it claimed, renewed in the background while it works on them.

A claim is a lease counted on the clock from the moment of the claim. While a job is held, a heartbeat
thread renews its lease every third of its length, so a job may run as long as it needs (a digest build,
Slack's `Retry-After` waits) without another process taking it over. Before every Slack side effect the
job checks, in the database, that it still holds its lease (`check`), which renews it too; a job whose
lease was lost (the process stalled past it and another took the job over) stops before touching Slack.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy.orm import Session

from bot.runtime import Runtime
from storage.repositories import jobs

__all__ = ["LeaseLost", "Leases"]

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """This process no longer holds the job's lease: another may be doing it, so this one must stop."""


class Leases:
    def __init__(self, runtime: Runtime, worker: str, lease: timedelta) -> None:
        self.runtime, self.worker, self.lease = runtime, worker, lease
        self._held: set[int] = set()
        self._lost: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Leases:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.lease.total_seconds())

    def add(self, job_ids: list[int]) -> None:
        with self._lock:
            self._held.update(job_ids)
            if self._thread is None:
                self._thread = threading.Thread(target=self._beat, name="fieldnotes-leases", daemon=True)
                self._thread.start()

    def release(self, job_id: int) -> None:
        with self._lock:
            self._held.discard(job_id)
            self._lost.discard(job_id)

    def check(self, job_id: int, session: Session | None = None) -> None:
        """Raise LeaseLost unless this process still holds `job_id` (claimed by it, not expired); renew it."""
        with self._lock:
            lost = job_id in self._lost
        if not lost:
            with self._session(session) as s:
                lost = not jobs.hold(s, [job_id], worker=self.worker, now=self.runtime.now(), lease=self.lease)
        if lost:
            with self._lock:
                self._lost.add(job_id)
            raise LeaseLost(f"job {job_id} is no longer held by {self.worker}")

    @contextmanager
    def _session(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            yield session
        else:
            with self.runtime.session_factory.begin() as own:
                yield own

    def _beat(self) -> None:
        every = self.lease.total_seconds() / 3
        while not self._stop.wait(every):
            with self._lock:
                ids = sorted(self._held - self._lost)
            if not ids:
                continue
            try:
                with self.runtime.session_factory.begin() as session:
                    held = jobs.hold(session, ids, worker=self.worker, now=self.runtime.now(), lease=self.lease)
            except Exception:
                # The database is unreachable: the leases run on; `check` fails before any Slack call if they end.
                logger.warning("could not renew the leases of jobs %s", ids, exc_info=True)
                continue
            if len(held) < len(ids):
                logger.warning("lost the lease of jobs %s (another process took them over)", set(ids) - held)
                with self._lock:
                    self._lost.update(set(ids) - held)
