"""Answers to edits and deletions of notes typed in the app's DM."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.blocks import kit
from bot.messages import dm as say

__all__ = ["build_too_late"]


def build_too_late(note_id: int, *, deleted: bool) -> dict[str, Any]:
    """{text, blocks}: the note no longer follows its message; *Fix tags* is how to correct it."""
    text = say.TOO_LATE_TO_DELETE if deleted else say.TOO_LATE_TO_EDIT
    return {
        "text": text,
        "blocks": [
            kit.section(text),
            {
                "type": "actions",
                "block_id": f"note:{note_id}",
                "elements": [kit.button("Fix tags", ids.ACTION_FIX_TAGS, str(note_id))],
            },
        ],
    }
