"""What the Get started checklist reads and records: a few EXISTS queries over a workspace's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.orm import Session

from storage.models import Call, DigestRun, Note, Person, Prompt, Workspace

__all__ = ["Progress", "mark_home_seen", "mark_previewed", "mark_welcomed", "progress"]


@dataclass(frozen=True)
class Progress:
    reps: int
    marketers: int
    real_call: bool  # a call arrived through the webhook
    test_prompt_sent: bool
    test_prompt_waiting: bool
    notes: int
    previewed: bool  # previewed by an admin, or a digest was posted


def progress(session: Session, team_id: str, *, test_prefix: str) -> Progress:
    """The workspace's setup state; calls whose external id starts with `test_prefix` are test calls."""

    def count(*where: ColumnElement[bool]) -> int:
        return int(
            session.scalar(select(func.count()).select_from(Person).where(Person.team_id == team_id, *where)) or 0
        )

    def test_prompts(*where: ColumnElement[bool]) -> bool:
        query = (
            select(Prompt.id)
            .join(Call, Call.id == Prompt.call_id)
            .where(Prompt.team_id == team_id, Call.external_id.startswith(test_prefix, autoescape=True), *where)
        )
        return bool(session.scalar(select(exists(query))))

    real_call = select(Call.id).where(
        Call.team_id == team_id, ~Call.external_id.startswith(test_prefix, autoescape=True)
    )
    posted = select(DigestRun.id).where(DigestRun.team_id == team_id, DigestRun.state == "posted")
    previewed_at = session.scalar(select(Workspace.digest_previewed_at).where(Workspace.team_id == team_id))
    return Progress(
        reps=count(Person.is_rep.is_(True)),
        marketers=count(Person.is_marketer.is_(True)),
        real_call=bool(session.scalar(select(exists(real_call)))),
        test_prompt_sent=test_prompts(Prompt.sent_at.is_not(None)),
        test_prompt_waiting=test_prompts(Prompt.sent_at.is_(None)),
        notes=int(
            session.scalar(select(func.count()).select_from(Note).where(Note.team_id == team_id, Note.source != "demo"))
            or 0
        ),
        previewed=previewed_at is not None or bool(session.scalar(select(exists(posted)))),
    )


def mark_previewed(session: Session, team_id: str, *, now: datetime) -> bool:
    """Record the first digest preview; True the first time."""
    result = session.execute(
        update(Workspace)
        .where(Workspace.team_id == team_id, Workspace.digest_previewed_at.is_(None))
        .values(digest_previewed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _mark_person(session: Session, team_id: str, user_id: str, column: str, now: datetime) -> bool:
    field = getattr(Person, column)
    result = session.execute(
        update(Person)
        .where(Person.team_id == team_id, Person.slack_user_id == user_id, field.is_(None))
        .values({column: now})
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_welcomed(session: Session, team_id: str, user_id: str, *, now: datetime) -> bool:
    """Record that the welcome DM went to this person; True the first time."""
    return _mark_person(session, team_id, user_id, "welcomed_at", now)


def mark_home_seen(session: Session, team_id: str, user_id: str, *, now: datetime) -> bool:
    """Record the person's first App Home visit; True the first time."""
    return _mark_person(session, team_id, user_id, "home_seen_at", now)
