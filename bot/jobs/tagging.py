"""The safety net for tagging: notes a process stored but did not live to tag (bot/tagging.py tags them in
memory, right after the ack) are tagged by this job, without a confirmation, a few minutes later."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy.orm import Session

from bot.jobs import kinds
from bot.jobs.engine import JobContext, handler, planner
from bot.runtime import Runtime
from bot.tagging import tag_notes
from storage.repositories import jobs, notes

__all__ = ["GRACE"]

logger = logging.getLogger(__name__)

GRACE = timedelta(minutes=5)  # a note younger than this is still the live tagger's
EVERY_MINUTES = 10
BATCH = 500


@planner
def plan_sweep(runtime: Runtime, session: Session, now: datetime) -> None:
    slot = now.replace(minute=now.minute - now.minute % EVERY_MINUTES, second=0, microsecond=0)
    jobs.plan(session, kind=kinds.NOTES_TAG, key=f"{kinds.NOTES_TAG}:{slot.isoformat()}", due_at=now, now=now)


@handler(kinds.NOTES_TAG)
def tag_leftovers(ctx: JobContext) -> None:
    with ctx.runtime.session_factory() as session:
        found = notes.untagged_since(session, ctx.now - GRACE, limit=BATCH)
    tagged = 0
    for team_id, group in groupby(sorted(found), key=lambda row: row[0]):
        tagged += len(tag_notes(ctx.runtime, team_id, [note_id for _, note_id in group]))
    if tagged:
        logger.warning("tagged %d notes left untagged (a process stopped before tagging them)", tagged)
