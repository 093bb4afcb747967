"""Admin surfaces: the configuration summary on App Home, and the modals for the common changes
(add a question, add a digest schedule). Pure builders and parsers of submitted values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import escape, plain, truncate
from bot.errors import UsageError
from bot.services.admin import model as m
from bot.services.admin import values as v
from bot.services.admin.arguments import LABEL_LIMIT, OPTION_LIMIT, QUESTION_TYPES
from bot.services.admin.home import AdminSummary

__all__ = [
    "build_admin_section",
    "build_digest_modal",
    "build_question_modal",
    "parse_digest_values",
    "parse_question_values",
]

_TYPE_NAMES = {"text": "Short text", "long": "Long text", "select": "Pick one", "multiselect": "Pick several"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def build_admin_section(s: AdminSummary) -> list[dict[str, Any]]:
    nudge = f"nudge after {s.nudge_hours} h" if s.nudge_hours else "no nudge"
    digests = "\n".join(f"• {i}: <#{channel}> {when}" for i, channel, when in s.digests[:10]) or "• none yet"
    questions = ", ".join(escape(q) for q in s.questions)
    fields = [
        f"*Questions ({len(s.questions)})*\n{truncate(questions, 1900)}",
        f"*Prompts*\n{s.prompt_delay_minutes} min after a call, {nudge}\nCheck-in: {s.checkin or 'off'}",
        f"*Taxonomy*\n{s.themes} themes, {s.objections} objections, {s.competitors} competitors",
        f"*People*\n{s.reps} reps, {s.marketers} marketers\nAdmins: "
        + truncate(", ".join(f"<@{a}>" for a in s.admins), 1500),
        f"*Settings*\nQuotes {s.quotes}; notes kept " + (f"{s.retention_days} days" if s.retention_days else "forever"),
        f"*Corrections*\n{_corrected(s)}",
    ]
    return [
        kit.header("Field Notes settings"),
        {"type": "section", "fields": [kit.mrkdwn(f, kit.FIELD_TEXT) for f in fields]},
        kit.section(f"*Digests*\n{digests}"),
        *_candidate_blocks(s),
        {
            "type": "actions",
            "block_id": "home:admin",
            "elements": [
                kit.button("Add a question", ids.ACTION_ADMIN_EDIT_QUESTIONS, ids.ACTION_ADMIN_EDIT_QUESTIONS),
                kit.button("Add a digest", ids.ACTION_ADMIN_EDIT_DIGESTS, ids.ACTION_ADMIN_EDIT_DIGESTS),
            ],
        },
        kit.context("Everything else: `/fieldnotes help`"),
    ]


def _corrected(s: AdminSummary) -> str:
    c = s.corrected
    if not c.notes:
        return f"No notes in the last {c.days} days."
    notes = "note" if c.notes == 1 else "notes"
    return f"{c.corrected} of {c.notes} {notes} corrected in the last {c.days} days ({c.percent} %)"


def _candidate_blocks(s: AdminSummary) -> list[dict[str, Any]]:
    """Candidate competitors: vendors notes compare with that are not on the list, each with *Add as competitor*."""
    if not s.candidates:
        return []
    blocks = [kit.section("*Candidate competitors*: named in notes with a comparison, not on your list")]
    for c in s.candidates:
        notes = "note" if c.notes == 1 else "notes"
        text = f"*{plain(c.name, 100)}* — {c.notes} {notes}, latest: “{plain(c.quote, 300)}”"
        block = kit.section(text)
        block["accessory"] = kit.button("Add as competitor", ids.ACTION_ADD_VENDOR, c.name)
        blocks.append(block)
    return blocks


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": kit.plain_text(label, kit.INPUT_LABEL),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = kit.plain_text(hint, kit.INPUT_LABEL)
    return block


def build_question_modal() -> dict[str, Any]:
    types = [kit.option(_TYPE_NAMES[t], t) for t in QUESTION_TYPES]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_ADMIN_QUESTIONS,
        "title": kit.plain_text("Add a question", kit.MODAL_TITLE),
        "submit": kit.plain_text("Add", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "blocks": [
            _input("label", "Question", {"type": "plain_text_input", "max_length": LABEL_LIMIT}),
            _input("type", "Answer", {"type": "static_select", "options": types, "initial_option": types[0]}),
            _input(
                "options",
                "Choices",
                {"type": "plain_text_input", "max_length": kit.INPUT_MAX_LENGTH},
                optional=True,
                hint="For Pick one / Pick several: the choices, separated by commas.",
            ),
            _input(
                "optional",
                "Optional?",
                {"type": "checkboxes", "options": [kit.option("Reps may leave it empty", "optional")]},
                optional=True,
            ),
        ],
    }


def build_digest_modal(tz: str) -> dict[str, Any]:
    days = [kit.option(name, str(i)) for i, name in enumerate(_DAY_NAMES)]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_ADMIN_DIGESTS,
        "title": kit.plain_text("Add a digest", kit.MODAL_TITLE),
        "submit": kit.plain_text("Add", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "blocks": [
            _input(
                "channel",
                "Channel",
                {
                    "type": "conversations_select",
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
                hint="For a private channel, invite me first: /invite @Field Notes",
            ),
            _input("weekday", "Day", {"type": "static_select", "options": days, "initial_option": days[0]}),
            _input("time", "Time", {"type": "timepicker", "initial_time": "09:00"}),
            _input("tz", "Time zone", {"type": "plain_text_input", "initial_value": tz, "max_length": 64}),
        ],
    }


def _value(values: Mapping[str, Any], block_id: str) -> dict[str, Any]:
    return dict((values.get(block_id) or {}).get(block_id) or {})


def parse_question_values(values: Mapping[str, Any]) -> m.QuestionsAdd:
    """The submitted question, or UsageError with the field errors by block id."""
    errors: dict[str, str] = {}
    label = qtype = ""
    options: tuple[str, ...] = ()
    try:
        label = v.clean_name(_value(values, "label").get("value") or "", "question", limit=LABEL_LIMIT)
    except UsageError as exc:
        errors["label"] = str(exc)
    selected = _value(values, "type").get("selected_option") or {}
    qtype = selected.get("value") or "text"
    if qtype not in QUESTION_TYPES:
        errors["type"] = "Pick a kind of answer."
    raw = _value(values, "options").get("value") or ""
    if qtype in ("select", "multiselect"):
        try:
            options = v.split_list(raw, "choice", limit=OPTION_LIMIT, most=100)
        except UsageError as exc:
            errors["options"] = str(exc)
    elif raw.strip():
        errors["options"] = "Only Pick one / Pick several questions have choices."
    optional = bool(_value(values, "optional").get("selected_options"))
    if errors:
        raise UsageError(field_errors=errors)
    return m.QuestionsAdd(label=label, type=qtype, options=options, optional=optional)


def parse_digest_values(values: Mapping[str, Any]) -> m.DigestsAdd:
    errors: dict[str, str] = {}
    channel = _value(values, "channel").get("selected_conversation") or ""
    if not channel:
        errors["channel"] = "Pick a channel."
    day = str((_value(values, "weekday").get("selected_option") or {}).get("value") or "0")
    weekday = int(day) if day.isdigit() and int(day) < 7 else 0
    hour = minute = 0
    try:
        hour, minute = v.parse_time(v.Token(_value(values, "time").get("selected_time") or ""))
    except UsageError as exc:
        errors["time"] = str(exc)
    tz = "UTC"
    try:
        tz = v.parse_tz(v.Token((_value(values, "tz").get("value") or "").strip()))
    except UsageError as exc:
        errors["tz"] = str(exc)
    if errors:
        raise UsageError(field_errors=errors)
    return m.DigestsAdd(channel, "", weekday, hour, minute, tz)
