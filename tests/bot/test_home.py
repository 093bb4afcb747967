"""App Home blocks: the rep section, extra sections, Slack's 100-block limit, escaping."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import ids
from bot.blocks.home import build_home
from bot.blocks.kit import VIEW_BLOCKS
from bot.services.notes import NoteView, RepHome, TagView
from bot.services.prompts import PromptInfo

AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _note(i: int, text: str = "<!here> pricing & more") -> NoteView:
    return NoteView(i, "Acme <corp>", "lost", text, AT, [TagView("theme", "pricing", "rule", 0.9, "price")])


def _prompt(i: int) -> PromptInfo:
    return PromptInfo(i, "call", "sent", "UREP1", None, "Globex", "Demo", AT, AT, "D1", "1.1", False)


def test_rep_section_has_log_button_pending_prompts_and_notes() -> None:
    home = build_home(RepHome("UREP1", [_note(1)], [_prompt(7)]), [])
    assert home["type"] == "home"
    text = str(home["blocks"])
    assert "&lt;!here&gt; pricing &amp; more" in text and "<!here>" not in text
    assert "Acme &lt;corp&gt;" in text
    values = [(e["action_id"], e["value"]) for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (ids.ACTION_LOG_FEEDBACK, "") in values and (ids.ACTION_SNOOZE, "7") in values


def test_extra_sections_follow_and_the_total_stays_under_the_limit() -> None:
    many = [[{"type": "section", "text": {"type": "mrkdwn", "text": f"s{i}"}}] * 20 for i in range(8)]
    home = build_home(RepHome("U", [_note(i) for i in range(5)], [_prompt(i) for i in range(5)]), many)
    assert len(home["blocks"]) == VIEW_BLOCKS
    assert {"type": "divider"} in home["blocks"]


def test_empty_home_invites_a_first_note() -> None:
    home = build_home(RepHome("U", [], []), [])
    assert "Nothing yet" in str(home["blocks"])
