"""The timed-work engine: due work lives in the `jobs` table and is done exactly once.

A tick (from APScheduler inside `fieldnotes run`, or `fieldnotes tick --at ...`) first lets each planner
insert the jobs that are due by then (a unique key makes planning idempotent across processes), then claims
due jobs in small batches (FOR UPDATE SKIP LOCKED on PostgreSQL) and runs each one's handler.
A claim is a lease: a process that dies mid-job leaves it `running`, and a later tick takes it over once the
lease is over. Handlers that talk to Slack make their sends idempotent themselves (bot.jobs.delivery).
"""

from __future__ import annotations

import logging
import os
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.runtime import Runtime
from storage.models import Job
from storage.repositories import jobs

__all__ = ["JobContext", "RetryLater", "TickReport", "handler", "planner", "run_tick"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 20


class RetryLater(Exception):
    """Raised by a handler to have its job tried again at the next tick (or at `at`)."""

    def __init__(self, message: str, at: datetime | None = None) -> None:
        super().__init__(message)
        self.at = at


@dataclass(frozen=True)
class JobContext:
    runtime: Runtime
    now: datetime
    job: Job

    @property
    def recovering(self) -> bool:
        """True when an earlier attempt may have got as far as sending: check before sending again."""
        return self.job.attempts > 1


Handler = Callable[[JobContext], None]
Planner = Callable[[Runtime, Session, datetime], None]
GiveUp = Callable[[JobContext, Exception], None]

_HANDLERS: dict[str, tuple[Handler, GiveUp | None]] = {}
_PLANNERS: list[Planner] = []


def handler(kind: str, *, on_give_up: GiveUp | None = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = (fn, on_give_up)
        return fn

    return register


def planner(fn: Planner) -> Planner:
    _PLANNERS.append(fn)
    return fn


@dataclass
class TickReport:
    at: datetime
    done: Counter[str] = field(default_factory=Counter)
    retried: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        def fmt(counter: Counter[str]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "nothing"

        return f"done: {fmt(self.done)}; retrying: {fmt(self.retried)}; failed: {fmt(self.failed)}"


def run_tick(
    runtime: Runtime,
    at: datetime | None = None,
    *,
    worker: str | None = None,
    on_job: Callable[[Job], None] | None = None,
) -> TickReport:
    from bot.jobs import load_handlers

    load_handlers()
    now = at or runtime.now()
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    report = TickReport(at=now)
    for plan in _PLANNERS:
        with runtime.session_factory.begin() as session:
            plan(runtime, session, now)
    while True:
        with runtime.session_factory.begin() as session:
            claimed = jobs.claim_due(session, now=now, worker=worker, limit=BATCH)
            session.expunge_all()
        if not claimed:
            return report
        for job in claimed:
            _run_one(runtime, JobContext(runtime, now, job), report)
            if on_job is not None:
                on_job(job)


def _run_one(runtime: Runtime, ctx: JobContext, report: TickReport) -> None:
    job = ctx.job
    entry = _HANDLERS.get(job.kind)
    if entry is None:
        with runtime.session_factory.begin() as session:
            jobs.fail(session, job.id, error=f"no handler for job kind {job.kind!r}", retry_at=None)
        report.failed[job.kind] += 1
        return
    fn, on_give_up = entry
    try:
        fn(ctx)
    except Exception as exc:
        give_up = job.attempts >= MAX_ATTEMPTS
        logger.warning("job %s (%s) failed, attempt %d", job.key, job.kind, job.attempts, exc_info=exc)
        retry_at = (
            None
            if give_up
            else (exc.at if isinstance(exc, RetryLater) and exc.at else ctx.now + timedelta(minutes=2**job.attempts))
        )
        with runtime.session_factory.begin() as session:
            jobs.fail(session, job.id, error=f"{type(exc).__name__}: {exc}", retry_at=retry_at)
        if give_up:
            report.failed[job.kind] += 1
            if on_give_up is not None:
                try:
                    on_give_up(ctx, exc)
                except Exception:
                    logger.exception("could not report the failure of job %s", job.key)
        else:
            report.retried[job.kind] += 1
        return
    with runtime.session_factory.begin() as session:
        jobs.finish(session, job.id, now=ctx.now)
    report.done[job.kind] += 1
