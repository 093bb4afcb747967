"""People correcting the tagger: *Fix tags* (replace a note's tags) and a candidate tag confirmed with one click.

Both store `human` tags (kept for training) and mark the note corrected; only the note's rep or an admin may.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import NotFound, PermissionDenied
from bot.messages import tags as say
from bot.services import glossary
from bot.services.notes import NoteView, TagView, note_view
from bot.services.workspaces import taxonomy_for
from nlp.taxonomy import KINDS
from storage.models import Note
from storage.repositories import notes, people
from storage.repositories.notes import TagIn

__all__ = [
    "MAX_CANDIDATES",
    "CorrectionShare",
    "confirm_candidate",
    "correction_share",
    "fix_tags",
    "fix_tags_form",
    "with_candidates",
]

#: The window of the share of corrected notes shown to admins.
SHARE_DAYS = 30
#: Candidate tags offered under a saved note: a short line, not a second form.
MAX_CANDIDATES = 3


def with_candidates(view: NoteView, candidates: Sequence[Any]) -> NoteView:
    """The view with the tagger's candidates (nlp.tagger.Tag) the note does not carry yet, best first, at most
    MAX_CANDIDATES."""
    tagged = {(t.kind, t.label) for t in view.tags}
    ranked = sorted(candidates, key=lambda t: -float(t.score))
    offered = {(t.kind, t.label): t for t in ranked if (t.kind, t.label) not in tagged}
    picked = tuple(TagView(t.kind, t.label, t.source, float(t.score), t.matched) for t in offered.values())
    return replace(view, candidates=picked[:MAX_CANDIDATES])


def _own_note(session: Session, team_id: str, note_id: int, user_id: str, refusal: str) -> Note:
    """The note, when the user wrote it or is an admin; NotFound or PermissionDenied otherwise."""
    note = notes.get(session, team_id, note_id)
    if note is None:
        raise NotFound(say.NOTE_GONE)
    person = people.get_by_slack_id(session, team_id, user_id)
    if person is None or (person.id != note.author_id and not person.is_admin):
        raise PermissionDenied(refusal)
    return note


def fix_tags(
    session: Session,
    team_id: str,
    note_id: int,
    user_id: str,
    chosen: Mapping[str, Sequence[str]],
    *,
    now: datetime,
) -> NoteView:
    """Replace every tag of the note with `chosen` (kind -> labels), as `human` tags kept for training."""
    note = _own_note(session, team_id, note_id, user_id, say.FIX_NOT_YOURS)
    taxonomy = taxonomy_for(session, team_id)
    new = [
        TagIn(kind, label, 1.0, "human")
        for kind in KINDS
        for label in dict.fromkeys(chosen.get(kind, ()))
        if taxonomy.has(kind, label)
    ]
    before: dict[str, list[str]] = {}
    for tag in notes.tags_of(session, team_id, [note_id]).get(note_id, []):
        before.setdefault(tag.kind, []).append(tag.label)
    notes.replace_tags(session, team_id, note_id, new)
    # What the rep swapped for what: vocabulary drift, shown to admins as terms to clarify.
    glossary.record_fix(
        session, team_id, note_id, before, {k: [t.label for t in new if t.kind == k] for k in KINDS}, now=now
    )
    if note.tagged_at is None:  # a late tagger must not add machine tags over a person's choice
        note.tagged_at = note.created_at
    notes.mark_corrected(session, team_id, note_id, now=now)
    return note_view(session, team_id, note)


def fix_tags_form(session: Session, team_id: str, note_id: int, user_id: str) -> tuple[NoteView, dict[str, list[str]]]:
    """The note and the workspace's labels by kind, for the *Fix tags* modal; PermissionDenied unless the user
    wrote the note or is an admin."""
    try:
        note = _own_note(session, team_id, note_id, user_id, say.NOT_YOURS)
    except NotFound as exc:
        raise PermissionDenied(say.NOT_YOURS) from exc
    taxonomy = taxonomy_for(session, team_id)
    return note_view(session, team_id, note), {kind: taxonomy.names(kind) for kind in KINDS}


def confirm_candidate(
    session: Session,
    team_id: str,
    note_id: int,
    user_id: str,
    picked: tuple[str, str],
    offered: Sequence[tuple[str, str]] = (),
    *,
    now: datetime,
) -> NoteView:
    """Add the candidate (kind, label) the rep confirmed as a `human` tag: idempotent, so a double click or a
    Slack retry changes nothing more. The view carries those of `offered` still not on the note.

    A label no longer in the workspace's taxonomy is refused (NotFound), and nothing is stored.
    """
    note = _own_note(session, team_id, note_id, user_id, say.CONFIRM_NOT_YOURS)
    kind, label = picked
    taxonomy = taxonomy_for(session, team_id)
    if kind not in KINDS or not taxonomy.has(kind, label):
        raise NotFound(say.LABEL_GONE)
    # Once only (the insert skips a label the note has); a machine tag of the label, which a re-tag may have
    # added meanwhile, stays as it is: the note is counted with it either way.
    notes.add_tags(session, team_id, {note_id: (note.created_at, [TagIn(kind, label, 1.0, "human")])})
    if note.tagged_at is None:  # the live tagger must not run over a note a person has tagged
        note.tagged_at = note.created_at
    notes.mark_corrected(session, team_id, note_id, now=now)
    view = note_view(session, team_id, note)
    tagged = {(t.kind, t.label) for t in view.tags}
    left = tuple(
        TagView(k, lab, "model", 0.0, None)
        for k, lab in dict.fromkeys(offered)
        if (k, lab) not in tagged and taxonomy.has(k, lab)
    )
    return replace(view, candidates=left)


@dataclass(frozen=True)
class CorrectionShare:
    corrected: int
    notes: int
    days: int = SHARE_DAYS

    @property
    def percent(self) -> int:
        return round(100 * self.corrected / self.notes) if self.notes else 0


def correction_share(session: Session, team_id: str, *, now: datetime) -> CorrectionShare:
    """Of the notes written in the last 30 days, how many a person corrected."""
    corrected, total = notes.corrected_counts(session, team_id, now - timedelta(days=SHARE_DAYS))
    return CorrectionShare(corrected, total)
