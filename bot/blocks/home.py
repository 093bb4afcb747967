"""App Home: a list of sections. The rep section is everyone's; other roles add theirs via `extra_sections`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.feedback import slack_date
from bot.blocks.text import plain
from bot.services.notes import RepHome

__all__ = ["build_home", "build_rep_section"]


def build_rep_section(rep: RepHome) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        kit.header("Your call feedback"),
        {
            "type": "actions",
            "block_id": "home:rep",
            "elements": [kit.button("Log feedback", ids.ACTION_LOG_FEEDBACK, "", "primary")],
        },
    ]
    if rep.pending:
        blocks.append(kit.section("*Waiting for your feedback*"))
        for p in rep.pending[:5]:
            what = f"*{plain(p.account, 150)}*" if p.account else "Today's calls (check-in)"
            when = f" · {slack_date(p.ended_at)}" if p.ended_at else ""
            missed = " · _its message could not be sent to you, so it waits here_" if p.state == "undelivered" else ""
            blocks.append(kit.section(f"{what}{when}{missed}"))
            elements = [kit.button("Log feedback", ids.ACTION_LOG_FEEDBACK, str(p.id), "primary")]
            if p.kind == "checkin":
                elements.append(kit.button("No calls today", ids.ACTION_CHECKIN_NO, str(p.id)))
            else:
                if p.state == "sent":  # snoozing re-sends the DM: only for a prompt that was sent
                    elements.append(kit.button("Snooze 1 h", ids.ACTION_SNOOZE, str(p.id)))
                elements.append(kit.button("No call / skip", ids.ACTION_SKIP, str(p.id)))
            blocks.append({"type": "actions", "block_id": f"home:prompt:{p.id}", "elements": elements})
    blocks.append(kit.section("*Your recent notes*"))
    if not rep.notes:
        blocks.append(kit.section("Nothing yet. Use *Log feedback* above or type `/feedback` anywhere."))
    for note in rep.notes:
        about = f"*{plain(note.account, 150)}* · " if note.account else ""
        tags = ", ".join(plain(t.label, 60) for t in note.tags[:10]) or "no tags"
        blocks.append(
            {
                **kit.section(
                    f"{about}{slack_date(note.created_at, '{date_short_pretty}')}\n“{plain(note.text, 300)}”\n_{tags}_"
                ),
                "accessory": kit.button("Fix tags", ids.ACTION_FIX_TAGS, str(note.id)),
            }
        )
    return blocks


def build_home(
    rep: RepHome, extra_sections: Sequence[list[dict[str, Any]]] = (), *, top: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The Home tab: `top` (the Get started checklist, or a first visit's intro), the rep section, then each extra
    section after a divider, cut to Slack's 100 blocks."""
    blocks = [*top, {"type": "divider"}] if top else []
    blocks += build_rep_section(rep)
    for section in extra_sections:
        if section:
            blocks = [*blocks, {"type": "divider"}, *section]
    if len(blocks) > kit.VIEW_BLOCKS:
        blocks = [*blocks[: kit.VIEW_BLOCKS - 1], kit.section("_More than fits here: see the digest for the rest._")]
    return {"type": "home", "blocks": blocks}
