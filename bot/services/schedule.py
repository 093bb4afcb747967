"""Local-time arithmetic: quiet hours, weekly fire times (DST-safe via APScheduler's CronTrigger)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

__all__ = ["QUIET_END", "QUIET_START", "WEEKDAYS", "next_weekly", "out_of_quiet_hours", "zone"]

QUIET_START = time(18, 0)
QUIET_END = time(8, 0)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def out_of_quiet_hours(at: datetime, tz: str | None) -> datetime:
    """`at`, or 08:00 local of the next morning when it falls in the quiet hours, 18:00-08:00 local (SPEC §5).

    Wednesday 18:05 moves to Thursday 08:00, Thursday 05:00 to Thursday 08:00; that morning's offset is used
    (DST-safe). Weekends are not quiet: a call on Saturday afternoon is prompted then.
    """
    local = at.astimezone(zone(tz))
    if QUIET_END <= local.time() < QUIET_START:
        return at
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    morning = datetime.combine(day, QUIET_END, tzinfo=zone(tz))
    return morning.astimezone(UTC)


def next_weekly(after: datetime, *, weekday: int, hour: int, minute: int, tz: str) -> datetime:
    """The first weekly fire time strictly after `after`, in UTC."""
    trigger = CronTrigger(day_of_week=WEEKDAYS[weekday], hour=hour, minute=minute, timezone=zone(tz))
    fire = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    if fire is None:  # a weekly trigger always fires again; APScheduler's type allows None for ended ones
        raise ValueError(f"no weekly fire time after {after} for {WEEKDAYS[weekday]} {hour:02d}:{minute:02d} {tz}")
    return fire.astimezone(UTC)
