"""What the admin part of App Home shows: the current configuration, in brief."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.admin.permissions import is_admin
from bot.services.admin.values import format_days, parse_days
from bot.services.corrections import CorrectionShare, correction_share
from bot.services.vendors import VendorCandidate, candidate_vendors
from storage.repositories import digests, people, workspaces

__all__ = ["AdminSummary", "admin_summary"]


@dataclass(frozen=True)
class AdminSummary:
    questions: list[str]
    prompt_delay_minutes: int
    nudge_hours: int | None
    checkin: str | None  # "mon-fri 17:00" or None
    digests: list[tuple[int, str, str]]  # (id, channel id, "Mon 09:00 Europe/London")
    themes: int
    objections: int
    competitors: int
    reps: int
    marketers: int
    admins: list[str]  # Slack user ids
    quotes: str
    retention_days: int | None
    corrected: CorrectionShare
    candidates: list[VendorCandidate]  # candidate competitors, most named first


#: Candidate competitors shown on App Home, each a section with an *Add as competitor* button.
HOME_CANDIDATES = 5


def admin_summary(session: Session, team_id: str, user_id: str, *, now: datetime) -> AdminSummary | None:
    """The summary for a Field Notes admin (as stored; Slack is not asked), None for anyone else."""
    if not is_admin(session, team_id, user_id, None):
        return None
    ws = workspaces.get(session, team_id)
    if ws is None:
        return None
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    labels = workspaces.labels(session, team_id)
    checkin = None
    if ws.checkin_days and ws.checkin_time:
        checkin = f"{format_days(parse_days(ws.checkin_days))} {ws.checkin_time}"
    return AdminSummary(
        questions=[q.label for q in workspaces.questions(session, team_id)],
        prompt_delay_minutes=ws.prompt_delay_minutes,
        nudge_hours=ws.nudge_hours,
        checkin=checkin,
        digests=[
            (s.id, s.channel_id, f"{days[s.weekday].capitalize()} {s.hour:02d}:{s.minute:02d} {s.tz}")
            for s in digests.list_schedules(session, team_id)
        ],
        themes=sum(1 for label in labels if label.kind == "theme"),
        objections=sum(1 for label in labels if label.kind == "objection"),
        competitors=len(workspaces.competitors(session, team_id)),
        reps=len(people.by_role(session, team_id, "is_rep")),
        marketers=len(people.by_role(session, team_id, "is_marketer")),
        admins=[p.slack_user_id for p in people.by_role(session, team_id, "is_admin")],
        quotes=ws.quotes,
        retention_days=ws.retention_days,
        corrected=correction_share(session, team_id, now=now),
        candidates=candidate_vendors(session, team_id, limit=HOME_CANDIDATES),
    )
