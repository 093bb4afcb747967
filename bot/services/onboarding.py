"""Getting a workspace started: the installer (or the first of FIELDNOTES_ADMINS) becomes an admin and is welcomed
once, the Get started checklist tracks what is set up, and *Send a test call* prompts the admin the way a real
call would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.jobs import kinds
from bot.services.workspaces import ensure_workspace
from storage.repositories import calls, digests, jobs, onboarding, people

__all__ = [
    "TEST_ACCOUNT",
    "TEST_CALL_PREFIX",
    "Checklist",
    "checklist",
    "first_home_visit",
    "mark_previewed",
    "mark_welcomed",
    "needs_welcome",
    "plan_welcome",
    "schedule_test_call",
    "welcome_key",
]

#: External ids of the calls *Send a test call* makes (a CRM's ids never start so).
TEST_CALL_PREFIX = "fieldnotes-setup-test:"
TEST_ACCOUNT = "Test call (Field Notes setup)"


def welcome_key(team_id: str, user_id: str) -> str:
    return f"{kinds.ONBOARDING_WELCOME}:{team_id}:{user_id}"


def plan_welcome(session: Session, team_id: str, user_id: str, *, now: datetime) -> str:
    """The person who installed the app (or the first configured admin) becomes an admin, and their welcome DM
    is a job (planned once, whoever asks again): its key."""
    ensure_workspace(session, team_id, now=now)
    people.ensure(session, team_id, user_id).is_admin = True
    key = welcome_key(team_id, user_id)
    jobs.plan(
        session,
        kind=kinds.ONBOARDING_WELCOME,
        key=key,
        due_at=now,
        now=now,
        team_id=team_id,
        payload={"user_id": user_id},
    )
    return key


def needs_welcome(session: Session, team_id: str, user_id: str) -> bool:
    person = people.get_by_slack_id(session, team_id, user_id)
    return person is not None and person.welcomed_at is None


def mark_welcomed(session: Session, team_id: str, user_id: str, *, now: datetime) -> None:
    onboarding.mark_welcomed(session, team_id, user_id, now=now)


def first_home_visit(session: Session, team_id: str, user_id: str, *, now: datetime) -> bool:
    """True the first time this person opens App Home (recorded now)."""
    people.ensure(session, team_id, user_id)
    return onboarding.mark_home_seen(session, team_id, user_id, now=now)


def mark_previewed(session: Session, team_id: str, *, now: datetime) -> None:
    onboarding.mark_previewed(session, team_id, now=now)


@dataclass(frozen=True)
class Checklist:
    """The Get started steps and what each shows."""

    digest_channels: list[str]  # channel ids with a digest schedule
    reps: int
    marketers: int
    webhook_connected: bool  # a call arrived through the webhook, or a test prompt was sent
    test_call_waiting: bool  # a test prompt is scheduled and not sent yet
    notes: int
    previewed: bool

    @property
    def steps(self) -> list[bool]:
        return [
            bool(self.digest_channels),
            self.reps > 0 and self.marketers > 0,
            self.webhook_connected,
            self.notes > 0,
            self.previewed,
        ]

    @property
    def complete(self) -> bool:
        return all(self.steps)


def checklist(session: Session, team_id: str) -> Checklist:
    found = onboarding.progress(session, team_id, test_prefix=TEST_CALL_PREFIX)
    return Checklist(
        digest_channels=[s.channel_id for s in digests.list_schedules(session, team_id)],
        reps=found.reps,
        marketers=found.marketers,
        webhook_connected=found.real_call or found.test_prompt_sent,
        test_call_waiting=found.test_prompt_waiting,
        notes=found.notes,
        previewed=found.previewed,
    )


def schedule_test_call(session: Session, team_id: str, user_id: str, *, now: datetime, ref: str) -> str:
    """A test call for the admin, prompted through the real path (call, prompt, `prompt.send` job due now): the
    job's key. `ref` (the click's action_ts) makes a retried click schedule nothing more."""
    admin = people.ensure(session, team_id, user_id)
    external_id = f"{TEST_CALL_PREFIX}{ref}"
    call = calls.create_call_once(
        session,
        team_id=team_id,
        external_id=external_id,
        rep_id=admin.id,
        account=TEST_ACCOUNT,
        deal_stage=None,
        ended_at=now,
        now=now,
    )
    prompt = calls.prompt_by_key(session, team_id, f"call:{external_id}")
    if call is not None:
        prompt = calls.create_prompt_once(
            session,
            team_id=team_id,
            kind="call",
            dedupe_key=f"call:{external_id}",
            rep_id=admin.id,
            due_at=now,
            now=now,
            call_id=call.id,
        )
    assert prompt is not None
    key = f"{kinds.PROMPT_SEND}:{prompt.id}"
    jobs.plan(
        session, kind=kinds.PROMPT_SEND, key=key, due_at=now, now=now, team_id=team_id, payload={"prompt_id": prompt.id}
    )
    return key
