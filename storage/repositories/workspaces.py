"""Workspaces and their configuration: questions, taxonomy labels, competitors."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Competitor, Question, TaxonomyLabel, Workspace
from storage.repositories._upsert import insert_ignore

__all__ = [
    "add_competitor",
    "add_label",
    "competitors",
    "config_version",
    "create_if_missing",
    "enterprise_of",
    "get",
    "labels",
    "questions",
    "remove_competitor",
    "remove_label",
    "replace_questions",
    "set_enterprise",
    "set_nlp_model",
    "team_ids",
    "touch",
    "trained_models",
]


def create_if_missing(session: Session, *, team_id: str, now: datetime, name: str = "") -> bool:
    """True when the workspace row was created now (the caller then seeds its defaults)."""
    return insert_ignore(
        session,
        Workspace,
        {
            "team_id": team_id,
            "name": name,
            "created_at": now,
            "quotes": "anonymous",
            "prompt_delay_minutes": 10,
            "nudge_hours": 4,
            "expiry_hours": 48,
        },
        ["team_id"],
    )


def set_enterprise(session: Session, team_id: str, enterprise_id: str) -> bool:
    """Record the Enterprise Grid org of a workspace: True when it changed."""
    result = session.execute(
        update(Workspace)
        .where(
            Workspace.team_id == team_id,
            or_(Workspace.enterprise_id.is_(None), Workspace.enterprise_id != enterprise_id),
        )
        .values(enterprise_id=enterprise_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def enterprise_of(session: Session, team_id: str) -> str | None:
    """The Enterprise Grid org of a workspace, when one of its requests said so."""
    return session.scalar(select(Workspace.enterprise_id).where(Workspace.team_id == team_id))


def config_version(session: Session, team_id: str) -> int | None:
    """Bumped by every edit of the questions, labels, competitors or NLP model; None for an unknown workspace."""
    return session.scalar(select(Workspace.config_version).where(Workspace.team_id == team_id))


def set_nlp_model(session: Session, team_id: str, model: str | None) -> bool:
    """Tag this workspace's notes with `model` (a saved pipeline's path; None: the shipped one). False when the
    workspace is unknown."""
    found = session.execute(
        update(Workspace).where(Workspace.team_id == team_id).values(nlp_model=model).returning(Workspace.team_id)
    ).first()
    if found is not None:
        _bump(session, team_id)
    return found is not None


def touch(session: Session, team_id: str) -> None:
    """Mark the workspace's configuration changed (a label's definition, edited elsewhere)."""
    _bump(session, team_id)


def _bump(session: Session, team_id: str) -> None:
    # A fresh random number rather than +1: a restored or rebuilt database never repeats a number that a
    # process has cached with other contents.
    session.execute(
        update(Workspace)
        .where(Workspace.team_id == team_id)
        .values(config_version=secrets.randbelow(2**31 - 1) + 1)
        .execution_options(synchronize_session=False)
    )


def get(session: Session, team_id: str) -> Workspace | None:
    return session.get(Workspace, team_id)


def trained_models(session: Session) -> list[tuple[str, str]]:
    """(team_id, nlp_model) of every workspace that tags with a model of its own."""
    query = select(Workspace.team_id, Workspace.nlp_model).where(Workspace.nlp_model.is_not(None))
    return [(team_id, model) for team_id, model in session.execute(query.order_by(Workspace.team_id)) if model]


def team_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))


def questions(session: Session, team_id: str) -> list[Question]:
    return list(session.scalars(select(Question).where(Question.team_id == team_id).order_by(Question.position)))


def replace_questions(session: Session, team_id: str, items: Iterable[dict[str, Any]]) -> list[Question]:
    """Store the question set in the given order (positions 1..n)."""
    _bump(session, team_id)
    session.execute(delete(Question).where(Question.team_id == team_id))
    session.flush()
    rows = [Question(team_id=team_id, position=i, **item) for i, item in enumerate(items, start=1)]
    session.add_all(rows)
    session.flush()
    return rows


def labels(session: Session, team_id: str, kind: str | None = None) -> list[TaxonomyLabel]:
    stmt = select(TaxonomyLabel).where(TaxonomyLabel.team_id == team_id)
    if kind is not None:
        stmt = stmt.where(TaxonomyLabel.kind == kind)
    return list(session.scalars(stmt.order_by(TaxonomyLabel.kind, TaxonomyLabel.id)))


def add_label(
    session: Session, team_id: str, *, kind: str, name: str, description: str = "", phrases: list[str] | None = None
) -> TaxonomyLabel:
    """Add a label, or merge the phrases into an existing one of that name."""
    _bump(session, team_id)
    existing = session.scalar(
        select(TaxonomyLabel).where(
            TaxonomyLabel.team_id == team_id,
            TaxonomyLabel.kind == kind,
            func.lower(TaxonomyLabel.name) == name.lower(),
        )
    )
    if existing is not None:
        merged = list(dict.fromkeys([*existing.phrases, *(phrases or [])]))
        existing.phrases = merged
        return existing
    row = TaxonomyLabel(team_id=team_id, kind=kind, name=name, description=description, phrases=phrases or [])
    session.add(row)
    session.flush()
    return row


def remove_label(session: Session, team_id: str, *, kind: str, name: str) -> bool:
    _bump(session, team_id)
    result = session.execute(
        delete(TaxonomyLabel).where(
            TaxonomyLabel.team_id == team_id,
            TaxonomyLabel.kind == kind,
            func.lower(TaxonomyLabel.name) == name.lower(),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def competitors(session: Session, team_id: str) -> list[Competitor]:
    return list(session.scalars(select(Competitor).where(Competitor.team_id == team_id).order_by(Competitor.name)))


def add_competitor(session: Session, team_id: str, *, name: str, aliases: list[str] | None = None) -> Competitor:
    _bump(session, team_id)
    existing = session.scalar(
        select(Competitor).where(Competitor.team_id == team_id, func.lower(Competitor.name) == name.lower())
    )
    if existing is not None:
        existing.aliases = list(dict.fromkeys([*existing.aliases, *(aliases or [])]))
        return existing
    row = Competitor(team_id=team_id, name=name, aliases=aliases or [])
    session.add(row)
    session.flush()
    return row


def remove_competitor(session: Session, team_id: str, *, name: str) -> bool:
    _bump(session, team_id)
    result = session.execute(
        delete(Competitor).where(Competitor.team_id == team_id, func.lower(Competitor.name) == name.lower())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
