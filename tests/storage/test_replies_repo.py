"""Replies repository: who raised a label, replies stored once, loop statistics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory
from storage.models import Person
from storage.repositories import people, replies, workspaces
from tests.support.notes import seed_note

T = "T0001"
WEEK = timedelta(days=7)
START = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
END = START + WEEK


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def seed_person(session: Session, team_id: str, user_id: str, **roles: bool) -> Person:
    workspaces.create_if_missing(session, team_id=team_id, now=START - 30 * WEEK)
    person = people.ensure(session, team_id, user_id)
    for role, value in roles.items():
        setattr(person, role, value)
    session.flush()
    return person


def seed_reply(session: Session, team_id: str, author: Person, kind: str, label: str, at: datetime, key: str) -> None:
    created = replies.create_reply_once(
        session,
        team_id=team_id,
        kind="reply",
        dedupe_key=key,
        author_id=author.id,
        digest_run_id=None,
        tag_kind=kind,
        tag_label=label,
        period_start=at - WEEK,
        period_end=at,
        message="we made a page",
        link=None,
        now=at,
    )
    assert created is not None


def test_reps_for_label_is_period_kind_and_workspace_bound(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        ana, ben, cy = (seed_person(s, T, u) for u in ("UREP1", "UREP2", "UREP3"))
        other = seed_person(s, "T0002", "UREP1")
        seed_note(s, T, ana, START + timedelta(days=1), [("theme", "pricing")])
        seed_note(s, T, ana, START + timedelta(days=2), [("theme", "pricing")])  # twice: still once
        seed_note(s, T, ben, END - timedelta(seconds=1), [("theme", "pricing"), ("objection", "too expensive")])
        seed_note(s, T, cy, END, [("theme", "pricing")])  # end is exclusive
        seed_note(s, T, cy, START - timedelta(seconds=1), [("theme", "pricing")])
        seed_note(s, T, cy, START, [("objection", "pricing")])  # other kind
        seed_note(s, "T0002", other, START + timedelta(days=1), [("theme", "pricing")])
    with factory() as s:
        found = replies.reps_for_label(s, T, kind="theme", label="pricing", start=START, end=END)
        assert [p.slack_user_id for p in found] == ["UREP1", "UREP2"]
        assert all(p.team_id == T for p in found)


def test_create_reply_once_and_recipients(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        mia = seed_person(s, T, "UMKT", is_marketer=True)
        ana = seed_person(s, T, "UREP1")
        seed_reply(s, T, mia, "theme", "pricing", START, "V1")
        again = replies.create_reply_once(
            s,
            team_id=T,
            kind="reply",
            dedupe_key="V1",
            author_id=mia.id,
            digest_run_id=None,
            tag_kind="theme",
            tag_label="pricing",
            period_start=START,
            period_end=END,
            message="again",
            link=None,
            now=START,
        )
        assert again is None
        reply = replies.reply_by_key(s, T, "V1")
        assert reply is not None
        assert replies.add_recipient(s, team_id=T, reply_id=reply.id, person_id=ana.id)
        assert not replies.add_recipient(s, team_id=T, reply_id=reply.id, person_id=ana.id)
        assert [p.slack_user_id for _, p in replies.recipients(s, T, reply.id)] == ["UREP1"]
        assert replies.reply_by_key(s, "T0002", "V1") is None


def test_loop_stats_counts_replies_labels_and_open_rising(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        mia = seed_person(s, T, "UMKT", is_marketer=True)
        reps = [seed_person(s, T, f"UREP{i}") for i in range(1, 5)]

        def notes(week_start: datetime, label: str, n: int, kind: str = "theme") -> None:
            for i in range(n):
                seed_note(s, T, reps[i % 4], week_start + timedelta(hours=i + 1), [(kind, label)])

        # pricing: 1 -> 2 -> 3, never answered: open and rising.
        notes(START - 2 * WEEK, "pricing", 1)
        notes(START - WEEK, "pricing", 2)
        notes(START, "pricing", 3)
        # security: 0 -> 1 -> 4, rising, but answered last week: not open.
        notes(START - WEEK, "security", 1)
        notes(START, "security", 4)
        seed_reply(s, T, mia, "theme", "security", START - timedelta(days=2), "V-old")
        # onboarding: 2 -> 2 -> 5: rose only once.
        notes(START - 2 * WEEK, "onboarding", 2)
        notes(START - WEEK, "onboarding", 2)
        notes(START, "onboarding", 5)
        # Gong: 0 -> 1 -> 2 competitor, rising and open.
        notes(START - WEEK, "Gong", 1, "competitor")
        notes(START, "Gong", 2, "competitor")
        # Replies made in the period: two about pricing... no: about support twice and usability once.
        seed_reply(s, T, mia, "theme", "support", START + timedelta(days=1), "V2")
        seed_reply(s, T, mia, "theme", "support", START + timedelta(days=2), "V3")
        seed_reply(s, T, mia, "objection", "too expensive", START + timedelta(days=3), "V4")
        seed_reply(s, T, mia, "theme", "usability", END, "V-next")  # next period
        # Another workspace's activity changes nothing.
        stranger = seed_person(s, "T0002", "UX")
        seed_reply(s, "T0002", stranger, "theme", "pricing", START + timedelta(days=1), "V2")
    with factory() as s:
        stats = replies.loop_stats(s, T, START, END)
    assert stats == replies.LoopStats(
        replies_sent=3, labels_answered=2, open_rising=[("theme", "pricing"), ("competitor", "Gong")]
    )


def test_loop_stats_of_an_empty_workspace(factory: sessionmaker[Session]) -> None:
    with factory() as s:
        assert replies.loop_stats(s, T, START, END) == replies.LoopStats(0, 0, [])
