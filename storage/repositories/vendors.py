"""Candidate competitors: vendors outside a workspace's list that its notes name with a comparison cue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Note, VendorMention

__all__ = ["CandidateRow", "candidates", "name_key", "notes_naming", "record", "remove"]


def name_key(name: str) -> str:
    """One candidate however a note writes it: "Freshsales", "freshsales", "FreshSales "."""
    return " ".join(name.split()).lower()[:255]


@dataclass(frozen=True)
class CandidateRow:
    key: str
    name: str  # as the latest note wrote it
    notes: int
    first_seen: datetime
    last_seen: datetime
    note_id: int  # the latest note that names it
    note_text: str


def record(session: Session, team_id: str, found: Mapping[int, Sequence[str]], seen: Mapping[int, datetime]) -> None:
    """Store the vendors each note (by id) names; a note seen again (re-tagged) moves only `last_seen`."""
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for note_id, names in found.items():
        for name in names:
            key = name_key(name)
            if key:
                at = seen[note_id]
                row = {"team_id": team_id, "note_id": note_id, "name": name.strip()[:255], "name_key": key}
                rows.setdefault((note_id, key), {**row, "first_seen": at, "last_seen": at})
    if not rows:
        return
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = module.insert(VendorMention)
    stmt = stmt.on_conflict_do_update(
        index_elements=["note_id", "name_key"], set_={"last_seen": stmt.excluded.last_seen}
    )
    session.execute(stmt, list(rows.values()))


def candidates(session: Session, team_id: str, *, limit: int = 20) -> list[CandidateRow]:
    """The workspace's candidates, the most often named first (then the latest), with the latest note."""
    grouped = (
        select(
            VendorMention.name_key,
            func.count(VendorMention.note_id.distinct()).label("notes"),
            func.min(VendorMention.first_seen).label("first_seen"),
            func.max(VendorMention.last_seen).label("last_seen"),
        )
        .where(VendorMention.team_id == team_id)
        .group_by(VendorMention.name_key)
        .order_by(func.count(VendorMention.note_id.distinct()).desc(), func.max(VendorMention.last_seen).desc())
        .limit(limit)
    )
    top = session.execute(grouped).all()
    if not top:
        return []
    latest: dict[str, tuple[str, int, str]] = {}
    rows = session.execute(
        select(VendorMention.name_key, VendorMention.name, Note.id, Note.text)
        .join(Note, Note.id == VendorMention.note_id)
        .where(
            VendorMention.team_id == team_id,
            Note.team_id == team_id,
            VendorMention.name_key.in_([r.name_key for r in top]),
        )
        .order_by(VendorMention.last_seen, Note.created_at, Note.id)
    )
    for key, name, note_id, text in rows:  # the last row of each name is its latest note
        latest[key] = (name, note_id, text)
    out = []
    for r in top:
        if r.name_key in latest:
            name, note_id, text = latest[r.name_key]
            out.append(CandidateRow(r.name_key, name, int(r.notes), r.first_seen, r.last_seen, note_id, text))
    return out


def remove(session: Session, team_id: str, names: Iterable[str]) -> int:
    """Forget the candidates of these names (any spelling): how many mentions went."""
    keys = [k for k in {name_key(n) for n in names} if k]
    if not keys:
        return 0
    result = session.execute(
        delete(VendorMention).where(VendorMention.team_id == team_id, VendorMention.name_key.in_(keys))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def notes_naming(session: Session, team_id: str, names: Iterable[str], *, limit: int) -> dict[int, str]:
    """Text by id of the workspace's latest notes whose text contains any of `names` (case-insensitive): the
    notes to re-tag when a vendor becomes a competitor. The tagger decides whether each really names it."""
    words = [w for w in {" ".join(n.split()).lower() for n in names} if w]
    if not words:
        return {}
    lowered = func.lower(Note.text)
    rows = session.execute(
        select(Note.id, Note.text)
        .where(Note.team_id == team_id, or_(*(lowered.contains(w, autoescape=True) for w in words)))
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(limit)
    )
    return {note_id: text for note_id, text in rows}
