"""The digest's loop line, computed from its own weekly counts, equals replies.loop_stats."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.runtime import Runtime
from bot.services import digest as service
from storage.models import Note, Tag
from storage.repositories import answer_stats, people, replies
from storage.repositories import digest_stats as repo
from tests.support.digest import TEAM, note, workspace

PERIOD = service.week_period("2026-W47", "UTC")


def _reply(session: object, label: str, at_days: float, key: str) -> None:
    mia = people.ensure(session, TEAM, "UMKT")  # type: ignore[arg-type]
    replies.create_reply_once(
        session,  # type: ignore[arg-type]
        team_id=TEAM,
        kind="reply",
        dedupe_key=key,
        author_id=mia.id,
        digest_run_id=None,
        tag_kind="theme",
        tag_label=label,
        period_start=PERIOD.start,
        period_end=PERIOD.end,
        message="we made a page",
        link=None,
        now=PERIOD.start + timedelta(days=at_days),
    )


def test_loop_from_trends_equals_loop_stats(runtime: Runtime) -> None:
    week = timedelta(days=7)
    with runtime.session_factory.begin() as session:
        workspace(session, PERIOD.start)
        # pricing and security grow two weeks running, support does not; security was answered last week.
        for label, counts in (("pricing", (1, 2, 3)), ("security", (0, 1, 4)), ("support", (2, 1, 3))):
            for i, n in enumerate(counts):
                for j in range(n):
                    note(session, PERIOD.start - (2 - i) * week + timedelta(hours=j + 1), [("theme", label)])
        _reply(session, "security", -3, "V1")
        _reply(session, "pricing", 2, "V2")
        _reply(session, "pricing", 3, "V3")
    with runtime.session_factory() as session:
        edges = PERIOD.edges()
        trends = repo.label_trends(session, TEAM, edges)
        fast = service._loop_from_trends(session, TEAM, PERIOD, trends)
        stats = replies.loop_stats(session, TEAM, PERIOD.start, PERIOD.end)
        assert fast == service._loop(session, TEAM, PERIOD, edges, trends)
        assert (fast.replies_sent, fast.labels_answered, list(fast.open_rising)) == (
            stats.replies_sent,
            stats.labels_answered,
            stats.open_rising,
        )
        assert fast.replies_sent == 2 and fast.labels_answered == 1
        assert list(fast.open_rising) == []  # pricing answered this week, security the week before
        assert repo.reply_activity(session, TEAM, PERIOD.start, PERIOD.end, PERIOD.start) == (
            2,
            {("theme", "pricing")},
            {("theme", "pricing")},
        )


def test_tags_carry_their_notes_created_at_and_both_trend_paths_agree(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        workspace(session, PERIOD.start)
        for days in (1, 3, -2, -9, -30):
            note(session, PERIOD.start + timedelta(days=days), [("theme", "pricing"), ("objection", "no budget")])
    with runtime.session_factory() as session:
        pairs = session.execute(select(Tag.created_at, Note.created_at).join(Note, Note.id == Tag.note_id)).all()
        assert len(pairs) == 10 and all(tag_at == note_at for tag_at, note_at in pairs)
        edges = PERIOD.edges()
        plain = {(t.kind, t.label): t.weekly for t in repo.label_trends(session, TEAM, edges)}
        joined = {(t.kind, t.label): t.weekly for t in repo.label_trends(session, TEAM, edges, repo.NoteFilter())}
        assert plain == joined
        assert plain[("theme", "pricing")] == (0, 0, 1, 0, 0, 1, 1, 2)  # -30 days: five weeks back
        assert answer_stats.content_requests(session, TEAM, PERIOD.start, PERIOD.end) == (0, [])
