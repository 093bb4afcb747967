"""Notes typed in the app's DM: a message is a note (read as `/feedback <text>` reads its text); a reply in a
prompt's thread answers that prompt; editing or deleting the message soon after changes or removes the note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.errors import UsageError
from bot.messages import dm as say
from bot.services import notes as note_service
from storage.models import Note
from storage.repositories import note_edits, notes, people, prompts
from storage.repositories.notes import AnswerIn

__all__ = [
    "EDIT_WINDOW",
    "Change",
    "DmMessage",
    "delete_dm_note",
    "dm_draft",
    "edit_dm_note",
]

#: How long after it was saved a note follows edits and deletions of its message.
EDIT_WINDOW = timedelta(minutes=10)

_LABELS = {"said": "What the customer said", "account": "Account"}


@dataclass(frozen=True)
class DmMessage:
    """A message a person typed in the app's DM, as the event gives it."""

    team_id: str
    user_id: str
    channel_id: str
    ts: str
    text: str
    thread_ts: str | None = None

    @property
    def dedupe_key(self) -> str:
        # The message's ts is unique in its channel and the same in Slack's retries, edits and deletions.
        return f"dm:{self.channel_id}:{self.ts}"


def dm_draft(session: Session, message: DmMessage) -> note_service.Draft:
    """The note a DM message makes; raises UsageError for text that is not a note (empty, help, too long)."""
    parsed = note_service.parse_feedback_text(message.text)
    if parsed.action != "note":
        raise UsageError(say.NOT_A_NOTE)
    account, prompt_id = parsed.account, None
    if message.thread_ts and message.thread_ts != message.ts:
        prompt_id, call_account = _open_prompt(session, message)
        account = account or call_account
    return note_service.Draft(
        source="dm",
        dedupe_key=message.dedupe_key,
        answers={"said": parsed.text, "account": account},
        labels=_LABELS,
        prompt_id=prompt_id,
    )


def _open_prompt(session: Session, message: DmMessage) -> tuple[int | None, str | None]:
    """The prompt this thread reply answers (its own and still open) and its call's account; else (None, None),
    and the reply is a note of its own."""
    assert message.thread_ts is not None
    prompt = prompts.by_message(session, message.team_id, message.channel_id, message.thread_ts)
    if prompt is None or prompt.state not in prompts.OPEN:
        return None, None
    rep = people.get(session, message.team_id, prompt.rep_id)
    if rep is None or rep.slack_user_id != message.user_id:
        return None, None
    found = prompts.with_call(session, message.team_id, prompt.id)
    call = found[1] if found is not None else None
    return prompt.id, call.account if call is not None else None


@dataclass(frozen=True)
class Change:
    """What an edit or a deletion of a DM message did to its note."""

    outcome: str  # "changed" | "too_late" | "refused"
    note_id: int
    message: str = ""  # for "refused": why


def edit_dm_note(session: Session, message: DmMessage, *, now: datetime) -> Change | None:
    """Re-read the edited message into its note (to be tagged again), within EDIT_WINDOW of saving it; None when
    the message made no note of this person's."""
    note = _own_note(session, message)
    if note is None:
        return None
    if now - note.created_at > EDIT_WINDOW:
        return Change("too_late", note.id)
    try:
        parsed = note_service.parse_feedback_text(message.text)
    except UsageError as exc:
        return Change("refused", note.id, exc.message)
    if parsed.action != "note":
        return Change("refused", note.id, say.NOT_A_NOTE)
    account = parsed.account or (note.account if note.call_id is not None else None)
    answers = [AnswerIn("said", _LABELS["said"], parsed.text), AnswerIn("account", _LABELS["account"], account)]
    note_edits.replace_text(session, message.team_id, note.id, text=parsed.text, account=account, answers=answers)
    return Change("changed", note.id)


def delete_dm_note(session: Session, message: DmMessage, *, now: datetime) -> Change | None:
    """Remove the note of a deleted message, within EDIT_WINDOW of saving it; None when it made no note."""
    note = _own_note(session, message)
    if note is None:
        return None
    if now - note.created_at > EDIT_WINDOW:
        return Change("too_late", note.id)
    note_edits.delete_note(session, message.team_id, note.id)
    return Change("changed", note.id)


def _own_note(session: Session, message: DmMessage) -> Note | None:
    note = notes.by_key(session, message.team_id, message.dedupe_key)
    if note is None:
        return None
    author = people.get(session, message.team_id, note.author_id)
    return note if author is not None and author.slack_user_id == message.user_id else None
