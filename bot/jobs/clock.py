"""APScheduler as the clock inside `fieldnotes run`: it only calls run_tick; the state is in the database."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.engine import run_tick
from bot.runtime import Runtime

__all__ = ["start_clock"]

logger = logging.getLogger(__name__)


def start_clock(runtime: Runtime, *, seconds: int | None = None) -> BackgroundScheduler:
    """Tick every `seconds` (default: FIELDNOTES_TICK_SECONDS, 30)."""
    seconds = seconds or runtime.settings.fieldnotes_tick_seconds

    def tick() -> None:
        try:
            report = run_tick(runtime)
            if report.done or report.failed or report.retried:
                logger.info("tick: %s", report.summary())
        except Exception:
            logger.exception("tick failed; the next one will try again")

    # An in-memory job store on purpose: APScheduler's stores are not safe to share between processes.
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick, IntervalTrigger(seconds=seconds), id="tick", max_instances=1, coalesce=True, next_run_time=None
    )
    scheduler.start()
    scheduler.modify_job("tick", next_run_time=runtime.now())
    return scheduler
