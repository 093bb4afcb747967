"""APScheduler is the clock inside `fieldnotes run`: it calls the same tick, and the work is done once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.jobs import clock, engine
from bot.jobs.clock import start_clock
from bot.runtime import Runtime
from storage.models import Job
from storage.repositories import jobs
from tests.support.waiting import wait_until


def test_the_clock_runs_due_work_once(
    runtime: Runtime, job_handler: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    ticks: list[datetime] = []
    job_handler("test.clock", lambda ctx: ran.append(ctx.job.key))

    def counted_tick(*args: Any, **kwargs: Any) -> engine.TickReport:
        report = engine.run_tick(*args, **kwargs)
        ticks.append(report.at)
        return report

    monkeypatch.setattr(clock, "run_tick", counted_tick)
    now = runtime.now()
    with runtime.session_factory.begin() as session:
        jobs.plan(session, kind="test.clock", key="clock-1", due_at=now - timedelta(seconds=1), now=now)
        jobs.plan(session, kind="test.clock", key="clock-2", due_at=now + timedelta(seconds=2), now=now)
    scheduler = start_clock(runtime, seconds=1)
    try:
        wait_until(lambda: len(ran) >= 2, what="both jobs run")
        seen = len(ticks)
        wait_until(lambda: len(ticks) >= seen + 2, what="two more ticks")  # nothing runs twice in them
    finally:
        scheduler.shutdown(wait=True)
    assert sorted(ran) == ["clock-1", "clock-2"]
    with runtime.session_factory() as session:
        assert set(session.scalars(select(Job.state).where(Job.kind == "test.clock"))) == {"done"}
