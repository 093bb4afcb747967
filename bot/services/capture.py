"""Storing captured notes: one workflow for every way a rep gives a note (the modal, `/feedback <text>`,
the message shortcut)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.errors import FieldNotesError
from bot.services import notes as note_service
from bot.services.notes import Draft, NoteView

__all__ = ["Capture", "store_drafts"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: A capture's note as `store_drafts` stores it: (team id, Slack user id, draft).
Capture = tuple[str, str, Draft]


def store_drafts(
    session_factory: sessionmaker[Session],
    items: Sequence[T],
    capture: Callable[[Session, T], Capture],
    *,
    now: datetime,
) -> list[NoteView | Exception]:
    """Store the notes of every capture path (modal, `/feedback <text>`, shortcut): for each item its stored note,
    or why it was not stored (a FieldNotesError to show its rep, or our failure, logged here).

    `capture` turns an item into its note, or raises FieldNotesError when the item is not a note (that item is
    left out, the others go on). Group commit: the notes share one transaction; if one of them is refused or the
    transaction fails, it is rolled back and each item is stored in a transaction of its own, so no note is lost
    to another's and nothing is half-stored.
    """
    if len(items) > 1:
        try:
            with session_factory.begin() as session:
                return _store(session, items, capture, now)
        except FieldNotesError:
            logger.info("a note refused among %d: storing each on its own", len(items))
        except Exception:
            logger.warning("storing %d notes together failed; storing each on its own", len(items), exc_info=True)
    outcomes: list[NoteView | Exception] = []
    for item in items:
        try:
            with session_factory.begin() as session:
                outcomes.extend(_store(session, [item], capture, now))
        except FieldNotesError as exc:  # rolled back: nothing half-stored
            outcomes.append(exc)
        except Exception as exc:  # the database failed: the caller tells the rep to send it again
            logger.exception("storing a note failed")
            outcomes.append(exc)
    return outcomes


def _store(
    session: Session, items: Sequence[T], capture: Callable[[Session, T], Capture], now: datetime
) -> list[NoteView | Exception]:
    outcomes: list[NoteView | Exception | None] = [None] * len(items)
    by_team: dict[str, list[tuple[int, tuple[str, Draft]]]] = {}
    for i, item in enumerate(items):
        try:
            team_id, user_id, draft = capture(session, item)
        except FieldNotesError as exc:
            outcomes[i] = exc
            continue
        by_team.setdefault(team_id, []).append((i, (user_id, draft)))
    for team_id, entries in by_team.items():
        # Looked up at call time: tests stand in for a failing database here.
        views = note_service.create_notes(session, team_id, [d for _, d in entries], now=now)
        for (i, _), view in zip(entries, views, strict=True):
            outcomes[i] = view
    return [o for o in outcomes if o is not None]
