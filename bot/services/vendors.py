"""Candidate competitors (SPEC §6): vendors outside the workspace's list that notes name with a comparison cue
("also piloting Freshsales"). Admins see them and may add one; adding re-tags the past notes that name it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.workspaces import config_for
from nlp.redact import redact
from storage.repositories import notes, vendors
from storage.repositories.notes import TagIn

__all__ = ["RETAG_LIMIT", "Retagged", "VendorCandidate", "adopt_vendor", "candidate_vendors", "record_vendors"]

#: Past notes re-tagged when a vendor is added, the latest first: bounds the work done in one request.
RETAG_LIMIT = 5000
_MACHINE = ("rule", "model")


@dataclass(frozen=True)
class VendorCandidate:
    name: str
    notes: int
    first_seen: datetime
    last_seen: datetime
    quote: str  # the latest note naming it, redacted (not escaped: the builder escapes)


def record_vendors(session: Session, team_id: str, found: Mapping[int, Sequence[str]], *, now: datetime) -> None:
    """Store the unlisted vendors each freshly tagged note (by id) names."""
    found = {note_id: names for note_id, names in found.items() if names}
    if found:
        vendors.record(session, team_id, found, dict.fromkeys(found, now))


def candidate_vendors(session: Session, team_id: str, *, limit: int = 10) -> list[VendorCandidate]:
    """The workspace's candidate competitors, the most often named first, each with its latest note."""
    listed = {c.name.lower() for c in config_for(session, team_id).taxonomy.competitors}
    return [
        VendorCandidate(row.name, row.notes, row.first_seen, row.last_seen, redact(row.note_text))
        for row in vendors.candidates(session, team_id, limit=limit + len(listed))
        if row.key not in listed  # added meanwhile by another way (the list is cleaned when one is added)
    ][:limit]


@dataclass(frozen=True)
class Retagged:
    looked_at: int  # notes whose text contains the name or an alias
    tagged: int  # of those, the notes that now carry the competitor


def adopt_vendor(session: Session, team_id: str, name: str, aliases: Sequence[str] = ()) -> Retagged:
    """After `name` joined the workspace's competitors: forget it as a candidate and re-tag the competitors of
    the past notes that name it (the latest RETAG_LIMIT), machine tags only. A note a person fixed keeps its
    tags; human tags are never touched. Runs in the caller's transaction."""
    from nlp.tagger import get_tagger

    vendors.remove(session, team_id, [name, *aliases])
    texts = vendors.notes_naming(session, team_id, [name, *aliases], limit=RETAG_LIMIT)
    if not texts:
        return Retagged(0, 0)
    config = config_for(session, team_id)
    ids = list(texts)
    analyses = get_tagger(config.nlp_model).analyse_many([texts[i] for i in ids], config.taxonomy)
    current = notes.tags_of(session, team_id, ids)
    by_id = {n.id: n for n in notes.get_many(session, team_id, ids)}
    new: dict[int, tuple[datetime, list[TagIn]]] = {}
    touched: list[int] = []
    for note_id, analysis in zip(ids, analyses, strict=True):
        tags = current[note_id]
        if by_id[note_id].corrected_at is not None and not any(t.source in _MACHINE for t in tags):
            continue  # *Fix tags* chose this note's tags: a person's word stands
        touched.append(note_id)
        found = [TagIn(t.kind, t.label, float(t.score), t.source, t.matched) for t in analysis.tags]
        new[note_id] = (by_id[note_id].created_at, [t for t in found if t.kind == "competitor"])
    notes.delete_tags(session, team_id, touched, sources=_MACHINE, kinds=("competitor",))
    notes.add_tags(session, team_id, new)
    key = name.strip().lower()
    after = notes.tags_of(session, team_id, touched)
    tagged = sum(1 for i in touched if any(t.kind == "competitor" and t.label.lower() == key for t in after[i]))
    return Retagged(len(texts), tagged)
