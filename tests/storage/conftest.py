"""Storage tests' shared fixture: a migrated database holding workspace T0001 with one rep, UREP1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory
from storage.repositories import people, workspaces

TEAM = "T0001"


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the test database, where workspace T0001 and its rep UREP1 exist."""
    engine = make_engine(db_url)
    made = make_session_factory(engine)
    with made.begin() as session:
        workspaces.create_if_missing(session, team_id=TEAM, now=datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
        people.ensure(session, TEAM, "UREP1")
    yield made
    engine.dispose()
