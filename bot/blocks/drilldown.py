"""*See the N notes*: the button, and the modal listing the notes behind a count, a page at a time, with stage and
segment filters that update it in place. Pure functions."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain
from bot.services.drilldown import PAGE, DrillPage, DrillQuery
from bot.services.schedule import zone
from bot.services.stages import DEFAULT_STAGES

__all__ = ["build_notes_modal", "see_notes_button"]

ANY = "*"  # the filter option that clears it


def see_notes_button(count: int, query: DrillQuery) -> dict[str, Any]:
    noun = "note" if count == 1 else "notes"
    return kit.button(f"See the {count:,} {noun}", ids.ACTION_SEE_NOTES, query.to_json())


def _subject(query: DrillQuery) -> str:
    first = query.start.astimezone(zone(query.tz)).date()
    last = (query.end.astimezone(zone(query.tz)) - timedelta(microseconds=1)).date()
    what = f"*{plain(query.label, 200)}* ({query.kind})" if query.label and query.kind else "*Every note*"
    if query.account:
        what += f" · account *{plain(query.account, 200)}*"
    return f"{what} · {first:%-d %b} – {last:%-d %b %Y}"


def _filter(action_id: str, placeholder: str, values: list[str], current: str | None) -> dict[str, Any]:
    options = [kit.option(placeholder, ANY)] + [kit.option(v) for v in values[: kit.SELECT_OPTIONS - 1]]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": kit.plain_text(placeholder, kit.PLACEHOLDER),
        "options": options,
    }
    chosen = next((o for o in options if current is not None and o["value"] == current[: kit.OPTION_VALUE]), None)
    element["initial_option"] = chosen or options[0]
    return element


def _note_blocks(note: Any) -> list[dict[str, Any]]:
    facts = [f"*{plain(note.account, 100)}*" if note.account else "_no account_"]
    facts += [plain(v, 64) for v in (note.stage, note.segment) if v]
    if note.author:
        facts.append(f"<@{note.author}>")
    facts.append(f"<!date^{int(note.created_at.timestamp())}^{{date_short}}|{note.created_at:%Y-%m-%d}>")
    text = " · ".join(facts) + f"\n> {plain(note.text, 2000)}"
    tags = " · ".join(f"{kind}: {plain(label, 80)}" for kind, label in note.tags) or "no tags"
    return [kit.section(text), kit.context(kit.fit(tags, kit.SECTION_TEXT))]


def build_notes_modal(page: DrillPage) -> dict[str, Any]:
    query = page.query
    shown = f"{page.offset + 1}–{page.offset + len(page.notes)} of {page.total:,}" if page.notes else "none"
    blocks: list[dict[str, Any]] = [
        kit.section(f"{_subject(query)}\n*{page.total:,}* {'note' if page.total == 1 else 'notes'}, newest first"),
        {
            "type": "actions",
            "block_id": "notes_filters",
            "elements": [
                _filter(ids.ACTION_NOTES_STAGE, "Any stage", list(DEFAULT_STAGES), query.stage),
                _filter(ids.ACTION_NOTES_SEGMENT, "Any segment", list(page.segments), query.segment),
            ],
        },
        {"type": "divider"},
    ]
    for note in page.notes:
        blocks.extend(_note_blocks(note))
    if not page.notes:
        blocks.append(kit.section("No notes match these filters."))
    paging = []
    if page.offset > 0:
        paging.append(kit.button("Newer", ids.ACTION_NOTES_PAGE, str(max(0, page.offset - PAGE))))
    if page.has_more:
        paging.append(kit.button("More", ids.ACTION_NOTES_PAGE, str(page.offset + len(page.notes))))
    blocks.append(kit.context(f"Showing {shown} · e-mail addresses and phone numbers redacted"))
    if paging:
        blocks.append({"type": "actions", "block_id": "notes_paging", "elements": paging})
    metadata = json.dumps({"q": query.to_json(), "o": page.offset}, separators=(",", ":"), ensure_ascii=False)
    return {
        "type": "modal",
        "callback_id": ids.VIEW_NOTES,
        "title": kit.plain_text("The notes", kit.MODAL_TITLE),
        "close": kit.plain_text("Close", kit.MODAL_TITLE),
        "private_metadata": metadata[: kit.PRIVATE_METADATA],
        "blocks": blocks[: kit.VIEW_BLOCKS],
    }
