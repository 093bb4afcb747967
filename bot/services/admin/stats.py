"""`/fieldnotes me`: a person's own note counts, weekly streak and most frequent tags."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.blocks.text import escape
from bot.services.directory import Directory
from bot.services.schedule import zone
from storage.repositories import exports, people

__all__ = ["my_stats", "week_streak"]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_streak(days: list[date], today: date) -> int:
    """Consecutive weeks (Monday to Sunday) with a note, counting back from this week, or from last week
    when this week has none yet (the week is not over)."""
    weeks = {_monday(d) for d in days}
    week = _monday(today)
    if week not in weeks:
        week -= timedelta(days=7)
    streak = 0
    while week in weeks:
        streak += 1
        week -= timedelta(days=7)
    return streak


def my_stats(session: Session, team_id: str, user_id: str, now: datetime, directory: Directory | None) -> str:
    person = people.get_by_slack_id(session, team_id, user_id)
    if person is None:
        return "You haven't logged any feedback yet. Try `/feedback` after your next call."
    tz = person.tz
    if tz is None and directory is not None:
        profile = directory.user(user_id)
        tz = profile.tz if profile is not None else None
    local = zone(tz)
    times = exports.author_note_times(session, team_id, person.id)
    days = [t.astimezone(local).date() for t in times]
    today = now.astimezone(local).date()
    this_week = sum(1 for d in days if d >= _monday(today))
    last_30 = sum(1 for t in times if t >= now - timedelta(days=30))
    streak = week_streak(days, today)
    lines = [
        "*Your Field Notes*",
        f"• Notes: {this_week} this week · {last_30} in the last 30 days · {len(times)} in all",
        f"• Streak: {streak} week{'s' if streak != 1 else ''} in a row with a note",
    ]
    top = exports.author_label_counts(session, team_id, person.id, limit=5)
    if top:
        lines.append("• You hear most about: " + ", ".join(f"{escape(label)} ({n})" for _, label, n in top))
    return "\n".join(lines)
