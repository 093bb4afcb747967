"""Prompts as the rep answers them: snooze, skip, "no calls today"; and who gets an end-of-day check-in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.jobs import kinds
from bot.services.accounts import marketing_lines
from bot.services.schedule import WEEKDAYS, zone
from storage.models import Call, Person, Prompt, Workspace
from storage.repositories import jobs, notes, people, prompts

__all__ = [
    "SNOOZE",
    "CheckinDue",
    "PromptInfo",
    "checkins_due",
    "close_prompt",
    "info",
    "info_for_sending",
    "logged_on_local_day",
    "open_prompt_for",
    "pending_for",
    "snooze_prompt",
]

SNOOZE = timedelta(hours=1)


@dataclass(frozen=True)
class PromptInfo:
    """Everything a prompt's message needs, read in one go."""

    id: int
    kind: str
    state: str
    rep_user_id: str
    rep_tz: str | None
    account: str | None
    deal_stage: str | None
    ended_at: datetime | None
    due_at: datetime
    channel_id: str | None
    message_ts: str | None
    nudged: bool
    stage: str | None = None  # the workspace stage the call's CRM stage maps to
    marketing: tuple[str, ...] = ()  # what marketing pinned to the call's account or its segment

    @property
    def open(self) -> bool:
        return self.state in prompts.OPEN


def _info(prompt: Prompt, call: Call | None, rep: Person) -> PromptInfo:
    return PromptInfo(
        id=prompt.id,
        kind=prompt.kind,
        state=prompt.state,
        rep_user_id=rep.slack_user_id,
        rep_tz=rep.tz,
        account=call.account if call else None,
        deal_stage=call.deal_stage if call else None,
        ended_at=call.ended_at if call else None,
        due_at=prompt.due_at,
        channel_id=prompt.channel_id,
        message_ts=prompt.message_ts,
        nudged=prompt.nudged_at is not None,
        stage=call.stage if call else None,
    )


def info(session: Session, team_id: str, prompt_id: int) -> PromptInfo | None:
    found = prompts.with_call(session, team_id, prompt_id)
    if found is None:
        return None
    rep = people.get(session, team_id, found[0].rep_id)
    assert rep is not None
    return _info(found[0], found[1], rep)


def info_for_sending(session: Session, team_id: str, prompt_id: int, *, now: datetime) -> PromptInfo | None:
    """`info`, with what marketing pinned to the call's account (shown in the prompt DM)."""
    found = info(session, team_id, prompt_id)
    if found is None or found.kind != "call":
        return found
    return replace(found, marketing=marketing_lines(session, team_id, found.account, now=now))


def open_prompt_for(session: Session, team_id: str, prompt_id: int, user_id: str) -> PromptInfo | None:
    """The prompt when it is this user's and still waiting for an answer, else None."""
    found = info(session, team_id, prompt_id)
    if found is None or found.rep_user_id != user_id or not found.open:
        return None
    return found


def close_prompt(
    session: Session, team_id: str, prompt_id: int, user_id: str, *, state: str, now: datetime
) -> PromptInfo | None:
    """Skip (or "no calls today") a prompt of this user's; None when it was used already (a double click)."""
    if open_prompt_for(session, team_id, prompt_id, user_id) is None:
        return None
    if not prompts.answer(session, team_id, prompt_id, state=state, now=now):
        return None
    return info(session, team_id, prompt_id)


def snooze_prompt(session: Session, team_id: str, prompt_id: int, user_id: str, *, now: datetime) -> PromptInfo | None:
    """Back to scheduled, sent again in an hour; None when it was used already."""
    if open_prompt_for(session, team_id, prompt_id, user_id) is None:
        return None
    until = now + SNOOZE
    if not prompts.snooze(session, team_id, prompt_id, until=until):
        return None
    jobs.plan(
        session,
        kind=kinds.PROMPT_SEND,
        key=f"{kinds.PROMPT_SEND}:{prompt_id}:{until.isoformat()}",
        due_at=until,
        now=now,
        team_id=team_id,
        payload={"prompt_id": prompt_id},
    )
    return info(session, team_id, prompt_id)


def pending_for(session: Session, team_id: str, user_id: str) -> list[PromptInfo]:
    rep = people.get_by_slack_id(session, team_id, user_id)
    if rep is None:
        return []
    return [_info(p, c, rep) for p, c in prompts.pending_for_rep(session, team_id, rep.id)]


# ---- end-of-day check-in -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckinDue:
    team_id: str
    rep_id: int
    local_day: date
    due_at: datetime

    @property
    def key(self) -> str:
        return f"checkin:{self.team_id}:{self.rep_id}:{self.local_day.isoformat()}"


def checkin_days(workspace: Workspace) -> set[int]:
    if not workspace.checkin_days or not workspace.checkin_time:
        return set()
    names = [d.strip().lower()[:3] for d in workspace.checkin_days.split(",")]
    return {WEEKDAYS.index(n) for n in names if n in WEEKDAYS}


def _checkin_time(workspace: Workspace) -> time | None:
    try:
        hour, minute = (int(part) for part in (workspace.checkin_time or "").split(":"))
        return time(hour, minute)
    except ValueError:
        return None


def checkins_due(session: Session, workspace: Workspace, now: datetime) -> list[CheckinDue]:
    """One check-in per rep for the rep's current local day, when that day is a check-in day."""
    days, at = checkin_days(workspace), _checkin_time(workspace)
    if not days or at is None:
        return []
    out = []
    for rep in people.by_role(session, workspace.team_id, "is_rep"):
        tz = zone(rep.tz)
        local_day = now.astimezone(tz).date()
        if local_day.weekday() in days:
            due = datetime.combine(local_day, at, tzinfo=tz)
            out.append(CheckinDue(workspace.team_id, rep.id, local_day, due.astimezone(now.tzinfo)))
    return out


def logged_on_local_day(session: Session, team_id: str, rep: Person, local_day: date) -> int:
    tz = zone(rep.tz)
    start = datetime.combine(local_day, time(0), tzinfo=tz)
    end = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=tz)
    return notes.count_by_author_between(session, team_id, rep.id, start, end)
