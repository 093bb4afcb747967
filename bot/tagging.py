"""Tagging notes after the ack, in batches: notes stored together get one spaCy pass and one transaction.

`queue_tagging` hands stored notes to the runtime's batcher (see `Runtime.batch`); when a note's batch is tagged,
its `then` callback (the confirmation DM, or the ephemeral answer to `/feedback <text>`) runs in the background
pool with the tagged note. A note that is tagged already (a retry, *Fix tags*, the safety-net job) is skipped,
and its `then` does not run. If the process dies first, the note is kept untagged and the `notes.tag` job
(bot/jobs/tagging.py) tags it a few minutes later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.runtime import Runtime
from bot.services import notes as note_service
from bot.services import vendors
from bot.services.corrections import with_candidates
from bot.services.directory import refresh_person
from bot.slack import SlackDirectory
from nlp.tagger import Analysis, get_tagger

__all__ = ["ToTag", "queue_tagging", "refresh_rep", "tag_notes"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToTag:
    """A stored note to tag, and who to tell: `then(note)` runs in the background pool once it is tagged."""

    team_id: str
    user_id: str
    note_id: int
    client: WebClient
    then: Callable[[note_service.NoteView], object] | None = None


def queue_tagging(runtime: Runtime, *notes: ToTag) -> None:
    """Tag the notes soon, with the others queued meanwhile. Notes stored together are queued together, so
    they make one batch (one spaCy pass, one transaction)."""
    if not notes:
        return
    metrics.TAGGING_QUEUE.inc(len(notes))
    try:
        runtime.batch(_tag_batch, *((runtime, note) for note in notes))
    except RuntimeError:  # the pool is shut down: the process is stopping
        metrics.TAGGING_QUEUE.dec(len(notes))
        logger.warning("notes %s left untagged for the notes.tag job", [n.note_id for n in notes])


def _tag_batch(queued: list[tuple[Runtime, ToTag]]) -> None:
    metrics.TAGGING_QUEUE.dec(len(queued))
    metrics.TAGGING_BATCH_SIZE.observe(len(queued))
    runtime = queued[0][0]
    items = [item for _, item in queued]
    for team_id, group in groupby(sorted(items, key=lambda i: i.team_id), key=lambda i: i.team_id):
        batch = list(group)
        tagged = tag_notes(runtime, team_id, [i.note_id for i in batch])
        for item in batch:
            view = tagged.get(item.note_id)
            if view is not None and item.then is not None:
                runtime.background(item.then, view)
    # The rep's name and timezone (check-ins, Home), once per rep however many notes they sent.
    for item in {(i.team_id, i.user_id): i for i in items}.values():
        refresh_rep(runtime, item.client, item.team_id, item.user_id)


def tag_notes(runtime: Runtime, team_id: str, note_ids: Sequence[int]) -> dict[int, note_service.NoteView]:
    """Tag those of the workspace's notes that are not tagged yet, with its taxonomy and model: the tagged notes
    by id. A tagger failure keeps the notes (untagged by machine, marked as tagged) and is logged."""
    with runtime.session_factory() as session:
        found = note_service.tagging_input(session, team_id, note_ids)
    if not found.texts:
        return {}
    ids = list(found.texts)
    try:
        analyses = get_tagger(found.model).analyse_many([found.texts[i] for i in ids], found.taxonomy)
    except Exception:
        logger.exception("tagging notes %s failed; they are kept without machine tags", ids)
        analyses = [Analysis([], [], ()) for _ in ids]
    by_id = dict(zip(ids, analyses, strict=True))
    now = runtime.now()
    with runtime.session_factory.begin() as session:
        views = note_service.store_machine_tags(session, team_id, {i: a.tags for i, a in by_id.items()}, now=now)
        # Only the notes this call tagged (claimed): a retry or a second tagger records nothing twice.
        vendors.record_vendors(session, team_id, {i: by_id[i].new_vendors for i in views}, now=now)
    return {i: with_candidates(view, by_id[i].candidates) for i, view in views.items()}


def refresh_rep(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> None:
    """Name and timezone (check-ins, Home) cached for a day; never fails the caller."""
    try:
        refresh_person(runtime.session_factory, team_id, user_id, SlackDirectory(client), now=runtime.now())
    except SlackApiError:
        logger.warning("could not read the Slack profile of %s", user_id, exc_info=True)
