"""Tagging notes after the ack, in batches: notes stored together get one spaCy pass and one transaction.

`queue_tagging` hands stored notes to the runtime's batcher (see `Runtime.batch`); when a note's batch is tagged,
its reply (the confirmation DM, or the ephemeral answer to `/feedback <text>`: a `Reply`) runs in the background
pool of the process that tagged it, and its `then` callback, if any, in the serving process's, with the tagged
note. A note that is tagged already (a retry, *Fix tags*, the safety-net job) is skipped, and gets neither. If the
process dies first, the note is kept untagged and the `notes.tag` job (bot/jobs/tagging.py) tags it a few minutes
later.

Where the tagging runs: `fieldnotes run` starts a `TaggingProcess` (a child process at a lower CPU priority, which
reads the notes from the database, tags them with spaCy and stores the tags), so tagging neither takes the serving
process's GIL from the acks nor waits for it, and can use another core. The tagging process also sends the
replies (their Slack calls cost the serving process as much CPU as the ack itself); the serving process keeps the
batching and the rep's profile refresh. Without one (tests, scripts) tagging runs in the calling thread.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.runtime import STOP_GRACE_SECONDS, Runtime, make_runtime
from bot.services import notes as note_service
from bot.services import vendors
from bot.services.corrections import with_candidates
from bot.services.directory import refresh_person
from bot.settings import Settings
from bot.slack import SlackDirectory
from nlp.tagger import Analysis, get_tagger

__all__ = ["Reply", "TaggingProcess", "ToTag", "queue_tagging", "refresh_rep", "tag_notes"]

logger = logging.getLogger(__name__)


class Reply(Protocol):
    """Tells the rep about their tagged note (the answer to `/feedback <text>`, the confirmation DM). Picklable, and
    run by the process that tagged the note, with that process's runtime: so with a tagging process, the answers
    and their Slack calls leave the serving process too (measured: about a third of its CPU under bench-ack)."""

    def __call__(self, runtime: Runtime, note: note_service.NoteView, /) -> object: ...


@dataclass(frozen=True)
class ToTag:
    """A stored note to tag, and who to tell: `then(note)` runs in the serving process's background pool once it is
    tagged; `reply(runtime, note)` in the tagging process's (see Reply)."""

    team_id: str
    user_id: str
    note_id: int
    client: WebClient
    then: Callable[[note_service.NoteView], object] | None = None
    reply: Reply | None = None


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
        replies = {i.note_id: i.reply for i in batch if i.reply is not None}
        tagged = tag_notes(runtime, team_id, [i.note_id for i in batch], replies)
        for item in batch:
            view = tagged.get(item.note_id)
            if view is not None and item.then is not None:
                runtime.background(item.then, view)
    # The rep's name and timezone (check-ins, Home), once per rep however many notes they sent.
    for item in {(i.team_id, i.user_id): i for i in items}.values():
        refresh_rep(runtime, item.client, item.team_id, item.user_id)


def tag_notes(
    runtime: Runtime, team_id: str, note_ids: Sequence[int], replies: Mapping[int, Reply] | None = None
) -> dict[int, note_service.NoteView]:
    """Tag those of the workspace's notes that are not tagged yet, with its taxonomy and model: the tagged notes
    by id. A tagger failure keeps the notes (untagged by machine, marked as tagged) and is logged. Each note this
    call tagged gets its reply, if `replies` has one, in the background of the process that tagged it.

    In the runtime's tagging process when it has one (see TaggingProcess), else in this thread."""
    now = runtime.now()
    if runtime.tagging_process is not None:
        return runtime.tagging_process.tag(runtime, team_id, list(note_ids), now, dict(replies or {}))
    return _tag_and_reply(runtime, runtime.executor, team_id, note_ids, now, replies or {})


def _tag_and_reply(
    runtime: Runtime,
    executor: Executor,
    team_id: str,
    note_ids: Sequence[int],
    now: datetime,
    replies: Mapping[int, Reply],
) -> dict[int, note_service.NoteView]:
    tagged = _tag_here(runtime, team_id, note_ids, now)
    for note_id, view in tagged.items():
        reply = replies.get(note_id)
        if reply is not None:
            executor.submit(_run_reply, reply, runtime, view)
    return tagged


def _run_reply(reply: Reply, runtime: Runtime, view: note_service.NoteView) -> None:
    try:
        reply(runtime, view)
    except Exception:
        logger.exception("telling the rep about note %s failed", view.id)


def _tag_here(
    runtime: Runtime, team_id: str, note_ids: Sequence[int], now: datetime
) -> dict[int, note_service.NoteView]:
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


class TaggingProcess:
    """A child process that tags notes (reads them, runs spaCy, stores the tags: `tag_notes`) for the process that
    serves Slack, at a lower CPU priority: under load the acks come first and the tagging catches up after.

    It builds its own runtime from the same settings (so the same database) and loads the tagger before its
    first batch. If it dies (killed, out of memory), the batch in hand is tagged in the caller's thread and the
    next batch starts a new process. It ignores SIGINT and SIGTERM: the serving process stops it once the work
    after the acks is done (`stop`), and it exits by itself if the serving process dies.
    """

    #: How much lower than the serving process it runs (`nice`).
    NICENESS = 10

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._pool = self._start()
        self._ready = self._pool.submit(_child_ready)  # starts the process now, while the caller loads too

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            # spawn, not fork: the serving process has threads (a fork copies their locks in whatever state).
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_child_start,
            initargs=(self._settings, self.NICENESS),
        )

    def ready(self, timeout: float = 300) -> None:
        """Wait until the process has started and loaded the tagger (so that no rep waits for spaCy)."""
        self._ready.result(timeout)

    def tag(
        self, runtime: Runtime, team_id: str, note_ids: list[int], now: datetime, replies: dict[int, Reply]
    ) -> dict[int, note_service.NoteView]:
        """Tag the notes there, where each gets its reply too; if the process died, here (replies from here)."""
        pool = self._pool
        try:
            return pool.submit(_child_tag, team_id, note_ids, now, replies).result()
        except BrokenProcessPool:
            logger.error("the tagging process stopped; notes %s are tagged here and a new process starts", note_ids)
            with self._lock:
                if self._pool is pool:
                    self._pool = self._start()
            return _tag_and_reply(runtime, runtime.executor, team_id, note_ids, now, replies)

    def pid(self) -> int:
        """The process id of the tagging process (started if it was not)."""
        return int(self._pool.submit(os.getpid).result())

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Let the process finish its batch in hand and, for up to `grace` s, the replies it has begun; then end it."""
        try:
            if not self._pool.submit(_child_wait_replies, grace).result(grace + 5):
                logger.warning("the tagging process stopped with replies left after %d s", grace)
        except Exception:  # it died or hangs: nothing more to wait for
            logger.warning("the tagging process did not say whether its replies were done", exc_info=True)
        self._pool.shutdown(wait=True, cancel_futures=True)


_CHILD: Runtime | None = None  # the tagging process's own runtime (its executor runs the replies)


def _child_start(settings: Settings, niceness: int) -> None:
    global _CHILD
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        os.nice(niceness)
    except OSError:  # not allowed here: it runs at the serving process's priority
        logger.warning("the tagging process could not lower its priority")
    from bot.logs import configure_logging

    configure_logging(settings.fieldnotes_log_format)
    parent = multiprocessing.parent_process()
    if parent is not None:  # the serving process killed (SIGKILL): nothing is left to tag for, so exit too
        threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    _CHILD = make_runtime(settings)
    get_tagger()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(0)


def _child_ready() -> bool:
    return _CHILD is not None


def _child_tag(
    team_id: str, note_ids: list[int], now: datetime, replies: dict[int, Reply]
) -> dict[int, note_service.NoteView]:
    assert _CHILD is not None, "the tagging process did not start"
    return _tag_and_reply(_CHILD, _CHILD.executor, team_id, note_ids, now, replies)


def _child_wait_replies(grace: float) -> bool:
    return _CHILD is None or _CHILD.executor.wait_idle(grace)
