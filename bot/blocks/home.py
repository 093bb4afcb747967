"""App Home: a list of sections. The rep section is everyone's; other roles add theirs via `extra_sections`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import ids
from bot.blocks.feedback import slack_date
from bot.blocks.text import plain, truncate
from bot.services.notes import RepHome

__all__ = ["MAX_HOME_BLOCKS", "build_home", "build_rep_section"]

MAX_HOME_BLOCKS = 100


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _md(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 3000)}}


def build_rep_section(rep: RepHome) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your call feedback", "emoji": True}},
        {
            "type": "actions",
            "block_id": "home:rep",
            "elements": [_button("Log feedback", ids.ACTION_LOG_FEEDBACK, "", "primary")],
        },
    ]
    if rep.pending:
        blocks.append(_md("*Waiting for your feedback*"))
        for p in rep.pending[:5]:
            what = f"*{plain(p.account, 150)}*" if p.account else "Today's calls (check-in)"
            when = f" · {slack_date(p.ended_at)}" if p.ended_at else ""
            blocks.append(_md(f"{what}{when}"))
            elements = [_button("Log feedback", ids.ACTION_LOG_FEEDBACK, str(p.id), "primary")]
            if p.kind == "checkin":
                elements.append(_button("No calls today", ids.ACTION_CHECKIN_NO, str(p.id)))
            else:
                elements += [
                    _button("Snooze 1 h", ids.ACTION_SNOOZE, str(p.id)),
                    _button("No call / skip", ids.ACTION_SKIP, str(p.id)),
                ]
            blocks.append({"type": "actions", "block_id": f"home:prompt:{p.id}", "elements": elements})
    blocks.append(_md("*Your recent notes*"))
    if not rep.notes:
        blocks.append(_md("Nothing yet. Use *Log feedback* above or type `/feedback` anywhere."))
    for note in rep.notes:
        about = f"*{plain(note.account, 150)}* · " if note.account else ""
        tags = ", ".join(plain(t.label, 60) for t in note.tags[:10]) or "no tags"
        blocks.append(
            {
                **_md(
                    f"{about}{slack_date(note.created_at, '{date_short_pretty}')}\n“{plain(note.text, 300)}”\n_{tags}_"
                ),
                "accessory": _button("Fix tags", ids.ACTION_FIX_TAGS, str(note.id)),
            }
        )
    return blocks


def build_home(rep: RepHome, extra_sections: Sequence[list[dict[str, Any]]] = ()) -> dict[str, Any]:
    """The Home tab: the rep section, then each extra section after a divider, cut to Slack's 100 blocks."""
    blocks = build_rep_section(rep)
    for section in extra_sections:
        if section:
            blocks = [*blocks, {"type": "divider"}, *section]
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], _md("_More than fits here: see the digest for the rest._")]
    return {"type": "home", "blocks": blocks}
