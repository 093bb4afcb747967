"""The digest's funnel, posted by `tick`: where labels come up by stage, the biggest shift, why we win beside
objections in lost deals, what helped beside what would have helped, and the stage heatmap in the thread."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.support.digest import add_schedule, digests_in, utc
from tests.support.funnel import MONDAY, note, seed_funnel_week


def _text(message: dict[str, Any]) -> str:
    parts = []
    for block in message["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn")
    return "\n".join(parts)


def test_funnel_section_and_heatmap_posted_by_tick(served: ServedApp, fake_slack: FakeSlack) -> None:
    add_schedule(served, "CMKT", "marketing", "UTC")
    with served.runtime.session_factory.begin() as session:
        seed_funnel_week(session)
    served.tick(utc("2026-11-23T09:00:00"))
    [message] = digests_in(fake_slack, "CMKT")
    text = _text(message)

    where = next(b for b in message["blocks"] if b.get("block_id") == "digest:funnel")["text"]["text"]
    assert where.startswith("*Where it comes up* (themes, _objections_ by deal stage) · 2 notes with no stage")
    lines = where.split("\n")
    # Funnel order, each stage's notes, its top themes and (in italics) objections.
    assert lines[1:6] == [
        "• *discovery* (4 notes): _security concern 4_",
        "• *proposal* (3 notes): pricing 3",
        "• *negotiation* (1 note): _security concern 1_",
        "• *closed won* (1 note): integration 1",
        "• *closed lost* (2 notes): pricing 2 · _too expensive 2_",
    ]
    assert lines[6] == (
        ":twisted_rightwards_arrows: *Biggest shift*: *security concern* (objection) moved from *negotiation* to "
        "*discovery*: 4 of 5 this week at discovery, 4 of 4 the week before at negotiation"
    )
    # The gain beside the pain, side by side in one section's fields.
    [wins, lost] = next(b for b in message["blocks"] if "Why we win" in str(b.get("fields", "")))["fields"]
    assert wins["text"].startswith("*Why we win* (themes in won deals)\n• integration (2)")
    assert "cto@example.com" not in wins["text"] and "The native Salesforce sync won it" in wins["text"]
    assert lost["text"] == "*Objections in lost deals*\n• too expensive (2)"
    [worked, wanted] = next(b for b in message["blocks"] if "What helped" in str(b.get("fields", "")))["fields"]
    assert worked["text"] == "*What helped* (2 notes said)\n• “The ROI calculator” (×2)"
    assert wanted["text"].startswith("*What would have helped* (2 notes asked for something)")
    assert "Stage × label heatmap in the thread" in text

    heatmap = fake_slack.file_named("stages.png")
    assert heatmap.content is not None and heatmap.content.startswith(b"\x89PNG")
    assert heatmap.thread_ts == message["ts"] and heatmap.channel_id == "CMKT"
    served.tick(utc("2026-11-23T09:05:00"))  # a later tick posts neither again
    assert len(digests_in(fake_slack, "CMKT")) == 1
    assert len([f for f in fake_slack.files.values() if f.name == "stages.png"]) == 1


def test_a_week_without_stages_has_no_funnel_section(served: ServedApp, fake_slack: FakeSlack) -> None:
    add_schedule(served, "CMKT", "marketing", "UTC")
    with served.runtime.session_factory.begin() as session:
        note(session, MONDAY + timedelta(days=1), [("theme", "pricing")], outcome="lost")
    served.tick(utc("2026-11-23T09:00:00"))
    [message] = digests_in(fake_slack, "CMKT")
    assert not any(b.get("block_id") == "digest:funnel" for b in message["blocks"])
    assert "Why we win" not in _text(message)
    assert [f.name for f in fake_slack.files.values()] == ["themes.png"]
