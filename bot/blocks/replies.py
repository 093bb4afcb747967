"""Block Kit for closing the loop: reply/ask/answer modals, the DMs reps get, thread records, the marketer Home."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain, truncate
from bot.services.replies import MAX_MESSAGE, LabelRef, display_label
from bot.services.schedule import zone
from storage.repositories.replies import OpenAsk

__all__ = [
    "build_answer_modal",
    "build_answer_record",
    "build_ask_dm",
    "build_ask_modal",
    "build_marketer_home",
    "build_reply_dm",
    "build_reply_modal",
    "build_thread_record",
]

NOTE_CONTEXT_CHARS = 300
MAX_MENTIONS = 150

MESSAGE_BLOCK, MESSAGE_INPUT = "message", "message_input"
LINK_BLOCK, LINK_INPUT = "link", "link_input"
ANSWER_BLOCK, ANSWER_INPUT = "answer", "answer_input"


def _label(label: str) -> str:
    return plain(display_label(label), 150)


def _period_words(ref: LabelRef) -> str:
    if (ref.end - ref.start).days <= 7:
        return "this week"
    local = zone(ref.tz)
    return f"between {ref.start.astimezone(local):%d %b} and {ref.end.astimezone(local):%d %b}"


def _mentions(rep_ids: Sequence[str]) -> str:
    shown = ", ".join(f"<@{u}>" for u in rep_ids[:MAX_MENTIONS])
    more = len(rep_ids) - MAX_MENTIONS
    return shown + (f" and {more} more" if more > 0 else "")


def _audience_blocks(ref: LabelRef, rep_ids: Sequence[str], verb: str) -> list[dict[str, Any]]:
    n = len(rep_ids)
    reps = "1 rep" if n == 1 else f"{n} reps"
    blocks = [kit.section(f"{reps} raised *{_label(ref.label)}* {_period_words(ref)}.")]
    if n:
        blocks.append(kit.context(f"{verb}: {_mentions(rep_ids)}"))
    return blocks


def _message_input(label: str, placeholder: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": MESSAGE_BLOCK,
        "label": kit.plain_text(label, kit.INPUT_LABEL),
        "element": {
            "type": "plain_text_input",
            "action_id": MESSAGE_INPUT,
            "multiline": True,
            "max_length": MAX_MESSAGE,
            "placeholder": kit.plain_text(placeholder, kit.PLACEHOLDER),
        },
    }


def _modal(callback_id: str, title: str, blocks: list[dict[str, Any]], metadata: str, submit: str | None) -> dict:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": kit.plain_text(title, kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }
    if submit:
        view["submit"] = kit.plain_text(submit, kit.MODAL_TITLE)
    else:
        view["close"] = kit.plain_text("Close", kit.MODAL_TITLE)
    return view


def build_reply_modal(ref: LabelRef, rep_ids: Sequence[str]) -> dict[str, Any]:
    """*Reply to reps*: a message (required), an optional link, and who will get it."""
    blocks = _audience_blocks(ref, rep_ids, "Will be sent to")
    if not rep_ids:
        blocks.append(kit.section("Nobody to reply to: no rep raised it in this period."))
        return _modal(ids.VIEW_REPLY, "Reply to reps", blocks, ref.metadata(), None)
    blocks.append(_message_input("Your answer", "What did marketing do about it?"))
    blocks.append(
        {
            "type": "input",
            "block_id": LINK_BLOCK,
            "optional": True,
            "label": kit.plain_text("Link (optional)", kit.INPUT_LABEL),
            "element": {"type": "url_text_input", "action_id": LINK_INPUT},
        }
    )
    return _modal(ids.VIEW_REPLY, "Reply to reps", blocks, ref.metadata(), "Send")


def build_ask_modal(ref: LabelRef, rep_ids: Sequence[str]) -> dict[str, Any]:
    """*Ask reps*: a follow-up question for the reps who raised the label."""
    blocks = _audience_blocks(ref, rep_ids, "Will be asked")
    if not rep_ids:
        blocks.append(kit.section("Nobody to ask: no rep raised it in this period."))
        return _modal(ids.VIEW_ASK, "Ask reps", blocks, ref.metadata(), None)
    blocks.append(_message_input("Your question", "What would you like to know?"))
    return _modal(ids.VIEW_ASK, "Ask reps", blocks, ref.metadata(), "Ask")


def build_answer_modal(reply_id: int, label: str, question: str) -> dict[str, Any]:
    blocks = [
        kit.section(f"Marketing asks about *{_label(label)}*:\n>{plain(question, 2500)}"),
        {
            "type": "input",
            "block_id": ANSWER_BLOCK,
            "label": kit.plain_text("Your answer", kit.INPUT_LABEL),
            "element": {
                "type": "plain_text_input",
                "action_id": ANSWER_INPUT,
                "multiline": True,
                "max_length": MAX_MESSAGE,
            },
        },
    ]
    return _modal(ids.VIEW_ASK_ANSWER, "Answer marketing", blocks, json.dumps({"a": reply_id}), "Send")


def _note_context(note_text: str) -> list[dict[str, Any]]:
    if not note_text.strip():
        return []
    quoted = plain(" ".join(note_text.split()), NOTE_CONTEXT_CHARS)
    return [kit.context(f"You said: “{quoted}”")]


def build_reply_dm(label: str, message: str, link: str | None, note_text: str) -> tuple[str, list[dict[str, Any]]]:
    """The DM a rep gets: (fallback text, blocks)."""
    head = f"Marketing answered about *{_label(label)}*:"
    body = plain(message, kit.SECTION_TEXT - len(head) - 2)
    blocks = [kit.section(f"{head}\n{body}")]
    if link:
        blocks.append(kit.section(f"<{link}|{plain(truncate(link, 200), 600)}>"))
    blocks += _note_context(note_text)
    return f"Marketing answered about {_label(label)}", blocks


def build_ask_dm(reply_id: int, label: str, question: str, note_text: str) -> tuple[str, list[dict[str, Any]]]:
    head = f"Marketing has a question about *{_label(label)}*:"
    blocks = [
        kit.section(f"{head}\n{plain(question, kit.SECTION_TEXT - len(head) - 2)}"),
        *_note_context(note_text),
        {
            "type": "actions",
            "elements": [kit.button("Answer", ids.ACTION_ANSWER_ASK, json.dumps({"a": reply_id}), "primary")],
        },
    ]
    return f"Marketing has a question about {_label(label)}", blocks


def build_thread_record(kind: str, author: str, n_reps: int, label: str, message: str) -> str:
    reps = "1 rep" if n_reps == 1 else f"{n_reps} reps"
    verb = "replied to" if kind == "reply" else "asked"
    return f"<@{author}> {verb} {reps} about *{_label(label)}*:\n>{plain(' '.join(message.split()), 500)}"


def build_answer_record(rep: str, text: str) -> str:
    return f"<@{rep}> answered: {plain(text, 2900)}"


def build_marketer_home(
    *,
    top: Sequence[tuple[str, str, int]],
    week_start: datetime,
    week_end: datetime,
    tz: str = "UTC",
    digest_link: str | None,
    asks: Sequence[OpenAsk],
) -> list[dict[str, Any]]:
    """The marketer's section of App Home: this week's top labels (the week in `tz`, the digest's timezone) with
    *Reply* buttons, the latest digest, open follow-up questions. Buttons carry the digest's value format (no run
    id)."""
    local = zone(tz)
    first, last = week_start.astimezone(local), week_end.astimezone(local) - timedelta(days=1)
    blocks: list[dict[str, Any]] = [
        kit.header("Marketing: close the loop"),
        kit.section(f"*This week so far* ({first:%d %b}–{last:%d %b})"),
    ]
    if not top:
        blocks.append(kit.section("_No tagged notes yet this week._"))
    for kind, label, count in top[:15]:
        ref = LabelRef(None, kind, label, week_start, week_end, tz)
        notes = "1 note" if count == 1 else f"{count} notes"
        blocks.append(
            {
                **kit.section(f"*{_label(label)}* ({kind}): {notes}"),
                "accessory": kit.button("Reply", ids.ACTION_REPLY_TO_REPS, ref.action_value()),
            }
        )
    if digest_link:
        blocks.append(kit.section(f"*Latest digest:* <{digest_link}|open it in the channel>"))
    else:
        blocks.append(kit.section("*Latest digest:* none posted yet."))
    if asks:
        lines = [
            f"• *{_label(a.tag_label)}*: {plain(truncate(' '.join(a.question.split()), 150), 600)} "
            f"({a.answered}/{a.asked} answered)"
            for a in asks
        ]
        blocks.append(kit.section("*Open follow-up questions*\n" + "\n".join(lines)))
    return blocks
