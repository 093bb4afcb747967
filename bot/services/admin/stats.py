"""`/fieldnotes me`: a person's own note counts, weekly streak and most frequent tags; and `help`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.schedule import zone
from storage.repositories import exports, people

__all__ = ["RUNNERS", "my_stats", "week_streak"]


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


def my_stats(session: Session, ctx: Context, cmd: m.Me) -> r.Result:
    person = people.get_by_slack_id(session, ctx.team_id, ctx.user_id)
    if person is None:
        return r.MyStats(logged=False)
    profile = ctx.slack.user(ctx.user_id)  # read from Slack beforehand when no time zone is stored
    local = zone(person.tz or (profile.tz if profile is not None else None))
    times = exports.author_note_times(session, ctx.team_id, person.id)
    days = [t.astimezone(local).date() for t in times]
    today = ctx.now.astimezone(local).date()
    top = exports.author_label_counts(session, ctx.team_id, person.id, limit=5)
    return r.MyStats(
        logged=True,
        this_week=sum(1 for d in days if d >= _monday(today)),
        last_30_days=sum(1 for t in times if t >= ctx.now - timedelta(days=30)),
        total=len(times),
        streak=week_streak(days, today),
        top=tuple((label, n) for _, label, n in top),
    )


def show_help(session: Session, ctx: Context, cmd: m.Help) -> r.Result:
    return r.HelpShown()


RUNNERS: dict[type[m.Command], Runner] = {m.Help: show_help, m.Me: my_stats}
