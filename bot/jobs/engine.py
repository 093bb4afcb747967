"""The timed-work engine: due work lives in the `jobs` table and is done exactly once.

A tick (from APScheduler inside `fieldnotes run`, or `fieldnotes tick --at ...`) first lets each planner
insert the jobs that are due by then (a unique key makes planning idempotent across processes), then claims
due jobs in small batches (FOR UPDATE SKIP LOCKED on PostgreSQL) and runs each one's handler.
A claim is a lease on the clock, renewed while the process holds the job (bot.jobs._leases); a process that
dies mid-job leaves it `running`, and another takes it over once the lease is over. Before every Slack side
effect a handler checks that it still holds the lease (`ctx.hold()`, done by `post_once`), and only the holder
may finish or fail a job. Posts record what they are about to send (bot.jobs.delivery), so a job taken over
after a crash mid-post looks for its message before sending it again.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import metrics
from bot.jobs._leases import LeaseLost, Leases
from bot.logs import log_context
from bot.runtime import Runtime
from storage.models import Job
from storage.repositories import jobs

__all__ = [
    "JobContext",
    "LeaseLost",
    "RetryLater",
    "TickReport",
    "Undeliverable",
    "handler",
    "planner",
    "run_now",
    "run_tick",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 20


class RetryLater(Exception):
    """Raised by a handler to have its job tried again at the next tick (or at `at`).

    `counts=False`: not a failure of the job (Slack asked to wait), so the attempt is given back.
    """

    def __init__(self, message: str, at: datetime | None = None, *, counts: bool = True) -> None:
        super().__init__(message)
        self.at = at
        self.counts = counts


@dataclass(frozen=True)
class JobContext:
    runtime: Runtime
    now: datetime  # the instant the tick acts as of (`--at`); leases run on `runtime.now()`
    job: Job
    leases: Leases

    def hold(self, session: Session | None = None) -> None:
        """Raise LeaseLost unless this process still holds the job (renewing it): call before a Slack side effect.
        With `session`, the check is part of that transaction (a post is marked only while the lease is held)."""
        self.leases.check(self.job.id, session)


Handler = Callable[[JobContext], None]
Planner = Callable[[Runtime, Session, datetime], None]
GiveUp = Callable[[JobContext, Exception], None]


class Undeliverable(Exception):
    """Raised by a handler when trying again cannot help (the user is gone, the app may not DM them)."""


@dataclass(frozen=True)
class _Entry:
    fn: Handler
    on_give_up: GiveUp | None
    gives_up: bool  # False: retried (with back-off up to `backoff_cap`) until the handler itself ends it
    backoff_cap: timedelta


_HANDLERS: dict[str, _Entry] = {}
_PLANNERS: list[Planner] = []


def handler(
    kind: str,
    *,
    on_give_up: GiveUp | None = None,
    gives_up: bool = True,
    backoff_cap: timedelta = timedelta(hours=1),
) -> Callable[[Handler], Handler]:
    """Register the handler of a job kind. A failed job is tried again after 2, 4, 8... minutes (at most
    `backoff_cap`); after MAX_ATTEMPTS, or at once on Undeliverable, it is failed for good and `on_give_up`
    runs, unless `gives_up=False` (then only the handler ends it, e.g. when a newer job supersedes it)."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = _Entry(fn, on_give_up, gives_up, backoff_cap)
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
    lost: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        def fmt(counter: Counter[str]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "nothing"

        text = f"done: {fmt(self.done)}; retrying: {fmt(self.retried)}; failed: {fmt(self.failed)}"
        return text + (f"; taken over by another process: {fmt(self.lost)}" if self.lost else "")


def _worker(name: str | None) -> str:
    # Unique per tick, so a restarted process with the same pid never passes for the holder of an old claim.
    return f"{name or f'{socket.gethostname()}:{os.getpid()}'}"[:48] + f"#{uuid.uuid4().hex[:12]}"


def _lease(runtime: Runtime) -> timedelta:
    return timedelta(seconds=runtime.settings.fieldnotes_job_lease_seconds)


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
    report = TickReport(at=now)
    for plan in _PLANNERS:
        with runtime.session_factory.begin() as session:
            plan(runtime, session, now)
    with Leases(runtime, _worker(worker), _lease(runtime)) as leases:
        while True:
            with runtime.session_factory.begin() as session:
                claimed = jobs.claim_due(
                    session, as_of=now, now=runtime.now(), worker=leases.worker, lease=leases.lease, limit=BATCH
                )
                session.expunge_all()
            if not claimed:
                return report
            leases.add([job.id for job in claimed])
            for job in claimed:
                _run_one(runtime, JobContext(runtime, now, job, leases), report)
                if on_job is not None:
                    on_job(job)


def run_now(runtime: Runtime, key: str) -> bool:
    """Run the job with this key at once, in this thread, whenever it is due (a listener's work that a job
    finishes if this process dies). False when another process holds it or it is done already."""
    from bot.jobs import load_handlers

    load_handlers()
    now = runtime.now()
    with Leases(runtime, _worker(None), _lease(runtime)) as leases:
        with runtime.session_factory.begin() as session:
            job = jobs.claim_key(session, key, now=now, worker=leases.worker, lease=leases.lease)
            session.expunge_all()
        if job is None:
            return False
        leases.add([job.id])
        _run_one(runtime, JobContext(runtime, now, job, leases), TickReport(at=now))
    return True


def _run_one(runtime: Runtime, ctx: JobContext, report: TickReport) -> None:
    """One claimed job, its log lines tagged with its id and workspace, its outcome counted for /metrics."""
    kind = ctx.job.kind
    before = {name: getattr(report, name)[kind] for name in _OUTCOMES}
    with log_context(job_id=str(ctx.job.id), team_id=ctx.job.team_id):
        _run_claimed(runtime, ctx, report)
    for name in _OUTCOMES:
        if getattr(report, name)[kind] > before[name]:
            metrics.JOB_RUNS.labels(kind, name).inc()


_OUTCOMES = ("done", "retried", "failed", "lost")


def _run_claimed(runtime: Runtime, ctx: JobContext, report: TickReport) -> None:
    job, leases = ctx.job, ctx.leases
    try:
        ctx.hold()  # claimed in a batch: still ours when its turn comes?
        entry = _HANDLERS.get(job.kind)
        if entry is None:
            logger.warning("job %s: no handler for its kind %r (code older than the job?)", job.key, job.kind)
            _fail(ctx, RuntimeError(f"no handler for job kind {job.kind!r}"), None)
            report.failed[job.kind] += 1
            return
        try:
            entry.fn(ctx)
        except LeaseLost:
            raise
        except Exception as exc:
            _failed(ctx, exc, report, entry)
            return
        with runtime.session_factory.begin() as session:
            finished = jobs.finish(session, job.id, worker=leases.worker, now=runtime.now())
        if finished:
            report.done[job.kind] += 1
        else:
            report.lost[job.kind] += 1
            logger.warning("job %s was done here, but another process had taken it over", job.key)
    except LeaseLost:
        report.lost[job.kind] += 1
        logger.warning("job %s: lease lost; another process has it", job.key)
    finally:
        leases.release(job.id)


def _failed(ctx: JobContext, exc: Exception, report: TickReport, entry: _Entry) -> None:
    job = ctx.job
    counts = not (isinstance(exc, RetryLater) and not exc.counts)
    give_up = entry.gives_up and counts and (job.attempts >= MAX_ATTEMPTS or isinstance(exc, Undeliverable))
    logger.warning("job %s (%s) failed, attempt %d", job.key, job.kind, job.attempts, exc_info=exc)
    retry_at = None
    if not give_up:
        asked = exc.at if isinstance(exc, RetryLater) else None
        backoff = min(timedelta(minutes=2 ** min(job.attempts, 20)), entry.backoff_cap)
        retry_at = asked or ctx.now + backoff
        # Never due again within this tick (it acts as of ctx.now): a job is tried once a tick.
        retry_at = max(retry_at, ctx.now + timedelta(seconds=1))
    if give_up and entry.on_give_up is not None:
        # While the job is still held, so that what it does (tell admins) is done once, like any side effect.
        try:
            entry.on_give_up(ctx, exc)
        except LeaseLost:
            raise
        except Exception:
            logger.exception("could not report the failure of job %s", job.key)
    if not _fail(ctx, exc, retry_at, counts=counts):
        report.lost[job.kind] += 1
    elif give_up:
        report.failed[job.kind] += 1
    else:
        report.retried[job.kind] += 1


def _fail(ctx: JobContext, exc: Exception, retry_at: datetime | None, *, counts: bool = True) -> bool:
    with ctx.runtime.session_factory.begin() as session:
        return jobs.fail(
            session,
            ctx.job.id,
            worker=ctx.leases.worker,
            error=f"{type(exc).__name__}: {exc}",
            retry_at=retry_at,
            count_attempt=counts,
        )
