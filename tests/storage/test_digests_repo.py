"""Digest schedules, runs and aggregates: per workspace, idempotent, counted by the database."""

from __future__ import annotations

from datetime import timedelta

from bot.runtime import Runtime
from storage.repositories import answer_stats as answers
from storage.repositories import digest_stats as stats
from storage.repositories import digests as repo
from storage.repositories import people
from tests.support.digest import TEAM, note, utc, workspace
from tests.support.notes import seed_note

NOW = utc("2026-11-26T12:00:00")


def test_schedules_are_per_workspace(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        workspace(session, NOW)
        workspace(session, NOW, team_id="T0002")
        mine = repo.add_schedule(session, TEAM, "CMKT", "marketing", 0, 9, 0, "Europe/Berlin", NOW)
        theirs = repo.add_schedule(session, "T0002", "CX", "x", 4, 17, 30, "UTC", NOW)
    with runtime.session_factory.begin() as session:
        assert [(s.channel_id, s.weekday, s.hour, s.tz) for s in repo.list_schedules(session, TEAM)] == [
            ("CMKT", 0, 9, "Europe/Berlin")
        ]
        assert repo.remove_schedule(session, TEAM, theirs.id) is False  # not this workspace's
        assert repo.get_schedule(session, TEAM, theirs.id) is None
        assert len(repo.all_schedules(session)) == 2
        assert repo.remove_schedule(session, TEAM, mine.id) is True
        assert repo.list_schedules(session, TEAM) == []


def test_a_run_is_created_once_per_schedule_and_week(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        workspace(session, NOW)
        schedule = repo.add_schedule(session, TEAM, "CMKT", "marketing", 0, 9, 0, "UTC", NOW)
        kw = {
            "team_id": TEAM,
            "schedule_id": schedule.id,
            "period_start": NOW - timedelta(days=7),
            "period_end": NOW,
            "channel_id": "CMKT",
            "now": NOW,
        }
        first = repo.begin_run(session, week="2026-W47", **kw)
        repo.mark_posting(session, first.id)
        again = repo.begin_run(session, week="2026-W47", **kw)
        assert again.id == first.id
        repo.mark_posted(session, first.id, channel_id="CMKT", message_ts="1.2", now=NOW)
        repo.mark_failed(session, first.id, error="late", final=True)  # a posted run stays posted
        session.expire_all()
        run = repo.get_run(session, TEAM, first.id)
        assert run is not None and (run.state, run.attempts, run.message_ts) == ("posted", 1, "1.2")
        assert repo.begin_run(session, week="2026-W48", **kw).id != first.id


def test_aggregates(runtime: Runtime) -> None:
    start, end = NOW - timedelta(days=7), NOW
    with runtime.session_factory.begin() as session:
        workspace(session, NOW)
        workspace(session, NOW, team_id="T0002")
        note(
            session,
            NOW - timedelta(days=1),
            [("theme", "pricing"), ("objection", "no budget")],
            outcome="lost",
            helped=" Case study ",
            text="Short one, but long enough to be quoted here.",
        )
        note(
            session,
            NOW - timedelta(days=2),
            [("theme", "pricing")],
            helped="case study",
            author="UREP2",
            text="A much longer note about pricing that still reads well as a quote, " * 2,
        )
        note(session, NOW - timedelta(days=2), [("theme", "pricing")], text="too short")
        note(session, NOW - timedelta(days=9), [("theme", "pricing"), ("theme", "support")])
        note(session, NOW - timedelta(days=1), [("theme", "pricing")], team_id="T0002", author="UX")
    with runtime.session_factory() as session:
        assert stats.note_stats(session, TEAM, start, end) == (3, 2)
        assert stats.outcome_counts(session, TEAM, start, end) == [("lost", 1)]
        trends = stats.label_trends(session, TEAM, [end - timedelta(days=14), start, end])
        assert {(t.kind, t.label): t.weekly for t in trends} == {
            ("theme", "pricing"): (1, 3),
            ("theme", "support"): (1, 0),
            ("objection", "no budget"): (0, 1),
        }
        assert stats.lost_objections(session, TEAM, start, end) == [("no budget", 1)]
        total, requests = answers.content_requests(session, TEAM, start, end)
        assert total == 2 and len(requests) == 1 and requests[0][1] == 2
        quotes = stats.quote_candidates(session, TEAM, start, end, [("theme", "pricing")], per_label=3)
        assert [q.text[:9] for q in quotes] == ["Short one", "A much lo"]  # shortest reasonable first
        assert quotes[1].author_slack_id == "UREP2"
        assert len(stats.note_texts(session, TEAM, start, end, limit=2)) == 2
        only_lost = stats.NoteFilter(outcome="lost")
        assert stats.note_stats(session, TEAM, start, end, only_lost) == (1, 1)


def test_what_helped_and_what_would_have_helped_are_counted_in_one_pass(runtime: Runtime) -> None:
    start, end = NOW - timedelta(days=7), NOW
    given = [  # (days ago, what would have helped, what helped)
        (1, " Case study ", "ROI calculator"),
        (1, "case study", None),
        (2, "", "roi calculator "),
        (2, None, "Reference call"),
        (3, "Pricing page", "Reference call"),
        (3, "   ", None),
        (9, "case study", "Reference call"),  # before the period
    ]
    with runtime.session_factory.begin() as session:
        workspace(session, NOW)
        workspace(session, NOW, team_id="T0002")
        rep = people.ensure(session, TEAM, "UREP1")
        for days, helped, worked in given:
            seed_note(session, TEAM, rep, NOW - timedelta(days=days), [], helped=helped, worked=worked)
        other = people.ensure(session, "T0002", "UX")
        seed_note(session, "T0002", other, NOW - timedelta(days=1), [], helped="case study", worked="Reference call")
    with runtime.session_factory() as session:
        helped, worked = answers.helped_and_worked(session, TEAM, start, end)
        assert helped == (3, [("Case study", 2), ("Pricing page", 1)])
        assert worked == (4, [("Reference call", 2), ("ROI calculator", 2)])  # ties by the answer, case aside
        assert answers.helped_and_worked(session, TEAM, start, end, limit=1) == (
            (3, [("Case study", 2)]),
            (4, [("Reference call", 2)]),
        )
        assert answers.content_requests(session, TEAM, start, end) == helped
        only = stats.NoteFilter(author_ids=(rep.id,), outcome="won")
        assert answers.helped_and_worked(session, TEAM, start, end, only) == ((0, []), (0, []))
