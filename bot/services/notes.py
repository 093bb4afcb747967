"""Notes: parse `/feedback` text, store a note with its answers once, tag it, let a person fix the tags."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.messages import feedback as say
from bot.services.stages import valid_stage
from bot.services.workspaces import config_for
from nlp.taxonomy import KINDS, Taxonomy
from storage.models import Note, Tag
from storage.repositories import funnel, notes, people, prompts
from storage.repositories.notes import AnswerIn, NoteIn, TagIn

__all__ = [
    "MAX_ACCOUNT_CHARS",
    "MAX_TEXT_CHARS",
    "AnswerIn",
    "Draft",
    "NoteView",
    "Parsed",
    "QuestionSpec",
    "RepHome",
    "TagView",
    "clean_text",
    "create_note",
    "create_notes",
    "find_note_view",
    "human_examples",
    "note_view",
    "parse_feedback_text",
    "questions_for_modal",
    "rep_home",
    "slack_unescape",
    "store_machine_tags",
]

#: The modal's inputs have this max_length; `/feedback <text>` longer than this is refused, not cut.
MAX_TEXT_CHARS = 3000
MAX_ACCOUNT_CHARS = 60
#: Question keys whose picks become human tags of this kind.
HUMAN_TAG_KEYS = {"objections": "objection", "competitors": "competitor"}

_HELP_WORDS = {"help", "-h", "--help", "?"}
_SENTENCE_WORDS = {
    "i", "we", "they", "he", "she", "you", "it", "said", "says", "told", "asked", "was", "were", "is",
    "are", "has", "have", "had", "that", "this", "because", "but", "if", "when", "not",
}  # fmt: skip
_SENTENCE_PUNCTUATION = re.compile(r"[.!?,;\"“”()\[\]<>]")


def clean_text(text: str) -> str:
    """Control characters dropped (newlines and tabs kept), line ends unified, outer space stripped."""
    if text.isprintable():  # the common case, checked in C: no control or format character, no line end
        return text.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\u200d")
    cleaned = "".join(kept).strip()
    return cleaned if any(not ch.isspace() and ch != "\u200d" for ch in cleaned) else ""


@dataclass(frozen=True)
class Parsed:
    """What `/feedback <text>` asks for: open the modal, show help, or store a note."""

    action: str  # open | help | note
    text: str = ""
    account: str | None = None


def slack_unescape(text: str) -> str:
    """Text as the person typed it: Slack sends `&`, `<` and `>` in command and message text as entities
    (ampersand last here, so a typed `&lt;` stays `&lt;`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_feedback_text(raw: str) -> Parsed:
    """`""` opens the modal, `help` shows help, anything else is a note; `Acme: text` names the account.

    `raw` is as Slack sends it (`/feedback` text, a DM message): `&amp;`, `&lt;`, `&gt;` are read as `&`, `<`, `>`.
    Raises UsageError for text the modal would not take either (longer than MAX_TEXT_CHARS).
    """
    text = clean_text(slack_unescape(raw))
    if not text:
        return Parsed("open")
    if text.lower() in _HELP_WORDS:
        return Parsed("help")
    if len(text) > MAX_TEXT_CHARS:
        raise UsageError(
            f"That note is {len(text):,} characters; a note can be at most {MAX_TEXT_CHARS:,}. "
            "Nothing was saved: shorten it, or split it into two notes."
        )
    account, rest = _split_account(text)
    if not rest.replace(":", "").strip():  # `Acme:` or `:` alone: an account, or nothing, but no note
        raise UsageError(say.EMPTY_AFTER_ACCOUNT)
    return Parsed("note", text=rest, account=account)


def _split_account(text: str) -> tuple[str | None, str]:
    head, colon, rest = text.partition(":")
    if not colon:
        return None, text
    account, body = head.strip(), rest.strip()
    if body and (body[0] in "/\\" or rest[:1].isdigit()):  # a URL or a time (10:30), not an account
        return None, text
    words = account.split()
    if (
        not account
        or len(account) > MAX_ACCOUNT_CHARS
        or len(words) > 5
        or "\n" in account
        or not any(ch.isalpha() for ch in account)
        or _SENTENCE_PUNCTUATION.search(account)
        or any(word.lower() in _SENTENCE_WORDS for word in words)
    ):
        return None, text
    return account, body


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    label: str
    type: str  # text | long | select | multiselect
    options: list[str]
    optional: bool


def questions_for_modal(session: Session, team_id: str) -> list[QuestionSpec]:
    """The workspace's question set; `objections`/`competitors` with no options offer the taxonomy's."""
    config = config_for(session, team_id)
    out = []
    for q in config.questions:
        options = list(q.options)
        if not options and q.key in HUMAN_TAG_KEYS:
            options = config.taxonomy.names(HUMAN_TAG_KEYS[q.key])
        out.append(QuestionSpec(q.key, q.label, q.type, options, bool(q.optional)))
    return out


# ---- storing -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Draft:
    """A note as the rep gave it: answers by question key (str, list[str] or None)."""

    source: str  # modal | command | shortcut
    dedupe_key: str
    answers: Mapping[str, Any]
    labels: Mapping[str, str] = field(default_factory=dict)  # question key -> label shown
    prompt_id: int | None = None
    extra_answers: Sequence[AnswerIn] = ()  # e.g. the message a shortcut logged


@dataclass(frozen=True)
class TagView:
    kind: str
    label: str
    source: str
    score: float
    matched: str | None


@dataclass(frozen=True)
class NoteView:
    id: int
    account: str | None
    outcome: str | None
    text: str
    created_at: datetime
    tags: list[TagView]
    created: bool = True
    prompt_id: int | None = None
    #: labels the tagger was unsure of, offered to the rep to confirm (never stored until confirmed).
    candidates: tuple[TagView, ...] = ()


def create_note(session: Session, team_id: str, user_id: str, draft: Draft, *, now: datetime) -> NoteView:
    """Store the note, every answer and the rep's own tags in the caller's transaction, once per dedupe key.

    A prompt named by the draft is closed as answered; one already closed by another note refuses this one.
    """
    return create_notes(session, team_id, [(user_id, draft)], now=now)[0]


def create_notes(
    session: Session, team_id: str, drafts: Sequence[tuple[str, Draft]], *, now: datetime
) -> list[NoteView]:
    """`create_note` for many (user id, draft) pairs of one workspace, in a few statements for all of them.

    The first refused draft raises (FieldNotesError) and the caller rolls back: nothing is half-stored.
    """
    accounts = {a for _, draft in drafts if (a := _account(draft))}
    segments = funnel.segments_of(session, team_id, accounts)
    authors = people.mark_reps(session, team_id, (user_id for user_id, _ in drafts))
    new = [_note_in(session, team_id, authors[user_id], draft, now, segments) for user_id, draft in drafts]
    stored = notes.create_many(session, team_id, new)
    human: dict[int, list[TagIn]] = {}
    for (note, created), (_, draft) in zip(stored, drafts, strict=True):
        if not created:
            continue
        human[note.id] = [
            TagIn(kind, str(label), 1.0, "human")
            for key, kind in HUMAN_TAG_KEYS.items()
            for label in dict.fromkeys(draft.answers.get(key) or [])
        ]
        if draft.prompt_id is not None and not prompts.answer(
            session, team_id, draft.prompt_id, state="answered", now=now, note_id=note.id
        ):
            raise UsageError(say.ALREADY_LOGGED)
    notes.add_tags(
        session, team_id, {note.id: (note.created_at, human[note.id]) for note, created in stored if created}
    )
    earlier = notes.tags_of(session, team_id, [note.id for note, created in stored if not created])
    views = []
    for (note, created), (_, draft) in zip(stored, drafts, strict=True):
        if created:  # a new note's only tags are the rep's own: the view is built without reading them back
            tags = sorted(
                (TagView(t.kind, t.label, t.source, t.score, t.matched) for t in human[note.id]), key=_tag_order
            )
        else:
            tags = [_tag_view(t) for t in earlier[note.id]]
        views.append(_view(note, tags, created=created, prompt_id=draft.prompt_id))
    return views


def _account(draft: Draft) -> str | None:
    return _text(draft.answers.get("account"))[:255] or None


def _note_in(
    session: Session, team_id: str, author_id: int, draft: Draft, now: datetime, segments: dict[str, str | None]
) -> NoteIn:
    """The row to insert for a draft by its author (a person id, marked as a rep); refuses one with nothing said,
    or for a prompt that is not the rep's."""
    call_id, call_stage = None, None
    if draft.prompt_id is not None:
        found = prompts.with_call(session, team_id, draft.prompt_id)
        if found is None or found[0].rep_id != author_id:
            raise NotFound(say.PROMPT_NOT_YOURS)
        call_id = found[0].call_id
        call_stage = found[1].stage if found[1] is not None else None
    said = _text(draft.answers.get("said"))
    if not said:
        raise UsageError(say.EMPTY_NOTE)
    account = _account(draft)
    return NoteIn(
        team_id=team_id,
        author_id=author_id,
        source=draft.source,
        dedupe_key=draft.dedupe_key,
        text=said,
        created_at=now,
        account=account,
        outcome=_text(draft.answers.get("outcome"))[:32] or None,
        helped=_text(draft.answers.get("helped")) or None,
        worked=_text(draft.answers.get("worked")) or None,
        # The rep's answer wins over the CRM's: they were on the call.
        stage=valid_stage(_text(draft.answers.get("stage"))) or call_stage,
        segment=segments.get(account) if account else None,
        call_id=call_id,
        answers=[
            *(
                AnswerIn(key, draft.labels.get(key, key), value)
                for key, value in draft.answers.items()
                if value not in (None, "", [])
            ),
            *draft.extra_answers,
        ],
    )


def _text(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def note_view(
    session: Session, team_id: str, note: Note, *, created: bool = True, prompt_id: int | None = None
) -> NoteView:
    tags = notes.tags_of(session, team_id, [note.id])[note.id]
    return _view(note, [_tag_view(t) for t in tags], created=created, prompt_id=prompt_id)


def _view(
    note: Note | notes.StoredNote, tags: list[TagView], *, created: bool = True, prompt_id: int | None = None
) -> NoteView:
    return NoteView(
        id=note.id,
        account=note.account,
        outcome=note.outcome,
        text=note.text,
        created_at=note.created_at,
        tags=tags,
        created=created,
        prompt_id=prompt_id,
    )


def _tag_view(tag: Tag) -> TagView:
    return TagView(tag.kind, tag.label, tag.source, tag.score, tag.matched)


def _tag_order(tag: TagView) -> tuple[str, str]:
    return tag.kind, tag.label  # as tags_of orders them


# ---- tagging -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaggingInput:
    """What the tagger needs for a batch of one workspace's notes: the untagged ones' texts by id."""

    texts: dict[int, str]
    taxonomy: Taxonomy
    model: str | None


def tagging_input(session: Session, team_id: str, note_ids: Sequence[int]) -> TaggingInput:
    """The texts of those of `note_ids` not tagged yet, with the workspace's taxonomy and model."""
    texts = notes.untagged(session, team_id, note_ids)
    config = config_for(session, team_id)
    return TaggingInput(texts, config.taxonomy, config.nlp_model)


def store_machine_tags(
    session: Session, team_id: str, tagged: Mapping[int, Sequence[Any]], *, now: datetime
) -> dict[int, NoteView]:
    """Store the tagger's tags (nlp.tagger.Tag, by note id) beside the human ones, in a few statements for the
    whole batch. Notes someone else tagged first are left alone and missing from the answer."""
    claimed = notes.claim_tagging(session, team_id, list(tagged), now=now)
    if not claimed:
        return {}
    ids = list(claimed)
    notes.delete_tags(session, team_id, ids, sources=("rule", "model"))
    new = {
        note_id: (created_at, [TagIn(t.kind, t.label, float(t.score), t.source, t.matched) for t in tagged[note_id]])
        for note_id, created_at in claimed.items()
    }
    notes.add_tags(session, team_id, new)
    tags = notes.tags_of(session, team_id, ids)
    return {n.id: _view(n, [_tag_view(t) for t in tags[n.id]]) for n in notes.get_many(session, team_id, ids)}


def find_note_view(session: Session, team_id: str, note_id: int) -> NoteView | None:
    note = notes.get(session, team_id, note_id)
    return None if note is None else note_view(session, team_id, note)


def human_examples(session: Session, team_id: str) -> list[dict[str, Any]]:
    """Corrected notes in the labelled-data format `fieldnotes nlp train` reads (one dict per JSON line)."""
    out = []
    for note, tags in notes.human_tagged(session, team_id):
        by_kind: dict[str, list[str]] = {kind: [] for kind in KINDS}
        for tag in tags:
            by_kind[tag.kind].append(tag.label)
        out.append(
            {
                "text": note.text,
                "themes": by_kind["theme"],
                "objections": by_kind["objection"],
                "competitors": by_kind["competitor"],
            }
        )
    return out


# ---- App Home --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RepHome:
    """What the rep section of App Home shows."""

    user_id: str
    notes: list[NoteView]
    pending: list[Any]  # bot.services.prompts.PromptInfo


def rep_home(session: Session, team_id: str, user_id: str, *, limit: int = 5) -> RepHome:
    from bot.services.prompts import pending_for

    person = people.get_by_slack_id(session, team_id, user_id)
    if person is None:
        return RepHome(user_id, [], [])
    recent = notes.recent_by_author(session, team_id, person.id, limit=limit)
    tags = notes.tags_of(session, team_id, [n.id for n in recent])
    views = [
        NoteView(n.id, n.account, n.outcome, n.text, n.created_at, [_tag_view(t) for t in tags[n.id]]) for n in recent
    ]
    return RepHome(user_id, views, pending_for(session, team_id, user_id))
