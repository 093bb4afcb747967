"""Prompt state changes. Each is a conditional UPDATE, so a double click or a retry changes nothing twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from storage.models import Call, Prompt, Workspace

__all__ = [
    "OPEN",
    "WAITING",
    "answer",
    "bulk_add",
    "by_message",
    "checkin_workspaces",
    "mark_nudged",
    "mark_sent",
    "mark_undelivered",
    "pending_for_rep",
    "snooze",
    "with_call",
]

#: States in which a prompt still waits for the rep (`undelivered`: the DM could not be sent; the rep's App
#: Home shows it).
OPEN = ("scheduled", "sent", "undelivered")
#: Open prompts the rep can see (App Home).
WAITING = ("sent", "undelivered")


def _transition(
    session: Session, team_id: str, prompt_id: int, *, from_states: Iterable[str], **values: object
) -> bool:
    result = session.execute(
        update(Prompt)
        .where(Prompt.team_id == team_id, Prompt.id == prompt_id, Prompt.state.in_(list(from_states)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(session: Session, team_id: str, prompt_id: int, *, channel_id: str, ts: str, now: datetime) -> bool:
    return _transition(
        session,
        team_id,
        prompt_id,
        from_states=("scheduled",),
        state="sent",
        channel_id=channel_id,
        message_ts=ts,
        sent_at=now,
    )


def mark_undelivered(session: Session, team_id: str, prompt_id: int) -> bool:
    return _transition(session, team_id, prompt_id, from_states=("scheduled",), state="undelivered")


def answer(
    session: Session, team_id: str, prompt_id: int, *, state: str, now: datetime, note_id: int | None = None
) -> bool:
    """Close an open prompt as answered, skipped or expired; False when it was closed already."""
    if state not in ("answered", "skipped", "expired"):
        raise ValueError(f"not a closing state: {state!r}")
    return _transition(session, team_id, prompt_id, from_states=OPEN, state=state, answered_at=now, note_id=note_id)


def snooze(session: Session, team_id: str, prompt_id: int, *, until: datetime) -> bool:
    """A sent prompt goes back to scheduled, due at `until`; False when it was not waiting on the rep."""
    return _transition(session, team_id, prompt_id, from_states=("sent",), state="scheduled", due_at=until)


def mark_nudged(session: Session, team_id: str, prompt_id: int, *, now: datetime) -> bool:
    result = session.execute(
        update(Prompt)
        .where(
            Prompt.team_id == team_id,
            Prompt.id == prompt_id,
            Prompt.state == "sent",
            Prompt.nudged_at.is_(None),
        )
        .values(nudged_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def with_call(session: Session, team_id: str, prompt_id: int) -> tuple[Prompt, Call | None] | None:
    row = session.execute(
        select(Prompt, Call)
        .outerjoin(Call, Call.id == Prompt.call_id)
        .where(Prompt.team_id == team_id, Prompt.id == prompt_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def by_message(session: Session, team_id: str, channel_id: str, ts: str) -> Prompt | None:
    """The prompt whose DM is this message (a reply in its thread names it by thread_ts)."""
    return session.scalar(
        select(Prompt).where(Prompt.team_id == team_id, Prompt.channel_id == channel_id, Prompt.message_ts == ts)
    )


def pending_for_rep(
    session: Session, team_id: str, rep_id: int, *, limit: int = 10
) -> list[tuple[Prompt, Call | None]]:
    """Prompts sent to the rep (or that could not be) and still unanswered, newest first."""
    rows = session.execute(
        select(Prompt, Call)
        .outerjoin(Call, Call.id == Prompt.call_id)
        .where(Prompt.team_id == team_id, Prompt.rep_id == rep_id, Prompt.state.in_(WAITING))
        .order_by(Prompt.sent_at.desc(), Prompt.id.desc())
        .limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def checkin_workspaces(session: Session) -> list[Workspace]:
    """Workspaces with the end-of-day check-in switched on (the planner's starting point)."""
    return list(
        session.scalars(
            select(Workspace).where(
                Workspace.checkin_days.is_not(None),
                Workspace.checkin_time.is_not(None),
                Workspace.uninstalled_at.is_(None),
            )
        )
    )


def bulk_add(session: Session, prompts: Sequence[dict[str, Any]]) -> None:
    """Insert many prompt rows (column dicts) at once: for bulk loads such as the demo."""
    if prompts:
        session.execute(insert(Prompt), list(prompts))
