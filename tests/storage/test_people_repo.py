"""people.ensure: one row per Slack user, remembered for the rest of the session, never a stale object.
people.mark_reps: the authors of notes stored together, made if missing and marked as reps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory
from storage.models import Person
from storage.repositories import people, workspaces

T = "T0001"


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    made = make_session_factory(engine)
    with made.begin() as session:
        workspaces.create_if_missing(session, team_id=T, now=datetime(2026, 11, 27, tzinfo=UTC))
    yield made
    engine.dispose()


def test_ensure_reads_a_person_once_per_session(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        first = people.ensure(session, T, "UREP1")
        assert people.ensure(session, T, "UREP1") is first
    with factory() as session:
        again = people.ensure(session, T, "UREP1")
        assert again.id == first.id and again is not first  # a new session reads it anew


def test_ensure_after_a_rolled_back_savepoint_gives_a_live_row(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        with pytest.raises(RuntimeError), session.begin_nested():
            people.ensure(session, T, "UNEW")  # inserted in the savepoint
            people.ensure(session, T, "UNEW")  # found, and remembered
            raise RuntimeError("the note failed")
        person = people.ensure(session, T, "UNEW")
        assert person in session and person.id is not None
    with factory() as session:
        assert session.scalar(select(func.count(Person.id)).where(Person.slack_user_id == "UNEW")) == 1


def test_mark_reps_makes_missing_people_and_marks_each_as_a_rep_once(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        known = people.ensure(session, T, "UKNOWN")  # in the workspace, not a rep (an admin, say)
        known_id = known.id
    with factory.begin() as session:
        ids = people.mark_reps(session, T, ["UKNOWN", "UNEW", "UKNOWN"])
    with factory() as session:
        rows = {p.slack_user_id: p for p in session.scalars(select(Person).where(Person.team_id == T))}
    assert ids == {"UKNOWN": known_id, "UNEW": rows["UNEW"].id}
    assert rows["UKNOWN"].is_rep and rows["UNEW"].is_rep
    assert (rows["UNEW"].name, rows["UNEW"].is_admin) == ("", False)


def test_mark_reps_marks_again_a_rep_an_admin_removed(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        first = people.mark_reps(session, T, ["UREP1"])
    with factory.begin() as session:
        people.ensure(session, T, "UREP1").is_rep = False  # `/fieldnotes reps remove`
    with factory.begin() as session:
        assert people.mark_reps(session, T, ["UREP1"]) == first
    with factory() as session:
        assert people.ensure(session, T, "UREP1").is_rep


def test_mark_reps_of_no_one_reads_nothing(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        assert people.mark_reps(session, T, []) == {}
