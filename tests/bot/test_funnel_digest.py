"""The digest's funnel, posted by `tick`: where labels come up by stage, the biggest shift, why we win beside
objections in lost deals, what helped beside what would have helped, and the stage heatmap in the thread."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.support.digest import TEAM, add_schedule, digests_in, utc
from tests.support.notes import seed_note

MONDAY = utc("2026-11-16T00:00:00")  # ISO week 2026-W47, posted Monday 23 November at 09:00 UTC


def _note(session: Session, at: datetime, tags: list[tuple[str, str]], **columns: Any) -> None:
    rep = people.ensure(session, TEAM, columns.pop("author", "UREP1"))
    text = columns.pop("text", f"The customer talked about {', '.join(label for _, label in tags)} at length today.")
    seed_note(session, TEAM, rep, at, tags, text, tagged_at=at, **columns)


def seed_funnel_week(session: Session) -> None:
    day = timedelta(days=1)
    # Security objections sat in negotiation the week before; this week they come up in discovery.
    for i in range(4):
        _note(
            session, MONDAY - 5 * day + i * timedelta(hours=3), [("objection", "security concern")], stage="negotiation"
        )
    for i in range(4):
        _note(session, MONDAY + day + i * timedelta(hours=3), [("objection", "security concern")], stage="discovery")
    _note(session, MONDAY + 2 * day, [("objection", "security concern")], stage="negotiation")
    # Pricing at proposal; two lost deals on price.
    for i in range(3):
        _note(session, MONDAY + 3 * day + i * timedelta(hours=1), [("theme", "pricing")], stage="proposal")
    for i in range(2):
        _note(
            session,
            MONDAY + 4 * day + i * timedelta(hours=1),
            [("theme", "pricing"), ("objection", "too expensive")],
            stage="closed lost",
            outcome="lost",
            helped="A pricing one-pager",
        )
    # Two wins on integration, one of them saying so with an e-mail address in it.
    _note(
        session,
        MONDAY + 5 * day,
        [("theme", "integration")],
        stage="closed won",
        outcome="won",
        worked="The ROI calculator",
        segment="Mid-market",
        text="The native Salesforce sync won it for them; write to cto@example.com for the reference call.",
    )
    _note(
        session,
        MONDAY + 5 * day + timedelta(hours=2),
        [("theme", "integration")],
        outcome="won",
        worked="the ROI calculator ",
        author="UREP2",
    )
    _note(session, MONDAY + 6 * day, [("theme", "support")])  # no stage known


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
        _note(session, MONDAY + timedelta(days=1), [("theme", "pricing")], outcome="lost")
    served.tick(utc("2026-11-23T09:00:00"))
    [message] = digests_in(fake_slack, "CMKT")
    assert not any(b.get("block_id") == "digest:funnel" for b in message["blocks"])
    assert "Why we win" not in _text(message)
    assert [f.name for f in fake_slack.files.values()] == ["themes.png"]
