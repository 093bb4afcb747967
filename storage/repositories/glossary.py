"""The glossary: proposed definitions, label swaps made by *Fix tags*, and recent notes carrying a label."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import GlossaryProposal, LabelSwap, Note, Person, Tag, TaxonomyLabel
from storage.repositories._upsert import insert_ignore

__all__ = [
    "add_proposal_once",
    "decide_proposal",
    "describe_label",
    "get_proposal",
    "open_proposals",
    "recent_texts",
    "record_swaps",
    "swap_counts",
]


def describe_label(session: Session, team_id: str, kind: str, name: str, description: str) -> str | None:
    """Set a label's definition; the label's stored name, or None when there is no such label."""
    row = session.scalar(
        select(TaxonomyLabel).where(
            TaxonomyLabel.team_id == team_id, TaxonomyLabel.kind == kind, func.lower(TaxonomyLabel.name) == name.lower()
        )
    )
    if row is None:
        return None
    row.description = description
    return row.name


def add_proposal_once(session: Session, values: dict[str, Any]) -> bool:
    return insert_ignore(session, GlossaryProposal, values, ["team_id", "dedupe_key"])


def get_proposal(session: Session, team_id: str, proposal_id: int) -> GlossaryProposal | None:
    return session.scalar(
        select(GlossaryProposal).where(GlossaryProposal.team_id == team_id, GlossaryProposal.id == proposal_id)
    )


def open_proposals(session: Session, team_id: str, *, limit: int = 10) -> list[tuple[GlossaryProposal, Person]]:
    rows = session.execute(
        select(GlossaryProposal, Person)
        .join(Person, Person.id == GlossaryProposal.proposer_id)
        .where(GlossaryProposal.team_id == team_id, GlossaryProposal.state == "open")
        .order_by(GlossaryProposal.created_at, GlossaryProposal.id)
        .limit(limit)
    )
    return [(proposal, person) for proposal, person in rows]


def decide_proposal(session: Session, team_id: str, proposal_id: int, *, state: str, by: str, now: datetime) -> bool:
    """open -> approved | rejected, once (False: decided already, e.g. the other click of a double click)."""
    result = session.execute(
        update(GlossaryProposal)
        .where(
            GlossaryProposal.team_id == team_id, GlossaryProposal.id == proposal_id, GlossaryProposal.state == "open"
        )
        .values(state=state, decided_by=by, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def record_swaps(
    session: Session, team_id: str, note_id: int, swaps: Iterable[tuple[str, str, str]], *, now: datetime
) -> None:
    for kind, old, new in swaps:
        values = {"team_id": team_id, "note_id": note_id, "kind": kind, "from_label": old, "to_label": new}
        insert_ignore(session, LabelSwap, {**values, "created_at": now}, ["note_id", "kind", "from_label", "to_label"])


def swap_counts(session: Session, team_id: str, since: datetime) -> list[tuple[str, str, str, int]]:
    """(kind, from, to, notes) of the swaps made since `since`, most frequent first."""
    count = func.count(LabelSwap.id)
    rows = session.execute(
        select(LabelSwap.kind, LabelSwap.from_label, LabelSwap.to_label, count)
        .where(LabelSwap.team_id == team_id, LabelSwap.created_at >= since)
        .group_by(LabelSwap.kind, LabelSwap.from_label, LabelSwap.to_label)
        .order_by(count.desc())
    )
    return [(kind, old, new, n) for kind, old, new, n in rows]


def recent_texts(session: Session, team_id: str, kind: str, label: str, *, limit: int = 20) -> list[str]:
    """What the customer said, in the latest notes carrying the label (newest first)."""
    return list(
        session.scalars(
            select(Note.text)
            .join(Tag, Tag.note_id == Note.id)
            .where(Note.team_id == team_id, Tag.team_id == team_id, Tag.kind == kind, Tag.label == label)
            .order_by(Note.created_at.desc(), Note.id.desc())
            .limit(limit)
        )
    )
