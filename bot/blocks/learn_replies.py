"""Answers of `/fieldnotes glossary`, `themes|objections describe` and `ridealong`, from their results."""

from __future__ import annotations

from typing import Any

from bot.blocks.glossary import build_glossary
from bot.blocks.reviews import build_review_modal
from bot.blocks.ridealongs import build_calls_list
from bot.blocks.text import plain
from bot.messages import reviews as review_say
from bot.services.admin import results as r
from bot.services.admin.learn_cmds import GlossaryShown, LabelDescribed, ReviewForm, RideAlongsListed

__all__ = ["build_learn_reply"]


def build_learn_reply(result: r.Result) -> dict[str, Any] | None:
    """The answer for a result of these commands; None for any other result."""
    if isinstance(result, GlossaryShown):
        text = f"Glossary: {plain(result.entries[0].name, 150)}" if result.single else "Glossary"
        return {"text": text, "blocks": build_glossary(result.entries, single=result.single)}
    if isinstance(result, LabelDescribed):
        text = (
            f"The {result.kind} *{plain(result.name, 150)}* now means: {plain(result.definition, 600)}\n"
            "Everyone sees it in `/fieldnotes glossary`."
        )
        return {"text": text, "blocks": None}
    if isinstance(result, RideAlongsListed):
        found = result.found
        where = f" {plain(found.filter.describe(), 200)}" if found.filter else ""
        heading = f"*Upcoming calls you could join{where}*"
        empty = "None yet: calls appear when the CRM sends them before they happen (`starts_at`)."
        blocks = build_calls_list(found.calls, found.tz, heading=heading, empty=empty)
        return {"text": f"Upcoming calls you could join{where}", "blocks": blocks}
    if isinstance(result, ReviewForm):  # the listener opens the modal ("view") with the command's trigger_id
        return {"text": review_say.OPENING, "blocks": None, "view": build_review_modal(result.segments)}
    return None
