"""A call just ended: resolve the rep, record the call once, schedule the post-call prompt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import NotFound
from bot.jobs import kinds
from bot.services.directory import Directory, UserProfile, apply_profile, profile_due
from bot.services.ridealongs import UpcomingReceived, receive_upcoming
from bot.services.schedule import out_of_quiet_hours
from bot.services.stages import record_crm_stage
from bot.services.workspaces import ensure_workspace
from storage.models import Person
from storage.repositories import calls, jobs, people
from storage.repositories.funnel import upsert_account

__all__ = [
    "AlreadyReceived",
    "CallIn",
    "CallReceived",
    "PromptScheduled",
    "UnknownRep",
    "UpcomingReceived",
    "receive_call",
]

# A call time further away than this is a mistake (or an attack), not a call to prompt for.
MAX_PAST = timedelta(days=30)
MAX_FUTURE = timedelta(days=1)
# A call not yet held (`starts_at`) is offered as a ride-along up to this far ahead.
MAX_AHEAD = timedelta(days=90)


class CallIn(BaseModel):
    """The webhook body (docs/operations.md)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    call_id: str = Field(min_length=1, max_length=255)
    account: str = Field(min_length=1, max_length=255)
    ended_at: AwareDatetime | None = None
    starts_at: AwareDatetime | None = None  # a call not yet held: offered to marketers as a ride-along
    meeting_url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")
    status: Literal["scheduled", "cancelled"] | None = None
    rep_email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    rep_slack_id: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,31}$")
    deal_stage: str | None = Field(default=None, max_length=255)
    segment: str | None = Field(default=None, max_length=64)
    industry: str | None = Field(default=None, max_length=64)
    company_size: str | None = Field(default=None, max_length=64)
    region: str | None = Field(default=None, max_length=64)
    team_id: str | None = Field(default=None, pattern=r"^[TE][A-Z0-9]{2,31}$")

    @field_validator("ended_at")
    @classmethod
    def _recent(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        # The clock comes from the caller (`context={"now": ...}`); without one the window is not checked.
        now = info.context.get("now") if isinstance(info.context, dict) else None
        if value is not None and isinstance(now, datetime):
            if value < now - MAX_PAST:
                raise ValueError(f"more than {MAX_PAST.days} days in the past")
            if value > now + MAX_FUTURE:
                raise ValueError(f"more than {MAX_FUTURE.days} day in the future")
        return value

    @field_validator("starts_at")
    @classmethod
    def _ahead(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        now = info.context.get("now") if isinstance(info.context, dict) else None
        if value is not None and isinstance(now, datetime):
            if value < now - MAX_PAST:
                raise ValueError(f"more than {MAX_PAST.days} days in the past")
            if value > now + MAX_AHEAD:
                raise ValueError(f"more than {MAX_AHEAD.days} days in the future")
        return value

    @model_validator(mode="after")
    def _one_rep(self) -> CallIn:
        if not self.rep_email and not self.rep_slack_id:
            raise ValueError("rep_email or rep_slack_id is required")
        if self.ended_at is not None and self.starts_at is not None:
            raise ValueError("give ended_at for a call that was held, or starts_at for one not yet held, not both")
        if self.ended_at is None and self.starts_at is None and self.status != "cancelled":
            raise ValueError("ended_at (a call that was held) or starts_at (one not yet held) is required")
        return self

    @property
    def upcoming(self) -> bool:
        """A call not yet held, or the cancellation of one: a ride-along matter, not a prompt."""
        return self.starts_at is not None or self.status == "cancelled"


@dataclass(frozen=True)
class PromptScheduled:
    """A held call recorded for the first time: its rep is asked at `prompt_at`."""

    prompt_at: datetime


@dataclass(frozen=True)
class AlreadyReceived:
    """A held call reported before: nothing new; its prompt's time when it still has one."""

    prompt_at: datetime | None


CallReceived = PromptScheduled | AlreadyReceived | UpcomingReceived


class UnknownRep(NotFound):
    """The call names a rep Slack does not know in the workspace."""


def receive_call(
    factory: sessionmaker[Session],
    call: CallIn,
    *,
    team_id: str,
    directory: Directory,
    now: datetime,
    admin_ids: tuple[str, ...] = (),
) -> CallReceived:
    """Record the call once in workspace `team_id` and plan what follows. Raises UnknownRep, or the directory's
    own error when Slack does not answer; nothing is stored then."""
    # Slack first, outside any transaction: a slow or rate-limited Slack holds no database lock.
    rep_user_id, profile = _rep(factory, team_id, call, directory, now=now)
    with factory.begin() as session:
        workspace = ensure_workspace(session, team_id, now=now, admin_ids=admin_ids)
        rep = apply_profile(session, team_id, rep_user_id, profile, now=now)
        if call.upcoming or call.ended_at is None:
            rep.is_rep = True
            return receive_upcoming(
                session,
                team_id,
                rep,
                external_id=call.call_id,
                account=call.account,
                starts_at=call.starts_at,
                cancelled=call.status == "cancelled",
                now=now,
                details={"deal_stage": call.deal_stage, "segment": call.segment, "meeting_url": call.meeting_url},
            )
        return _receive_held(session, team_id, call, call.ended_at, rep, workspace.prompt_delay_minutes, now=now)


def _receive_held(
    session: Session, team_id: str, call: CallIn, ended_at: datetime, rep: Person, delay_minutes: int, *, now: datetime
) -> CallReceived:
    recorded = calls.create_call_once(
        session,
        team_id=team_id,
        external_id=call.call_id,
        rep_id=rep.id,
        account=call.account,
        deal_stage=call.deal_stage,
        ended_at=ended_at,
        now=now,
    )
    if recorded is None:
        return _already(session, team_id, call)
    recorded.stage = record_call_context(session, team_id, call, now=now)
    rep.is_rep = True
    # A call reported late is prompted now, never in the past; never in the rep's quiet hours.
    due = out_of_quiet_hours(max(ended_at + timedelta(minutes=delay_minutes), now), rep.tz)
    prompt = calls.create_prompt_once(
        session,
        team_id=team_id,
        kind="call",
        dedupe_key=f"call:{call.call_id}",
        rep_id=rep.id,
        due_at=due,
        now=now,
        call_id=recorded.id,
    )
    if prompt is None:  # a prompt outlived its call (the call was purged): the rep was asked already
        return _already(session, team_id, call)
    jobs.plan(
        session,
        kind=kinds.PROMPT_SEND,
        key=f"prompt.send:{prompt.id}",
        due_at=due,
        now=now,
        team_id=team_id,
        payload={"prompt_id": prompt.id},
    )
    return PromptScheduled(due)


def _already(session: Session, team_id: str, call: CallIn) -> AlreadyReceived:
    prompt = calls.prompt_by_key(session, team_id, f"call:{call.call_id}")
    return AlreadyReceived(prompt.due_at if prompt is not None else None)


def record_call_context(session: Session, team_id: str, call: CallIn, *, now: datetime) -> str | None:
    """Keep the account's segment fields and the CRM's stage name; the workspace stage of the call, if mapped."""
    stage = record_crm_stage(session, team_id, call.deal_stage, now=now)
    upsert_account(
        session,
        team_id,
        call.account,
        now=now,
        segment=call.segment or None,
        industry=call.industry or None,
        company_size=call.company_size or None,
        region=call.region or None,
        stage=stage,
    )
    return stage


def _rep(
    factory: sessionmaker[Session], team_id: str, call: CallIn, directory: Directory, *, now: datetime
) -> tuple[str, UserProfile | None]:
    """The rep's Slack user id and, when it is due, their profile read from Slack; UnknownRep for a stranger."""
    with factory() as session:
        if call.rep_slack_id:
            user_id: str | None = call.rep_slack_id
            known = people.get_by_slack_id(session, team_id, call.rep_slack_id) is not None
        else:
            person = people.by_email(session, team_id, call.rep_email or "")
            user_id, known = (person.slack_user_id, True) if person is not None else (None, False)
        due = user_id is None or profile_due(session, team_id, user_id, now=now)
    if user_id is None:  # an e-mail not seen before
        profile = directory.user_by_email(call.rep_email or "")
        if profile is None:
            raise UnknownRep(f"no Slack user with e-mail {call.rep_email} in workspace {team_id}")
        return profile.user_id, profile
    profile = directory.user(user_id) if due else None
    if not known and profile is None:
        raise UnknownRep(f"unknown Slack user {user_id} in workspace {team_id}")
    return user_id, profile
