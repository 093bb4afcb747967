"""The timed-work engine: planned once, claimed once, across processes and crashes."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.jobs import engine
from bot.runtime import Runtime
from storage.models import Job
from storage.repositories import jobs

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _plan(runtime: Runtime, count: int, *, kind: str = "test.record", due: datetime = AT) -> None:
    with runtime.session_factory.begin() as session:
        for i in range(count):
            jobs.plan(session, kind=kind, key=f"k{i:04d}", due_at=due, now=due)


def _worker(db_url: str, log: Path, at: datetime, die_on: str | None = None) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "tests.support.tick_worker", db_url, str(log), at.isoformat()]
    return subprocess.Popen([*args, die_on] if die_on else args)


def test_planning_is_idempotent(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        assert jobs.plan(session, kind="x", key="same", due_at=AT, now=AT) is True
        assert jobs.plan(session, kind="x", key="same", due_at=AT + timedelta(hours=1), now=AT) is False
    with runtime.session_factory() as session:
        assert session.scalars(select(Job.due_at).where(Job.key == "same")).all() == [AT]


def test_a_job_runs_when_due_and_only_then(runtime: Runtime, job_handler: Callable[..., None]) -> None:
    ran: list[str] = []
    job_handler("test.inline", lambda ctx: ran.append(ctx.job.key))
    with runtime.session_factory.begin() as session:
        jobs.plan(session, kind="test.inline", key="later", due_at=AT + timedelta(hours=1), now=AT)
    assert engine.run_tick(runtime, AT).done["test.inline"] == 0
    assert engine.run_tick(runtime, AT + timedelta(hours=1)).done["test.inline"] == 1
    assert engine.run_tick(runtime, AT + timedelta(hours=2)).done["test.inline"] == 0
    assert ran == ["later"]


def test_failures_retry_with_backoff_then_give_up(runtime: Runtime, job_handler: Callable[..., None]) -> None:
    attempts: list[int] = []
    given_up: list[str] = []

    def flaky(ctx: engine.JobContext) -> None:
        attempts.append(ctx.job.attempts)
        raise RuntimeError("Slack is down")

    job_handler("test.flaky", flaky, on_give_up=lambda ctx, exc: given_up.append(str(exc)))
    with runtime.session_factory.begin() as session:
        jobs.plan(session, kind="test.flaky", key="f", due_at=AT, now=AT)
    at = AT
    for _ in range(engine.MAX_ATTEMPTS):
        engine.run_tick(runtime, at)
        at += timedelta(hours=1)
    engine.run_tick(runtime, at)
    assert attempts == [1, 2, 3, 4, 5]
    assert given_up == ["Slack is down"]
    with runtime.session_factory() as session:
        job = session.scalars(select(Job).where(Job.key == "f")).one()
        assert job.state == "failed"
        assert "Slack is down" in (job.last_error or "")


def test_two_concurrent_tick_processes_never_do_a_job_twice(runtime: Runtime, db_url: str, tmp_path: Path) -> None:
    _plan(runtime, 120)
    log = tmp_path / "log.txt"
    workers = [_worker(db_url, log, AT) for _ in range(2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    done = Counter(line.split()[1] for line in log.read_text().splitlines() if line.startswith("done"))
    assert len(done) == 120
    assert set(done.values()) == {1}
    with runtime.session_factory() as session:
        assert set(session.scalars(select(Job.state).where(Job.kind == "test.record"))) == {"done"}


def test_a_job_killed_mid_tick_is_taken_over_once_its_lease_ends(runtime: Runtime, db_url: str, tmp_path: Path) -> None:
    _plan(runtime, 5)
    log = tmp_path / "log.txt"
    assert _worker(db_url, log, AT, die_on="k0002").wait(timeout=60) == 9
    with runtime.session_factory() as session:
        states = {k: s for k, s in session.execute(select(Job.key, Job.state).where(Job.kind == "test.record"))}
    assert states["k0002"] == "running"
    # Too early: the dead process's lease still holds, so nothing is done twice.
    assert _worker(db_url, log, AT + timedelta(minutes=1)).wait(timeout=60) == 0
    assert _worker(db_url, log, AT + timedelta(minutes=10)).wait(timeout=60) == 0
    lines = log.read_text().splitlines()
    done = Counter(line.split()[1] for line in lines if line.startswith("done"))
    assert done == Counter({f"k{i:04d}": 1 for i in range(5)})
    restarts = [line for line in lines if line.startswith("start k0002")]
    assert len(restarts) == 2 and restarts[1].endswith(" 2")  # taken over: its second attempt
