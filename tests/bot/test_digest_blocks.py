"""The digest builder: a pure function, checked against Slack's limits without mocks."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.blocks.digest import build_digest, button_value, period_title
from bot.render.html import render_html
from bot.render.text import render_text
from bot.services.digest import DigestData, LabelLine, LoopLine, Quote, week_period

PERIOD = week_period("2026-W48", "Europe/Berlin")


def check_limits(message: dict[str, Any]) -> None:
    blocks = message["blocks"]
    assert 0 < len(blocks) <= 50
    assert len(message["text"]) <= 40_000
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["value"]) <= 2000 and len(element["text"]["text"]) <= 75
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def line(kind: str, label: str, count: int, previous: int = 0, average: float = 0.0, **kw: Any) -> LabelLine:
    return LabelLine(kind, label, count, previous, average, **kw)


def test_period_titles() -> None:
    assert period_title(date(2026, 11, 23), date(2026, 11, 29)) == "23–29 Nov 2026"
    assert period_title(date(2026, 10, 26), date(2026, 11, 1)) == "26 Oct – 1 Nov 2026"
    assert period_title(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"


def test_empty_week_is_a_short_friendly_digest() -> None:
    message = build_digest(DigestData(team_id="T1", period=PERIOD, prompts_sent=4))
    check_limits(message)
    assert len(message["blocks"]) == 3
    assert "No feedback was logged this week" in message["blocks"][1]["text"]["text"]
    assert "4 prompts went out" in message["blocks"][1]["text"]["text"]
    assert message["text"] == "Field Notes digest for 23–29 Nov 2026: no feedback this week."


def test_lines_arrows_quotes_escaped_and_buttons() -> None:
    data = DigestData(
        team_id="T1",
        period=PERIOD,
        run_id=7,
        notes=12,
        reps=3,
        top={
            "theme": (
                line(
                    "theme",
                    "pricing",
                    9,
                    4,
                    2.0,
                    spike=True,
                    quotes=(Quote("Tell <!channel> we're 2x & more", "UREP1"), Quote("too pricey", None)),
                ),
                line("theme", "integration", 2, 5, 3.0),
            ),
            "competitor": (line("competitor", "Gong", 3, 3, 1.0),),
        },
        more={"theme": 4},
        loop=LoopLine(2, 1, (("theme", "pricing"),)),
    )
    message = build_digest(data)
    check_limits(message)
    sections = {b.get("block_id"): b for b in message["blocks"]}
    pricing = sections["digest:theme:0"]["text"]["text"]
    assert pricing.startswith(
        "*pricing*  9  ▲ +5 vs last week  :rotating_light: spike (4.5× the 4-week average of 2.0)"
    )
    assert "> “Tell &lt;!channel&gt; we're 2x &amp; more” — <@UREP1>" in pricing
    assert "> “too pricey”\n" not in pricing and pricing.endswith("> “too pricey”")
    assert "▼ −3 vs last week" in sections["digest:theme:1"]["text"]["text"]
    assert "= same as last week" in sections["digest:competitor:0"]["text"]["text"]
    actions = sections["digest_actions:theme:0"]["elements"]
    assert [a["action_id"] for a in actions] == [ids.ACTION_REPLY_TO_REPS, ids.ACTION_ASK_REPS, ids.ACTION_SEE_NOTES]
    assert actions[2]["text"]["text"] == "See the 9 notes"
    assert json.loads(actions[0]["value"]) == {
        "r": 7,
        "k": "theme",
        "l": "pricing",
        "s": "2026-11-23",
        "e": "2026-11-30",
        "z": "Europe/Berlin",  # the days are the schedule's
    }
    assert actions[0]["value"] == (
        '{"r":7,"k":"theme","l":"pricing","s":"2026-11-23","e":"2026-11-30","z":"Europe/Berlin"}'
    )
    texts = [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]
    assert "and 4 more themes" in texts
    assert any(
        "*Closing the loop*: 2 replies sent to reps, 1 topic answered." in b.get("text", {}).get("text", "")
        for b in message["blocks"]
    )


def test_button_value_without_a_run_is_null() -> None:
    data = DigestData(team_id="T1", period=PERIOD)
    assert json.loads(button_value(data, "objection", "too expensive"))["r"] is None
    assert len(button_value(data, "theme", "x" * 5000)) <= 2000


def huge_week() -> DigestData:
    big = "A very long note that goes on and on about <b>pricing</b> & more. " * 40
    lines = {
        kind: tuple(
            line(
                kind,
                f"{kind} label number {i} " + "x" * 200,
                1000 - i,
                10,
                5.0,
                spike=True,
                quotes=(Quote(big, "UREP1"), Quote(big, None)),
            )
            for i in range(60)
        )
        for kind in ("theme", "objection", "competitor")
    }
    return DigestData(
        team_id="T1",
        period=PERIOD,
        run_id=1,
        notes=100_000,
        reps=400,
        prompts_sent=200_000,
        prompts_answered=100_000,
        outcomes=tuple((f"outcome {i}", i) for i in range(30)),
        top=lines,
        more={"theme": 500},
        spikes=tuple(lines["theme"]) * 5,
        lost_objections=tuple((f"objection {i} " + "y" * 100, i) for i in range(200)),
        content_total=50_000,
        content_requests=tuple((big, i) for i in range(100)),
        emerging=tuple("term" * 20 for _ in range(50)),
        loop=LoopLine(5, 3, tuple(("theme", f"label {i}") for i in range(100))),
        chart_weeks=(),
        chart_series=(),
    )


def test_a_huge_week_stays_within_slack_limits_and_says_and_n_more() -> None:
    message = build_digest(huge_week())
    check_limits(message)
    text = json.dumps(message)
    assert "more themes" in text and "more objections" in text
    assert "_and " in text  # lists cut with "and N more"


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.text(min_size=1, max_size=300), min_size=0, max_size=30),
    quote=st.text(max_size=2000),
    notes=st.integers(min_value=0, max_value=10**6),
)
def test_any_week_stays_within_slack_limits(labels: list[str], quote: str, notes: int) -> None:
    lines = tuple(line("theme", label, 5, 1, 1.0, spike=True, quotes=(Quote(quote, "U1"),)) for label in labels)
    data = DigestData(
        team_id="T1",
        period=PERIOD,
        notes=notes,
        top={"theme": lines, "objection": lines, "competitor": lines},
        spikes=lines,
        lost_objections=tuple((label, 1) for label in labels),
        content_total=len(labels),
        content_requests=tuple((label, 2) for label in labels),
    )
    check_limits(build_digest(data))


def test_text_and_html_renderings() -> None:
    data = DigestData(
        team_id="T1",
        period=PERIOD,
        notes=3,
        reps=1,
        top={"theme": (line("theme", "pricing", 3, quotes=(Quote("we <3 it & more", "UREP1"),)),)},
    )
    blocks = build_digest(data)["blocks"]
    text = render_text(blocks)
    assert "Field Notes digest · 23–29 Nov 2026" in text
    assert "“we <3 it & more” — @UREP1" in text
    assert "[Reply to reps] [Ask reps]" in text
    page = render_html(blocks)
    assert page.startswith("<!doctype html>")
    assert "we &lt;3 it &amp; more" in page and "<b>pricing</b>" in page
    assert '<span class="mention">@UREP1</span>' in page
