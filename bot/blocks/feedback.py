"""Block Kit for reps: the feedback modal, the prompt DM, the saved-note confirmation, the fix-tags modal.

Pure functions over plain values; user text is escaped with bot.blocks.text and cut to Slack's limits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain, truncate
from bot.services.corrections import MAX_CANDIDATES
from bot.services.notes import MAX_TEXT_CHARS, NoteView, QuestionSpec, clean_text
from bot.services.prompts import PromptInfo

__all__ = [
    "FIX_KINDS",
    "block_id",
    "build_confirmation",
    "build_feedback_help",
    "build_feedback_modal",
    "build_fix_tags_modal",
    "build_prompt_closed",
    "build_prompt_message",
    "build_prompt_nudge",
    "candidate_value",
    "parse_candidate_value",
    "parse_feedback_values",
    "parse_fix_tags_values",
    "slack_date",
]

INPUT_ACTION = "value"
FIX_KINDS = (("theme", "Themes"), ("objection", "Objections"), ("competitor", "Competitors"))
_KIND_NAMES = {"theme": "theme", "objection": "objection", "competitor": "competitor"}
_SOURCE_NAMES = {"rule": "matched", "model": "model", "human": "you"}


def block_id(key: str) -> str:
    return f"q:{key}"[:255]


def slack_date(at: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """Slack renders this in the reader's own timezone; the fallback is UTC."""
    fallback = at.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{fmt}|{fallback}>"


# ---- the feedback modal --------------------------------------------------------------------------------
def _element(q: QuestionSpec, prefill: Any) -> dict[str, Any] | None:
    if q.type in ("text", "long"):
        limit = 255 if q.key == "account" else MAX_TEXT_CHARS
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": INPUT_ACTION,
            "multiline": q.type == "long",
            "max_length": limit,
        }
        if isinstance(prefill, str) and prefill.strip():
            element["initial_value"] = truncate(prefill, limit)
        return element
    options = [kit.option(o) for o in dict.fromkeys(q.options)][: kit.SELECT_OPTIONS]
    if not options:
        return None  # Slack refuses a select with no options: the question is left out until it has some
    values = {o["value"] for o in options}
    if q.type == "select":
        element = {"type": "static_select", "action_id": INPUT_ACTION, "options": options}
        if isinstance(prefill, str) and prefill[: kit.OPTION_VALUE] in values:
            element["initial_option"] = kit.option(prefill)
        return element
    element = {"type": "multi_static_select", "action_id": INPUT_ACTION, "options": options}
    picked = [kit.option(p) for p in (prefill or []) if isinstance(p, str) and p[: kit.OPTION_VALUE] in values]
    if picked:
        element["initial_options"] = picked
    return element


def build_feedback_modal(
    questions: Sequence[QuestionSpec],
    *,
    prefill: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    context: str | None = None,
) -> dict[str, Any]:
    """The workspace's question set as a modal; `context` (mrkdwn, already escaped) says what it is about."""
    blocks: list[dict[str, Any]] = []
    if context:
        blocks.append(kit.context(context))
    for q in questions:
        element = _element(q, (prefill or {}).get(q.key))
        if element is None:
            continue
        block: dict[str, Any] = {
            "type": "input",
            "block_id": block_id(q.key),
            "label": kit.plain_text(q.label, kit.INPUT_LABEL),
            "element": element,
            "optional": bool(q.optional) and q.key != "said",
        }
        if q.key == "said":
            block["hint"] = kit.plain_text(
                "In their words, as close as you remember. Tags are added for you.", kit.INPUT_LABEL
            )
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": ids.VIEW_FEEDBACK,
        "title": kit.plain_text("Call feedback", kit.MODAL_TITLE),
        "submit": kit.plain_text("Save", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "private_metadata": json.dumps(dict(metadata or {}))[: kit.PRIVATE_METADATA],
        "blocks": blocks[: kit.VIEW_BLOCKS],
    }


def parse_feedback_values(
    questions: Sequence[QuestionSpec], values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers by question key, errors by block id) from a submitted view's `state.values`."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in questions:
        entry = (values.get(block_id(q.key)) or {}).get(INPUT_ACTION) or {}
        if q.type in ("text", "long"):
            value = entry.get("value")
            answers[q.key] = clean_text(value) if isinstance(value, str) else None
            if not answers[q.key] and (q.key == "said" or (not q.optional and block_id(q.key) in values)):
                errors[block_id(q.key)] = (
                    "Please write what the customer said." if q.key == "said" else f"Please fill in {q.label}."
                )
        elif q.type == "select":
            selected = entry.get("selected_option") or {}
            answers[q.key] = selected.get("value")
        else:
            answers[q.key] = [o.get("value") for o in entry.get("selected_options") or [] if o.get("value")]
    return answers, errors


def build_feedback_help() -> str:
    return (
        "*Log call feedback*\n"
        "• `/feedback` opens the form.\n"
        "• `/feedback Acme: they think we cost twice what Gong does` saves a note at once; the part before the "
        "colon is the account when it looks like one (a few words, no sentence).\n"
        f"• Up to {MAX_TEXT_CHARS:,} characters. You will see the tags it got, with a *Fix tags* button.\n"
        "• On any message: *More actions* ⋯ → *Log as call feedback*."
    )


# ---- the prompt DM -------------------------------------------------------------------------------------
def _prompt_intro(p: PromptInfo) -> str:
    if p.kind == "checkin":
        return "Any calls today worth a note? A minute now saves marketing guessing later."
    account, stage, when = _call_words(p)
    return f"How did your call with {account}{stage} go{when}? A minute of feedback helps marketing help you."


def build_prompt_message(p: PromptInfo) -> dict[str, Any]:
    """{text, blocks} of the prompt DM, with its buttons."""
    value = str(p.id)
    if p.kind == "checkin":
        buttons = [
            kit.button("Log feedback", ids.ACTION_LOG_FEEDBACK, value, "primary"),
            kit.button("No calls today", ids.ACTION_CHECKIN_NO, value),
        ]
    else:
        buttons = [
            kit.button("Log feedback", ids.ACTION_LOG_FEEDBACK, value, "primary"),
            kit.button("Snooze 1 h", ids.ACTION_SNOOZE, value),
            kit.button("No call / skip", ids.ACTION_SKIP, value),
        ]
    intro = _prompt_intro(p)
    blocks = [kit.section(intro)]
    if p.marketing:  # what marketing pinned to this account or its segment
        blocks.append(kit.context(kit.fit("*From marketing*: " + " · ".join(plain(t, 500) for t in p.marketing), 2000)))
    blocks.append({"type": "actions", "block_id": f"prompt:{p.id}", "elements": buttons})
    return {"text": intro, "blocks": blocks}


def build_prompt_nudge(p: PromptInfo) -> dict[str, Any]:
    text = "A gentle reminder: a minute of feedback on this call? The buttons above still work."
    if p.kind == "checkin":
        text = "A gentle reminder about today's calls: the buttons above still work."
    return {"text": text, "blocks": [kit.section(text)]}


def build_prompt_closed(p: PromptInfo, *, until: datetime | None = None) -> dict[str, Any]:
    """The prompt updated in place once used: no buttons left to click twice."""
    subject = f"*{plain(p.account, 200)}*" if p.account else ("today's calls" if p.kind == "checkin" else "this call")
    lines = {
        "answered": f":white_check_mark: Feedback logged for {subject}. Thank you!",
        "skipped": (
            ":ok_hand: No calls today, noted."
            if p.kind == "checkin"
            else f":ok_hand: Skipped {subject}. No more reminders about it."
        ),
        "expired": f":hourglass: This prompt about {subject} expired. `/feedback` still logs a note any time.",
        "scheduled": f":zzz: Snoozed: I'll ask again about {subject} {slack_date(until or p.due_at, '{time}')}.",
    }
    text = lines.get(p.state, f"Done with {subject}.")
    return {"text": text, "blocks": [kit.section(text)]}


# ---- after saving --------------------------------------------------------------------------------------
def _tag_line(tag: Any) -> str:
    why = ""
    if tag.source == "human":
        why = " (picked by you)"
    elif tag.matched:
        why = f" ({_SOURCE_NAMES.get(tag.source, tag.source)}: “{plain(tag.matched, 150)}”)"
    return f"• *{plain(tag.label, 100)}* {_KIND_NAMES.get(tag.kind, tag.kind)}{why}"


def build_confirmation(note: NoteView, *, updated: bool = False) -> dict[str, Any]:
    """{text, blocks}: what was saved (`updated`: changed), the tags with why, the candidate tags to confirm, and
    *Fix tags*."""
    about = f" on *{plain(note.account, 200)}*" if note.account else ""
    verb = "Updated" if updated else "Saved"
    head = f":memo: {verb} your note{about}: “{plain(note.text, 600)}”"
    tags = "\n".join(_tag_line(t) for t in note.tags[:30]) or "No tags found. Add the right ones with *Fix tags*."
    text = f"{verb} your note{about}."
    return {
        "text": text,
        "blocks": [
            kit.section(head),
            kit.section(f"*Tagged*\n{tags}"),
            *_candidate_blocks(note),
            {
                "type": "actions",
                "block_id": f"note:{note.id}",
                "elements": [kit.button("Fix tags", ids.ACTION_FIX_TAGS, str(note.id))],
            },
        ],
    }


def _candidate_blocks(note: NoteView) -> list[dict[str, Any]]:
    """ "Also about …?" and a button per candidate tag: one click adds it (the click carries what it needs, as
    candidates are not stored)."""
    offered = [(t.kind, t.label) for t in note.candidates[:MAX_CANDIDATES]]
    if not offered:
        return []
    names = ", ".join(f"*{plain(label, 100)}* ({_KIND_NAMES.get(kind, kind)})" for kind, label in offered)
    buttons = [
        kit.button(f"+ {pick[1]}", f"{ids.ACTION_CONFIRM_CANDIDATE}:{i}", candidate_value(note.id, pick, offered))
        for i, pick in enumerate(offered)
    ]
    return [
        kit.section(f"Also about {names}? One click adds the tag."),
        {"type": "actions", "block_id": f"candidates:{note.id}", "elements": buttons},
    ]


def candidate_value(note_id: int, pick: tuple[str, str], offered: Sequence[tuple[str, str]]) -> str:
    """A candidate button's value: the note, the tag, and the other candidates (to show them still after the
    click), within Slack's 2,000 characters (the others are left out if they would not fit)."""
    others = [list(o) for o in offered if o != pick]
    for data in ({"n": note_id, "t": list(pick), "o": others}, {"n": note_id, "t": list(pick)}):
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= kit.BUTTON_VALUE:
            return value
    raise ValueError("a label too long for a button value")  # labels are at most 255 characters


def parse_candidate_value(value: str) -> tuple[int, tuple[str, str], list[tuple[str, str]]] | None:
    """(note id, picked (kind, label), the other candidates) from a candidate button, None when malformed."""
    try:
        data = json.loads(value)
        note_id, (kind, label) = data["n"], data["t"]
        others = [(str(k), str(lab)) for k, lab in data.get("o", [])]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(note_id, int) or not isinstance(kind, str) or not isinstance(label, str):
        return None
    return note_id, (kind, label), others


def build_fix_tags_modal(
    note: NoteView, choices: Mapping[str, Sequence[str]], *, metadata: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The workspace's labels per kind, those the note has now checked (checkboxes up to 10, else a multi-select)."""
    current = {(t.kind, t.label) for t in note.tags}
    blocks: list[dict[str, Any]] = [
        kit.section(f"“{plain(note.text, 1500)}”"),
    ]
    for kind, title in FIX_KINDS:
        names = list(dict.fromkeys(choices.get(kind, ())))[: kit.SELECT_OPTIONS]
        if not names:
            continue
        options = [kit.option(n) for n in names]
        checked = [kit.option(n) for n in names if (kind, n) in current]
        element: dict[str, Any] = {
            "type": "checkboxes" if len(options) <= 10 else "multi_static_select",
            "action_id": INPUT_ACTION,
            "options": options,
        }
        if checked:
            element["initial_options"] = checked
        blocks.append(
            {
                "type": "input",
                "block_id": f"fix:{kind}",
                "label": kit.plain_text(title),
                "element": element,
                "optional": True,
            }
        )
    return {
        "type": "modal",
        "callback_id": ids.VIEW_FIX_TAGS,
        "title": kit.plain_text("Fix tags", kit.MODAL_TITLE),
        "submit": kit.plain_text("Save tags", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "private_metadata": json.dumps({"note_id": note.id, **(metadata or {})}),
        "blocks": blocks,
    }


def parse_fix_tags_values(values: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, _title in FIX_KINDS:
        entry = (values.get(f"fix:{kind}") or {}).get(INPUT_ACTION) or {}
        out[kind] = [o["value"] for o in entry.get("selected_options") or [] if o.get("value")]
    return out


def shortcut_context(author: str | None, link: str | None) -> str:
    """'From a message by <@U…>' with a link to it; ids and the link come from Slack, not from user text."""
    who = f"<@{author}>" if author and author.isalnum() else "someone"
    where = f" · <{link}|view message>" if link and "|" not in link and ">" not in link else ""
    return f"From a message by {who}{where}"


def prompt_context(p: PromptInfo) -> str:
    """The line above the modal opened from a prompt: which call it is about."""
    account, stage, when = _call_words(p)
    return f"Your call with {account}{stage}{when}"


def _call_words(p: PromptInfo) -> tuple[str, str, str]:
    """The call's account (bold), " (deal stage)" and ", when it ended", escaped; "" for what is not known."""
    account = f"*{plain(p.account or 'your call', 200)}*"
    stage = f" ({plain(p.deal_stage, 100)})" if p.deal_stage else ""
    when = f", {slack_date(p.ended_at)}" if p.ended_at else ""
    return account, stage, when
