"""APScheduler is the clock inside `fieldnotes run`: it calls the same tick, and the work is done once."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from bot.jobs import engine
from bot.jobs.clock import start_clock
from bot.runtime import Runtime
from storage.models import Job
from storage.repositories import jobs


def test_the_clock_runs_due_work_once(runtime: Runtime) -> None:
    ran: list[str] = []
    engine.handler("test.clock")(lambda ctx: ran.append(ctx.job.key))
    now = runtime.now()
    with runtime.session_factory.begin() as session:
        jobs.plan(session, kind="test.clock", key="clock-1", due_at=now - timedelta(seconds=1), now=now)
        jobs.plan(session, kind="test.clock", key="clock-2", due_at=now + timedelta(seconds=2), now=now)
    scheduler = start_clock(runtime, seconds=1)
    try:
        deadline = time.monotonic() + 15
        while len(ran) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # a few more ticks: nothing runs twice
    finally:
        scheduler.shutdown(wait=True)
    assert sorted(ran) == ["clock-1", "clock-2"]
    with runtime.session_factory() as session:
        assert set(session.scalars(select(Job.state).where(Job.kind == "test.clock"))) == {"done"}
