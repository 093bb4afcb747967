"""The digest's funnel blocks: *Where it comes up* by stage, the biggest shift, and the gain beside the pain
(*Why we win* beside *Objections in lost deals*, *What helped* beside *What would have helped*). Pure functions."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain
from bot.services.drilldown import DrillQuery
from bot.services.funnel import FunnelData, Shift

__all__ = ["build_funnel_blocks", "counted_lines", "shift_text", "stage_buttons", "stage_line_text", "where_text"]

LOST_TITLE = "*Objections in lost deals*"
WANTED_TITLE = "*What would have helped*"


def counted_lines(title: str, items: list[str], limit: int = kit.SECTION_TEXT) -> str:
    """`title` and as many bullet lines as fit in `limit` characters, then "and N more"."""
    text = title
    for shown, item in enumerate(items):
        line = f"\n• {item}"
        rest = len(items) - shown
        if len(text) + len(line) + len(f"\n_and {rest} more_") > limit:
            return f"{text}\n_and {rest} more_"
        text += line
    return text


def _labels(items: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{plain(label, 60)} {count}" for label, count in items)


def stage_line_text(
    stage: str, notes: int, themes: tuple[tuple[str, int], ...], objections: tuple[tuple[str, int], ...]
) -> str:
    text = f"*{plain(stage, 40)}* ({notes} {'note' if notes == 1 else 'notes'})"
    parts = [p for p in (_labels(themes), f"_{_labels(objections)}_" if objections else "") if p]
    return text + (": " + " · ".join(parts) if parts else "")


def shift_text(shift: Shift) -> str:
    return (
        f":twisted_rightwards_arrows: *Biggest shift*: *{plain(shift.label, 100)}* ({shift.kind}) moved from "
        f"*{shift.from_stage}* to *{shift.to_stage}*: {shift.count} of {shift.total} this week at {shift.to_stage}, "
        f"{shift.was} of {shift.was_total} the week before at {shift.from_stage}"
    )


def where_text(funnel: FunnelData) -> str:
    items = [stage_line_text(s.stage, s.notes, s.themes, s.objections) for s in funnel.stages]
    title = "*Where it comes up* (themes, _objections_ by deal stage)"
    if funnel.unstaged:
        title += f" · {funnel.unstaged} {'note' if funnel.unstaged == 1 else 'notes'} with no stage"
    text = counted_lines(title, items, kit.SECTION_TEXT - 600)
    if funnel.shift is not None:
        text += "\n" + shift_text(funnel.shift)
    return kit.fit(text, kit.SECTION_TEXT)


def stage_buttons(
    base: DrillQuery, counts: list[tuple[str, int]], block_id: str = "digest_funnel_notes"
) -> dict[str, Any]:
    """One *See* button per stage: the notes of `base` at that stage."""
    buttons = [
        kit.button(f"{stage}: see {n:,}", ids.ACTION_SEE_NOTES, base.filtered(stage=stage).to_json())
        for stage, n in counts[: kit.ACTIONS_ELEMENTS]
    ]
    return {"type": "actions", "block_id": block_id, "elements": buttons}


def _why_we_win(funnel: FunnelData) -> str:
    if not funnel.won_themes:
        return ""
    text = counted_lines(
        "*Why we win* (themes in won deals)",
        [f"{plain(label, 100)} ({count})" for label, count in funnel.won_themes],
        kit.FIELD_TEXT - 700,
    )
    for quote in funnel.won_quotes:
        who = f" — <@{quote.author}>" if quote.author else ""
        text += f"\n> “{plain(quote.text, 300)}”{who}"
    return text


def _worked(funnel: FunnelData) -> str:
    if not funnel.worked_total:
        return ""
    items = [f"“{plain(text, 300)}”" + (f" (×{count})" if count > 1 else "") for text, count in funnel.worked]
    return counted_lines(f"*What helped* ({funnel.worked_total} notes said)", items, kit.FIELD_TEXT)


def _pair(left: str, right: str) -> dict[str, Any] | None:
    fields = [kit.mrkdwn(text, kit.FIELD_TEXT) for text in (left, right) if text]
    return {"type": "section", "fields": fields} if fields else None


def build_funnel_blocks(
    funnel: FunnelData | None,
    *,
    lost: tuple[tuple[str, int], ...],
    wanted_total: int,
    wanted: tuple[tuple[str, int], ...],
    base: DrillQuery | None = None,
) -> list[dict[str, Any]]:
    """The funnel's blocks (none when nothing is known), given the digest's lost-deal objections and requests."""
    blocks: list[dict[str, Any]] = []
    if funnel is not None and funnel.has_stages:
        blocks.append(kit.section(where_text(funnel), block_id="digest:funnel"))
        if base is not None:  # the notes behind each stage's line
            blocks.append(stage_buttons(base, [(s.stage, s.notes) for s in funnel.stages]))
        if funnel.heat_labels:
            blocks.append(kit.context("Stage × label heatmap in the thread"))
    lost_text = (
        counted_lines(LOST_TITLE, [f"{plain(label, 200)} ({count})" for label, count in lost], kit.FIELD_TEXT)
        if lost
        else ""
    )
    wanted_text = ""
    if wanted_total:
        items = [f"“{plain(text, 300)}”" + (f" (×{count})" if count > 1 else "") for text, count in wanted]
        wanted_text = counted_lines(f"{WANTED_TITLE} ({wanted_total} notes asked for something)", items, kit.FIELD_TEXT)
    for block in (
        _pair(_why_we_win(funnel) if funnel else "", lost_text),
        _pair(_worked(funnel) if funnel else "", wanted_text),
    ):
        if block is not None:
            blocks.append(block)
    return blocks
