"""Closing the loop: marketers answer (or question) the reps who raised a label; reps answer back.

Slack-free: listeners turn what these functions return into Slack calls.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from bot.errors import PermissionDenied, UsageError
from bot.messages import replies as say
from bot.services.schedule import zone
from nlp.taxonomy import KINDS
from storage.models import Reply
from storage.repositories import digests, people, replies, workspaces

__all__ = [
    "KINDS",
    "MAX_MESSAGE",
    "Answer",
    "Audience",
    "Delivery",
    "LabelRef",
    "RecordedReply",
    "audience",
    "check_may_reply",
    "display_label",
    "may_reply_by_role",
    "parse_action_value",
    "record_answer",
    "record_reply",
    "refusal",
    "validate_link",
    "validate_message",
]

logger = logging.getLogger(__name__)

MAX_MESSAGE = 3000
MAX_LINK = 2000


@dataclass(frozen=True)
class LabelRef:
    """A label of a digest period: what a *Reply to reps* / *Ask reps* button points at. [start, end) in UTC, the
    local midnights of the days in `tz` (the digest schedule's timezone)."""

    run_id: int | None
    kind: str
    label: str
    start: datetime
    end: datetime
    tz: str = "UTC"

    def action_value(self) -> str:
        """The button value: compact JSON with ISO dates in `tz` (`e` is the exclusive end date), and `z`, the
        timezone, unless it is UTC."""
        local = zone(self.tz)
        value: dict[str, object] = {
            "r": self.run_id,
            "k": self.kind,
            "l": self.label,
            "s": self.start.astimezone(local).date().isoformat(),
            "e": self.end.astimezone(local).date().isoformat(),
        }
        if self.tz != "UTC":
            value["z"] = self.tz
        return _compact(value)

    def metadata(self) -> str:
        """Exact period for a modal's private_metadata."""
        return _compact(
            {
                "r": self.run_id,
                "k": self.kind,
                "l": self.label,
                "s": self.start.isoformat(),
                "e": self.end.isoformat(),
                "z": self.tz,
            }
        )

    @classmethod
    def from_metadata(cls, text: str) -> LabelRef:
        data = json.loads(text)
        return cls(
            data.get("r"),
            str(data["k"]),
            str(data["l"]),
            datetime.fromisoformat(data["s"]),
            datetime.fromisoformat(data["e"]),
            str(data.get("z") or "UTC"),
        )


def _compact(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def parse_action_value(value: str | None) -> LabelRef:
    """Read a button value `{"r", "k", "l", "s", "e", "z"?}`; dates are days in timezone `z` (UTC without it),
    `e` exclusive (a 6-day span is taken as inclusive). Raises UsageError on anything malformed."""
    try:
        data = json.loads(value or "")
        kind, label = str(data["k"]), str(data["l"]).strip()
        start_day, end_day = date.fromisoformat(str(data["s"])[:10]), date.fromisoformat(str(data["e"])[:10])
        run_id = data.get("r")
        run_id = int(run_id) if run_id is not None else None
        tz = str(data.get("z") or "UTC")
        local = ZoneInfo(tz)
    except (ValueError, KeyError, TypeError, ZoneInfoNotFoundError) as exc:
        raise UsageError("That button is out of date: open the latest digest and try again.") from exc
    if kind not in KINDS or not label or end_day < start_day:
        raise UsageError("That button is out of date: open the latest digest and try again.")
    if (end_day - start_day).days in (0, 6):
        end_day += timedelta(days=1)
    start = datetime.combine(start_day, time(0), tzinfo=local).astimezone(UTC)
    end = datetime.combine(end_day, time(0), tzinfo=local).astimezone(UTC)
    return LabelRef(run_id, kind, label, start, end, tz)


def display_label(label: str) -> str:
    return label[:1].upper() + label[1:] if label.islower() else label


def validate_link(link: str | None) -> str | None:
    """The link stripped, or None when empty; raises UsageError unless it is an http(s) URL."""
    link = (link or "").strip()
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in link for c in "<>| \n\t"):
        raise UsageError(say.ONLY_WEB_LINKS)
    if len(link) > MAX_LINK:
        raise UsageError(say.link_too_long(MAX_LINK))
    return link


def validate_message(text: str | None) -> str:
    text = "".join(c for c in (text or "") if c in "\n\t" or c.isprintable()).strip()
    if not text:
        raise UsageError(say.WRITE_MESSAGE)
    if len(text) > MAX_MESSAGE:
        raise UsageError(say.too_long(MAX_MESSAGE))
    return text


# ---- who may reply -----------------------------------------------------------------------------------
def may_reply_by_role(session: Session, team_id: str, user_id: str, admin_ids: Iterable[str]) -> bool:
    if user_id in set(admin_ids):
        return True
    person = people.get_by_slack_id(session, team_id, user_id)
    return person is not None and (person.is_marketer or person.is_admin)


def digest_channels(session: Session, team_id: str, run_id: int | None) -> list[str]:
    """The channel of the digest the button came from, or every digest channel of the workspace."""
    if run_id is not None:
        run = digests.get_run(session, team_id, run_id)
        if run is not None:
            return [run.channel_id]
    return replies.digest_channel_ids(session, team_id)


def channel_members_may_reply(session: Session, team_id: str) -> bool:
    """An admin's choice (`/fieldnotes settings replies channel`); by default only marketers and admins may."""
    workspace = workspaces.get(session, team_id)
    return workspace is not None and workspace.replies_by_channel_members


def refusal(session: Session, team_id: str, admin_ids: Iterable[str]) -> str:
    ids = {p.slack_user_id for p in people.by_role(session, team_id, "is_marketer")}
    ids |= {p.slack_user_id for p in people.by_role(session, team_id, "is_admin")}
    ids |= set(admin_ids)
    return say.who_may_reply(ids, channel_members=channel_members_may_reply(session, team_id))


def check_may_reply(
    session: Session, team_id: str, user_id: str, admin_ids: Iterable[str], channel_members: Iterable[str]
) -> None:
    """Raises PermissionDenied (its message names who can) unless the user may reply or ask."""
    admin_ids = list(admin_ids)
    if may_reply_by_role(session, team_id, user_id, admin_ids):
        return
    if channel_members_may_reply(session, team_id) and user_id in set(channel_members):
        return
    raise PermissionDenied(refusal(session, team_id, admin_ids))


# ---- the audience of a label ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Audience:
    ref: LabelRef
    rep_ids: list[str]  # Slack user ids, each once
    notes: dict[str, str] = field(default_factory=dict)  # rep -> their latest note on the label


def resolve(session: Session, team_id: str, ref: LabelRef) -> LabelRef:
    """The digest run's exact period wins over the dates in the button."""
    if ref.run_id is None:
        return ref
    run = digests.get_run(session, team_id, ref.run_id)
    if run is None:
        return LabelRef(None, ref.kind, ref.label, ref.start, ref.end, ref.tz)
    return LabelRef(run.id, ref.kind, ref.label, run.period_start, run.period_end, ref.tz)


def audience(session: Session, team_id: str, ref: LabelRef) -> Audience:
    ref = resolve(session, team_id, ref)
    raised = replies.raised_notes(session, team_id, kind=ref.kind, label=ref.label, start=ref.start, end=ref.end)
    return Audience(ref, [p.slack_user_id for p, _ in raised], {p.slack_user_id: n.text for p, n in raised})


# ---- replies and asks ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivery:
    recipient_id: int
    rep_id: int
    slack_user_id: str
    note_text: str


@dataclass(frozen=True)
class RecordedReply:
    reply_id: int
    kind: str
    author: str
    ref: LabelRef
    message: str
    link: str | None
    deliveries: list[Delivery]
    thread: tuple[str, str] | None  # (channel, ts) of the digest message


def record_reply(
    session: Session,
    team_id: str,
    *,
    kind: str,
    view_id: str,
    author: str,
    ref: LabelRef,
    message: str,
    link: str | None,
    now: datetime,
) -> RecordedReply | None:
    """Store the reply and its recipients (the reps who raised the label in the period); None when this view
    was submitted before, so a double submit sends nothing twice."""
    ref = resolve(session, team_id, ref)
    person = people.ensure(session, team_id, author)
    reply = replies.create_reply_once(
        session,
        team_id=team_id,
        kind=kind,
        dedupe_key=f"{kind}:{view_id}",
        author_id=person.id,
        digest_run_id=ref.run_id,
        tag_kind=ref.kind,
        tag_label=ref.label,
        period_start=ref.start,
        period_end=ref.end,
        message=message,
        link=link,
        now=now,
    )
    if reply is None:
        return None
    raised = replies.raised_notes(session, team_id, kind=ref.kind, label=ref.label, start=ref.start, end=ref.end)
    for rep, _ in raised:
        replies.add_recipient(session, team_id=team_id, reply_id=reply.id, person_id=rep.id)
    return pending(session, team_id, reply, {p.id: n.text for p, n in raised})


def pending(session: Session, team_id: str, reply: Reply, notes: dict[int, str] | None = None) -> RecordedReply:
    """The reply with the recipients not yet sent to (all of them for a fresh reply)."""
    author = people.get(session, team_id, reply.author_id)
    deliveries = [
        Delivery(r.id, p.id, p.slack_user_id, (notes or {}).get(p.id, ""))
        for r, p in replies.recipients(session, team_id, reply.id)
        if r.sent_at is None
    ]
    return RecordedReply(
        reply_id=reply.id,
        kind=reply.kind,
        author=author.slack_user_id if author else "",
        ref=LabelRef(reply.digest_run_id, reply.tag_kind, reply.tag_label, reply.period_start, reply.period_end),
        message=reply.message,
        link=reply.link,
        deliveries=deliveries,
        thread=thread_of(session, team_id, reply),
    )


def pending_with_notes(session: Session, team_id: str, reply: Reply) -> RecordedReply:
    """`pending`, with each recipient's note that raised the label (quoted in their DM)."""
    raised = replies.raised_notes(
        session, team_id, kind=reply.tag_kind, label=reply.tag_label, start=reply.period_start, end=reply.period_end
    )
    return pending(session, team_id, reply, {p.id: n.text for p, n in raised})


def sent_count(session: Session, team_id: str, reply_id: int) -> int:
    return sum(1 for r, _ in replies.recipients(session, team_id, reply_id) if r.sent_at is not None)


def thread_of(session: Session, team_id: str, reply: Reply) -> tuple[str, str] | None:
    run = digests.get_run(session, team_id, reply.digest_run_id) if reply.digest_run_id else None
    if run is None:
        run = replies.digest_run_for_period(session, team_id, reply.period_start, reply.period_end)
    if run is None or not run.message_ts:
        return None
    return run.channel_id, run.message_ts


def mark_sent(
    session: Session, team_id: str, delivery: Delivery, *, channel: str, ts: str, now: datetime, reply: RecordedReply
) -> None:
    replies.mark_recipient_sent(session, team_id, delivery.recipient_id, channel=channel, ts=ts, now=now)
    if reply.kind == "ask":
        replies.ask_prompt_once(
            session, team_id, reply_id=reply.reply_id, rep_id=delivery.rep_id, channel=channel, ts=ts, now=now
        )


# ---- answers to asks ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    note_id: int
    rep: str
    text: str
    question: str
    label: str
    thread: tuple[str, str] | None


def question_for(session: Session, team_id: str, reply_id: int, rep: str) -> Reply:
    """The question asked of this rep; raises NotFound/PermissionDenied otherwise."""
    reply = replies.get_reply(session, team_id, reply_id)
    person = people.get_by_slack_id(session, team_id, rep)
    if reply is None or reply.kind != "ask":
        raise UsageError(say.QUESTION_GONE)
    if person is None or not replies.is_recipient(session, team_id, reply.id, person.id):
        raise PermissionDenied(say.NOT_ASKED_OF_YOU)
    return reply


def record_answer(
    session: Session, team_id: str, *, reply_id: int, rep: str, view_id: str, text: str, now: datetime
) -> Answer | None:
    """Store the answer as a note (source "ask", linked to the question), once per view; None on a repeat."""
    from storage.repositories import notes

    reply = question_for(session, team_id, reply_id, rep)
    person = people.ensure(session, team_id, rep)
    note, created = notes.create_once(
        session,
        team_id=team_id,
        author_id=person.id,
        source="ask",
        dedupe_key=f"ask-answer:{view_id}",
        text=text,
        now=now,
        reply_id=reply.id,
    )
    if not created:
        return None
    replies.mark_ask_answered(session, team_id, reply_id=reply.id, rep_id=person.id, note_id=note.id, now=now)
    return Answer(note.id, rep, text, reply.message, reply.tag_label, thread_of(session, team_id, reply))
