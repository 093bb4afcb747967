"""people.ensure: one row per Slack user, remembered for the rest of the session, never a stale object."""

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
