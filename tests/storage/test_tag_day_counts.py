"""tag_day_counts, tag_day_labels and note_day_counts, the digest's stored daily counts: every way of writing tags
and notes keeps them equal to the rows recounted (triggers, in the same transaction, concurrent writers included);
the migrations fill them in from the rows there were; and the counts the digest reads from them equal the counts of
the rows, for weeks in any time zone."""

from __future__ import annotations

import random
import threading
from bisect import bisect_right
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.services.digest import rolling_period, week_period
from storage import migrations
from storage.db import make_engine, make_session_factory
from storage.models import Note, NoteDayCount, Tag, TagDayCount, TagDayLabel
from storage.repositories import day_counts, digest_stats, lifecycle, note_edits, notes, people, retention, workspaces
from storage.repositories.notes import NoteIn, TagIn
from tests.support.tag_counts import assert_counts_match, recounted

T = "T0001"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BEFORE_COUNTS = "f1c3b5d7e902"  # the revision before the daily counts
LABELS = [("theme", "pricing"), ("theme", "integration"), ("objection", "too expensive"), ("competitor", "Gong")]
STAGES = [None, "discovery", "proposal", "closed won"]
OUTCOMES = [None, "won", "lost"]


def _note(
    session: Session,
    key: str,
    at: datetime,
    *,
    stage: str | None = None,
    outcome: str | None = None,
    rep: str = "UREP1",
) -> int:
    author = people.ensure(session, T, rep)
    [(note, _)] = notes.create_many(
        session, T, [NoteIn(T, author.id, "modal", key, f"note {key}", at, outcome=outcome, stage=stage)]
    )
    return note.id


def _check(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        assert_counts_match(session.connection())


def test_every_way_of_writing_tags_keeps_the_counts(factory: sessionmaker[Session]) -> None:
    late = datetime(2026, 11, 27, 23, 59, 59, 999999, tzinfo=UTC)  # the last instant of a UTC day
    with factory.begin() as session:
        a = _note(session, "a", late, stage="proposal", outcome="won")
        b = _note(session, "b", late + timedelta(microseconds=1), outcome="lost")  # the next day
        c = _note(session, "c", NOW - timedelta(days=40))
        notes.add_tags(session, T, {a: (late, [TagIn(*LABELS[0], 0.9, "rule"), TagIn(*LABELS[1], 0.8, "model")])})
        notes.add_tags(session, T, {a: (late, [TagIn(*LABELS[0], 1.0, "rule")])})  # already there: not counted
        notes.replace_tags(session, T, b, [TagIn(*LABELS[2], 1.0, "human")])
        notes.replace_tags(session, T, c, [TagIn(*LABELS[0], 1.0, "human"), TagIn(*LABELS[3], 1.0, "human")])
    _check(factory)
    with factory() as session:
        counts = recounted(session.connection())
        assert counts[(T, "2026-11-27", "theme", "pricing", "proposal", "won")] == 1
        assert counts[(T, "2026-11-28", "objection", "too expensive", "", "lost")] == 1
        assert sum(counts.values()) == 5
    with factory.begin() as session:
        author = people.ensure(session, T, "UREP1")
        row = {"team_id": T, "author_id": author.id, "source": "demo", "text": "x", "created_at": NOW, "stage": "demo"}
        [d] = notes.bulk_add_tagged(session, [row], [[TagIn(*LABELS[1], 1.0, "rule")]])
        session.add(Tag(team_id=T, note_id=d, kind="competitor", label="Gong", score=1.0, source="rule"))
    _check(factory)
    with factory.begin() as session:  # *Fix tags*: the machine's tags replaced by the rep's
        notes.replace_tags(session, T, a, [TagIn(*LABELS[2], 1.0, "human")], sources=("rule", "model"))
        notes.delete_tags(session, T, [c], sources=("human",), kinds=("competitor",))
    _check(factory)
    with factory.begin() as session:  # a stage given later (stage mapping) moves the note's tags to it
        session.execute(update(Tag).where(Tag.note_id == b).values(stage="negotiation"))
        session.execute(update(Tag).values(score=0.5))  # a change to no counted column: the counts stay
        session.execute(update(Note).where(Note.id == b).values(stage="negotiation", outcome="won"))
        session.execute(update(Note).values(text="edited"))
    _check(factory)
    with factory.begin() as session:  # a note edited: its machine tags go, then come back
        assert note_edits.delete_note(session, T, d)
        session.execute(delete(Tag).where(Tag.note_id == a, Tag.source == "human"))
    _check(factory)
    with factory.begin() as session:  # retention: notes and, by cascade, their tags
        assert retention.delete_notes_before(session, T, NOW - timedelta(days=30)) == 1
    _check(factory)
    with factory() as session:
        assert sum(recounted(session.connection()).values()) == 1  # b's tag
    with factory.begin() as session:  # a workspace purged: everything of it
        lifecycle.purge(session, T)
    _check(factory)
    with factory() as session:
        assert not session.scalars(select(TagDayCount).where(TagDayCount.n != 0)).all()


WRITE = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 5), st.integers(0, len(LABELS) - 1)),
    st.tuples(st.just("drop"), st.integers(0, 5), st.integers(0, len(LABELS) - 1)),
    st.tuples(st.just("stage"), st.integers(0, 5), st.integers(0, len(STAGES) - 1)),
    st.tuples(st.just("delete note"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("note outcome"), st.integers(0, 5), st.integers(0, len(OUTCOMES) - 1)),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.lists(WRITE, min_size=1, max_size=4), min_size=1, max_size=6), seed=st.integers(0, 99))
def test_any_sequence_of_writes_keeps_the_counts(
    factory: sessionmaker[Session], writes: list[list[tuple[str, int, int]]], seed: int
) -> None:
    rng = random.Random(seed)
    with factory.begin() as session:
        session.execute(delete(Note).where(Note.team_id == T))
        ids = []
        for i in range(6):  # notes either side of UTC midnights
            at = NOW.replace(hour=0) + timedelta(days=rng.randint(0, 2), microseconds=rng.choice((0, -1, 1)))
            ids.append(_note(session, f"n{i}", at, stage=rng.choice(STAGES), outcome=rng.choice(OUTCOMES)))
    for transaction in writes:
        with factory.begin() as session:
            for op, i, j in transaction:
                note_id = ids[i]
                at = session.scalar(select(Note.created_at).where(Note.id == note_id))
                if at is None:
                    continue  # deleted already
                if op == "add":
                    notes.add_tags(session, T, {note_id: (at, [TagIn(*LABELS[j], 1.0, "rule")])})
                elif op == "drop":
                    kind, label = LABELS[j]
                    session.execute(delete(Tag).where(Tag.note_id == note_id, Tag.kind == kind, Tag.label == label))
                elif op == "stage":  # as a stage mapping does: the note and its tags
                    session.execute(update(Tag).where(Tag.note_id == note_id).values(stage=STAGES[j]))
                    session.execute(update(Note).where(Note.id == note_id).values(stage=STAGES[j]))
                elif op == "note outcome":
                    session.execute(update(Note).where(Note.id == note_id).values(outcome=OUTCOMES[j]))
                else:
                    note_edits.delete_note(session, T, note_id)
        _check(factory)


def test_concurrent_writers_lose_no_count(factory: sessionmaker[Session]) -> None:
    """Two writers tagging notes of the same day with the same labels at once: every tag is counted."""
    with factory.begin() as session:
        ids = [_note(session, f"n{i}", NOW + timedelta(seconds=i), stage="demo") for i in range(40)]
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def tag(mine: list[int], order: list[tuple[str, str]]) -> None:
        try:
            start.wait()
            for note_id in mine:
                with factory.begin() as session:
                    notes.add_tags(session, T, {note_id: (NOW, [TagIn(k, lb, 1.0, "rule") for k, lb in order])})
        except BaseException as exc:
            failures.append(exc)

    threads = [
        threading.Thread(target=tag, args=(ids[0::2], LABELS)),
        threading.Thread(target=tag, args=(ids[1::2], LABELS[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    _check(factory)
    with factory() as session:
        n = session.scalar(select(TagDayCount.n).where(TagDayCount.label == "pricing", TagDayCount.stage == "demo"))
        assert n == 40


def _weeks_of(edges: list[datetime], rows: list[tuple[datetime, str, str, str | None, str | None]], detailed: int):
    """tag_counts computed in Python from the tags themselves: the reference."""
    weeks = len(edges) - 1
    counts: Counter[tuple[int, str, str, str | None, str | None]] = Counter()
    for at, kind, label, stage, outcome in rows:
        i = bisect_right(edges, at) - 1
        if 0 <= i < weeks:
            detail = i >= weeks - detailed
            counts[(i, kind, label, stage if detail else None, outcome if detail else None)] += 1
    return counts


@pytest.mark.parametrize(
    "tz", ["UTC", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "rolling"]
)
def test_weekly_counts_from_the_days_equal_the_tags_counted(factory: sessionmaker[Session], tz: str) -> None:
    """Weeks in any time zone (DST changes, half- and quarter-hour offsets; a rolling week at any instant) count
    exactly the tags between their edges: whole UTC days from tag_day_counts, the part-days from the tags."""
    rng = random.Random(7)
    # Eight weeks before 2026-11-23 (US DST ended on 2026-11-01; Lord Howe moved half an hour on 2026-10-04).
    period = (
        rolling_period(datetime(2026, 11, 25, 13, 17, 5, tzinfo=UTC))
        if tz == "rolling"
        else week_period("2026-W48", tz)
    )
    edges = period.edges()
    span = (edges[-1] - edges[0]).total_seconds()
    with factory.begin() as session:
        for i in range(160):
            at = edges[0] - timedelta(days=1) + timedelta(seconds=rng.random() * (span + 2 * 86400))
            if i % 8 == 0:
                at = rng.choice(edges) - timedelta(microseconds=rng.choice((0, 1)))  # on and just before an edge
            stage, outcome = rng.choice(STAGES), rng.choice(OUTCOMES)
            note_id = _note(session, f"n{i}", at, stage=stage, outcome=outcome, rep=f"UREP{i % 3}")
            tags = [TagIn(*LABELS[j], 1.0, "rule") for j in rng.sample(range(len(LABELS)), rng.randint(1, 3))]
            notes.add_tags(session, T, {note_id: (at, tags)})
    with factory() as session:
        rows = [
            (at.astimezone(UTC), k, lb, stage, outcome)
            for at, k, lb, stage, outcome in session.execute(
                select(Tag.created_at, Tag.kind, Tag.label, Tag.stage, Tag.outcome)
            )
        ]
        found = digest_stats.tag_counts(session, T, edges, detailed=2)
        # The period's notes, reps, outcomes and stages: as counted from the notes themselves.
        counted = day_counts.note_counts(session, T, period.start, period.end)
        assert (counted.notes, counted.reps) == digest_stats.note_stats(session, T, period.start, period.end)
        assert counted.by_outcome_stage == digest_stats.outcome_stage_counts(session, T, period.start, period.end)
        assert counted.notes > 10
    expected = _weeks_of(edges, rows, 2)
    assert Counter({(c.week, c.kind, c.label, c.stage, c.outcome): c.count for c in found}) == expected
    assert len(found) == len(expected)  # each key once
    assert [c.label for c in found] == sorted(c.label for c in found)  # ordered by label (ASCII labels here)


def test_the_migration_counts_the_tags_there_were(db_url: str) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        workspaces.create_if_missing(session, team_id=T, now=NOW)
    engine.dispose()
    migrations.downgrade(db_url, BEFORE_COUNTS)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with factory.begin() as session:  # tags written before the table existed
        rng = random.Random(3)
        for i in range(30):
            at = NOW + timedelta(hours=rng.randint(-200, 200), microseconds=rng.randint(0, 999999))
            note_id = _note(session, f"n{i}", at, stage=rng.choice(STAGES), outcome=rng.choice(OUTCOMES))
            notes.add_tags(session, T, {note_id: (at, [TagIn(k, lb, 1.0, "rule") for k, lb in rng.sample(LABELS, 2)])})
    engine.dispose()
    migrations.upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert sum(recounted(conn).values()) == 60
        assert_counts_match(conn)
    engine.dispose()


def _corrupt(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        session.execute(update(TagDayCount).values(n=TagDayCount.n + 3))
        session.execute(delete(TagDayLabel).where(TagDayLabel.kind == "theme"))
        session.execute(delete(NoteDayCount))
    with factory() as session, pytest.raises(AssertionError):
        assert_counts_match(session.connection())


def test_recount_rebuilds_counts_written_around_the_triggers(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        for i in range(12):
            at = NOW - timedelta(hours=7 * i)
            note_id = _note(session, f"n{i}", at, stage=STAGES[i % 4], outcome=OUTCOMES[i % 3], rep=f"UREP{i % 2}")
            notes.add_tags(session, T, {note_id: (at, [TagIn(*LABELS[i % 4], 1.0, "rule")])})
    _corrupt(factory)
    with factory.begin() as session:
        tag_rows, note_rows = day_counts.recount(session)
    assert tag_rows > 4 and note_rows > 4
    _check(factory)


def test_db_recount_command(cli_database: str) -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    assert CliRunner().invoke(cli, ["db", "upgrade"], catch_exceptions=False).exit_code == 0
    engine = make_engine(cli_database)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        workspaces.create_if_missing(session, team_id=T, now=NOW)
        note_id = _note(session, "a", NOW, stage="demo", outcome="won")
        notes.add_tags(session, T, {note_id: (NOW, [TagIn(*LABELS[0], 1.0, "rule"), TagIn(*LABELS[1], 1.0, "rule")])})
    _corrupt(factory)
    result = CliRunner().invoke(cli, ["db", "recount"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "recounted: 2 rows of tag counts, 1 rows of note counts" in result.output
    _check(factory)
    engine.dispose()
