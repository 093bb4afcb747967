"""Period maths across DST, and the digest's numbers on hand-made data whose answer is known."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.blocks.digest import build_digest
from bot.runtime import Runtime
from bot.services.digest import (
    build_digest_data,
    latest_fire,
    previous_week,
    rolling_period,
    week_period,
)
from storage.repositories.digest_stats import NoteFilter
from tests.support.digest import TEAM, local, note, seed_known_weeks, utc, workspace


def test_week_period_is_local_midnight_to_midnight_across_dst() -> None:
    berlin = week_period("2026-W43", "Europe/Berlin")
    assert berlin.start == utc("2026-10-18T22:00:00")  # Monday 00:00 CEST
    assert berlin.end == utc("2026-10-25T23:00:00")  # Monday 00:00 CET: the week had 169 hours
    assert (berlin.first_day, berlin.last_day) == (date(2026, 10, 19), date(2026, 10, 25))
    edges = berlin.edges()
    assert len(edges) == 9 and edges[-2:] == [berlin.start, berlin.end]
    assert edges[0] == utc("2026-08-30T22:00:00")
    ny = week_period("2026-W44", "America/New_York")
    assert (ny.start, ny.end) == (utc("2026-10-26T04:00:00"), utc("2026-11-02T05:00:00"))
    with pytest.raises(ValueError, match="ISO week"):
        week_period("2026-48", "UTC")


def test_latest_fire_and_previous_week() -> None:
    kw = {"weekday": 0, "hour": 9, "minute": 0}
    assert latest_fire(utc("2026-10-26T07:59:00"), tz="Europe/Berlin", **kw) == utc("2026-10-19T07:00:00")
    assert latest_fire(utc("2026-10-26T08:00:00"), tz="Europe/Berlin", **kw) == utc("2026-10-26T08:00:00")
    assert latest_fire(utc("2026-11-02T13:59:00"), tz="America/New_York", **kw) == utc("2026-10-26T13:00:00")
    assert latest_fire(utc("2026-11-02T14:00:00"), tz="America/New_York", **kw) == utc("2026-11-02T14:00:00")
    assert latest_fire(utc("2026-11-20T12:00:00"), tz="UTC", weekday=4, hour=17, minute=30) == utc(
        "2026-11-13T17:30:00"
    )
    assert previous_week(utc("2026-10-26T08:00:00"), "Europe/Berlin").week == "2026-W43"
    assert previous_week(local("2027-01-04T09:00:00", "UTC"), "UTC").week == "2026-W53"


def test_known_week_counts_trends_spikes_and_content(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        workspace(session, utc("2026-09-01T00:00:00"))
        seed_known_weeks(session, "2026-10-19T00:00:00", "Europe/Berlin")
    with runtime.session_factory() as session:
        data = build_digest_data(session, TEAM, week_period("2026-W43", "Europe/Berlin"), run_id=3)
    assert (data.notes, data.reps, data.prompts_sent, data.prompts_answered) == (8, 2, 4, 3)
    assert data.response_rate == 0.75
    assert dict(data.outcomes) == {"lost": 2, "won": 1, "progressing": 1}
    themes = {ln.label: ln for ln in data.top["theme"]}
    assert list(themes) == ["pricing", "integration"]
    assert (themes["pricing"].count, themes["pricing"].previous, themes["pricing"].average) == (6, 2, 1.25)
    assert themes["pricing"].spike and not themes["integration"].spike
    assert (themes["integration"].count, themes["integration"].previous) == (2, 3)
    gong = data.top["competitor"][0]
    assert (gong.label, gong.count, gong.spike) == ("Gong", 3, True)
    assert [(s.label, s.kind) for s in data.spikes] == [("Gong", "competitor"), ("pricing", "theme")]
    assert data.lost_objections == (("too expensive", 2),)
    assert data.content_total == 4
    assert data.content_requests == (("A pricing one-pager", 3), ("Case study for fintech", 1))
    assert len(themes["pricing"].quotes) == 2 and len(themes["integration"].quotes) == 2
    assert all(q.author is None for q in themes["pricing"].quotes)  # the workspace default: anonymous
    assert dict(data.chart_series)["pricing"] == (0, 0, 1, 1, 1, 1, 2, 6)
    assert data.chart_weeks[-1] == date(2026, 10, 19)


def test_quotes_are_redacted_and_attributed_when_the_workspace_says_so(runtime: Runtime) -> None:
    at = local("2026-11-24T12:00:00", "UTC")
    with runtime.session_factory.begin() as session:
        workspace(session, at, quotes="attributed")
        note(
            session,
            at,
            [("theme", "pricing")],
            author="UREP2",
            text="Mail the buyer at buyer@example.com or call +1 415 555 0100 about the price",
        )
    with runtime.session_factory() as session:
        data = build_digest_data(session, TEAM, week_period("2026-W48", "UTC"))
    (quote,) = data.top["theme"][0].quotes
    assert quote.author == "UREP2"
    assert "buyer@example.com" not in quote.text and "555 0100" not in quote.text


def test_quotes_fall_back_to_the_whole_note_when_picking_fails(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    at = local("2026-11-24T12:00:00", "UTC")
    text = "They think we cost twice what Gong does, and the CFO wants a discount before Friday"
    with runtime.session_factory.begin() as session:
        workspace(session, at)
        note(session, at, [("theme", "pricing")], text=text)

    def broken(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("tagger down")

    monkeypatch.setattr("bot.services.digest.pick_quotes", broken)
    with runtime.session_factory() as session:
        data = build_digest_data(session, TEAM, week_period("2026-W48", "UTC"))
    (quote,) = data.top["theme"][0].quotes
    assert quote.text == text  # the digest goes out, quoting the whole note
    assert "picking quotes failed" in caplog.text


def test_filter_and_empty_and_preview(runtime: Runtime) -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    with runtime.session_factory.begin() as session:
        workspace(session, now)
        note(session, now - timedelta(hours=1), [("theme", "pricing")], outcome="lost")
        note(session, now - timedelta(days=2), [("theme", "support")], outcome="won")
    with runtime.session_factory() as session:
        lost = build_digest_data(session, TEAM, rolling_period(now), flt=NoteFilter(outcome="lost"))
        assert [ln.label for ln in lost.top["theme"]] == ["pricing"]
        empty = build_digest_data(session, TEAM, week_period("2026-W10", "UTC"))
        assert empty.notes == 0 and empty.top == {"theme": (), "objection": (), "competitor": ()}
        other = build_digest_data(session, "T_OTHER", rolling_period(now))
        assert other.notes == 0
        blocks = build_digest(build_digest_data(session, TEAM, rolling_period(now)))["blocks"]
    assert blocks[0]["type"] == "header"
    assert any(b.get("block_id") == "digest:theme:0" for b in blocks)
