"""Workspace models: trained pipelines stored as bytes, so that every process can load them."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import NlpModel

__all__ = ["add", "data", "digest", "ids"]


def add(session: Session, team_id: str, blob: bytes, *, now: datetime) -> int:
    """Store a packed pipeline for the workspace; its id."""
    row = NlpModel(team_id=team_id, created_at=now, sha256=hashlib.sha256(blob).hexdigest(), data=blob)
    session.add(row)
    session.flush()
    return row.id


def digest(session: Session, team_id: str, model_id: int) -> str | None:
    """The stored pipeline's SHA-256 (without reading its bytes), or None when the workspace has no such model."""
    return session.scalar(select(NlpModel.sha256).where(NlpModel.team_id == team_id, NlpModel.id == model_id))


def data(session: Session, team_id: str, model_id: int) -> bytes | None:
    """The packed pipeline, or None when the workspace has no model with that id."""
    return session.scalar(select(NlpModel.data).where(NlpModel.team_id == team_id, NlpModel.id == model_id))


def ids(session: Session, team_id: str) -> list[int]:
    """The workspace's stored models, oldest first."""
    return list(session.scalars(select(NlpModel.id).where(NlpModel.team_id == team_id).order_by(NlpModel.id)))
