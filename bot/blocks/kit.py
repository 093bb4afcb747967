"""Block Kit primitives, and Slack's documented limits they keep, named once.

Builders in this package compose these; text is cut here, so no builder can exceed a limit by forgetting to.
User text must be escaped before it reaches `mrkdwn` (bot/blocks/text.py).
"""

from __future__ import annotations

from typing import Any

from bot.blocks.text import ELLIPSIS, truncate

__all__ = [
    "ACTIONS_ELEMENTS",
    "BUTTON_TEXT",
    "BUTTON_VALUE",
    "CONTEXT_ELEMENTS",
    "FIELDS",
    "FIELD_TEXT",
    "HEADER_TEXT",
    "ID_CHARS",
    "INPUT_LABEL",
    "INPUT_MAX_LENGTH",
    "MESSAGE_BLOCKS",
    "MODAL_TITLE",
    "OPTION_TEXT",
    "OPTION_VALUE",
    "PLACEHOLDER",
    "PRIVATE_METADATA",
    "SECTION_TEXT",
    "SELECT_OPTIONS",
    "VIEW_BLOCKS",
    "button",
    "context",
    "fit",
    "header",
    "mrkdwn",
    "option",
    "plain_text",
    "section",
]

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # a modal or the Home tab
SECTION_TEXT = 3000
FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
MODAL_TITLE = 24  # title, submit and close
PRIVATE_METADATA = 3000
ID_CHARS = 255  # block_id, action_id, callback_id
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
SELECT_OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
INPUT_MAX_LENGTH = 3000
INPUT_LABEL = 2000  # an input's label and hint
PLACEHOLDER = 150


def fit(text: str, limit: int) -> str:
    """Cut mrkdwn at a line break when possible, so no entity or link is cut in half."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    return cut.rstrip() + ELLIPSIS


def plain_text(text: str, limit: int = BUTTON_TEXT) -> dict[str, Any]:
    """A plain_text object; Slack refuses an empty one, so "" becomes a space."""
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": fit(text, limit)}


def section(text: str, *, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id[:ID_CHARS]
    return block


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain_text(text, HEADER_TEXT)}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "button",
        "text": plain_text(text, BUTTON_TEXT),
        "action_id": action_id[:ID_CHARS],
        "value": value[:BUTTON_VALUE],
    }
    if style:
        block["style"] = style
    return block


def option(text: str, value: str | None = None) -> dict[str, Any]:
    return {"text": plain_text(text, OPTION_TEXT), "value": (text if value is None else value)[:OPTION_VALUE]}
