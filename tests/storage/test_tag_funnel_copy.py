"""Tags carry their note's stage and outcome (the digest's funnel counts a week's tags by them without a join):
copied on every way a tag is written, kept in step when a stage mapping gives notes their stage later, filled in
by the migration that added them; and the counts read from the copies (or from one pass where there were
several) equal the counts joined from the notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from storage import migrations
from storage.db import make_engine, make_session_factory
from storage.models import Call, Note, Tag
from storage.repositories import digest_stats, funnel, funnel_stats, notes, people, workspaces
from storage.repositories.notes import NoteIn, TagIn

T = "T0001"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BEFORE_TAGS = "e4b6a9c2d817"  # the revision before tags had stage and outcome


def _stored(session: Session, key: str, *, stage: str | None, outcome: str | None, at: datetime = NOW) -> int:
    author = people.ensure(session, T, "UREP1")
    new = NoteIn(T, author.id, "modal", key, f"note {key}", at, outcome=outcome, stage=stage)
    [(note, _)] = notes.create_many(session, T, [new])
    return note.id


def _copies(session: Session) -> list[tuple[int, str, str | None, str | None, str | None, str | None]]:
    """(note id, label, the tag's stage, the note's stage, the tag's outcome, the note's outcome) of every tag."""
    rows = session.execute(
        select(Tag.note_id, Tag.label, Tag.stage, Note.stage, Tag.outcome, Note.outcome)
        .join(Note, Note.id == Tag.note_id)
        .order_by(Tag.note_id, Tag.label)
    ).all()
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def _in_step(session: Session) -> None:
    copies = _copies(session)
    assert copies
    for note_id, label, tag_stage, note_stage, tag_outcome, note_outcome in copies:
        assert (tag_stage, tag_outcome) == (note_stage, note_outcome), (note_id, label)


def test_every_way_of_writing_a_tag_copies_the_notes_stage_and_outcome(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        won = _stored(session, "a", stage="closed won", outcome="won")
        lost = _stored(session, "b", stage=None, outcome="lost")
        bare = _stored(session, "c", stage=None, outcome=None)
        notes.add_tags(session, T, {won: (NOW, [TagIn("theme", "integration", 0.9, "rule")]), bare: (NOW, [])})
        notes.replace_tags(session, T, lost, [TagIn("objection", "too expensive", 1.0, "human")])
        notes.replace_tags(session, T, bare, [TagIn("theme", "pricing", 1.0, "human")])
        author = people.ensure(session, T, "UREP1")
        [bulk] = notes.bulk_add_tagged(
            session,
            [{"team_id": T, "author_id": author.id, "source": "demo", "text": "x", "created_at": NOW, "stage": "demo"}],
            [[TagIn("theme", "onboarding", 1.0, "rule")]],
        )
        # A tag added as an object, leaving the copies out, reads them from its note.
        session.add(Tag(team_id=T, note_id=won, kind="competitor", label="Gong", score=1.0, source="rule"))
    with factory() as session:
        _in_step(session)
        assert [(label, st, oc) for _, label, st, _, oc, _ in _copies(session)] == [
            ("Gong", "closed won", "won"),
            ("integration", "closed won", "won"),
            ("too expensive", None, "lost"),
            ("pricing", None, None),
            ("onboarding", "demo", None),
        ]
        assert bulk > bare


def test_mapping_a_crm_stage_gives_the_notes_tags_their_stage(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        rep = people.ensure(session, T, "UREP1")
        call = Call(
            team_id=T, external_id="crm-1", rep_id=rep.id, account="Acme", deal_stage="Stage 3 - Proposal",
            ended_at=NOW, created_at=NOW,
        )  # fmt: skip
        session.add(call)
        session.flush()
        heard = _stored(session, "a", stage=None, outcome="lost")
        session.execute(text("UPDATE notes SET call_id = :c WHERE id = :n"), {"c": call.id, "n": heard})
        other = _stored(session, "b", stage=None, outcome=None)
        for note_id in (heard, other):
            notes.add_tags(session, T, {note_id: (NOW, [TagIn("theme", "pricing", 1.0, "rule")])})
    with factory.begin() as session:
        assert funnel.apply_stage(session, T, "stage 3 - proposal", "proposal") == 1
    with factory() as session:
        _in_step(session)
        assert [(n, st) for n, _, st, *_ in _copies(session)] == [(heard, "proposal"), (other, None)]


def test_the_funnel_counted_from_the_copies_equals_the_counts_joined_from_the_notes(
    factory: sessionmaker[Session],
) -> None:
    start = NOW - timedelta(days=3)
    end, before = start + timedelta(days=7), start - timedelta(days=7)
    plan = [  # (days from start, stage, outcome, tags)
        (-5, "negotiation", None, [("objection", "security concern")]),
        (-4, "negotiation", "lost", [("objection", "security concern"), ("theme", "pricing")]),
        (1, "discovery", None, [("objection", "security concern")]),
        (1, "closed won", None, [("theme", "integration"), ("theme", "pricing")]),
        (2, "demo", "won", [("theme", "pricing"), ("competitor", "Gong")]),
        (2, None, "won", [("theme", "integration")]),
        (3, "closed lost", "lost", [("objection", "too expensive"), ("theme", "pricing")]),
        (3, None, "lost", [("objection", "too expensive"), ("objection", "security concern")]),
        (4, "proposal", "lost", [("objection", "security concern")]),
        (9, "proposal", "won", [("theme", "pricing")]),  # after the period
    ]
    with factory.begin() as session:
        for i, (days, stage, outcome, tags) in enumerate(plan):
            note_id = _stored(session, f"k{i}", stage=stage, outcome=outcome, at=start + timedelta(days=days))
            notes.add_tags(
                session, T, {note_id: (start + timedelta(days=days), [TagIn(k, lb, 1.0, "rule") for k, lb in tags])}
            )
    with factory() as session:
        counts = digest_stats.tag_counts(session, T, [before - timedelta(days=7), before, start, end], detailed=2)
        joined = funnel_stats.stage_label_counts(session, T, start, end, before=before)
        from_copies = funnel_stats.stage_label_counts_of(counts, 2)
        assert sorted(from_copies, key=repr) == sorted(joined, key=repr)
        assert len(joined) == 9
        assert funnel_stats.won_label_counts_of(counts, 2) == funnel_stats.won_label_counts(session, T, start, end)
        assert funnel_stats.won_label_counts_of(counts, 2) == [("integration", 2), ("pricing", 2)]
        lost = digest_stats.lost_objections(session, T, start, end)
        assert digest_stats.lost_objections_of(counts, 2) == lost == [("security concern", 2), ("too expensive", 2)]
        by_outcome = digest_stats.outcome_stage_counts(session, T, start, end)
        assert digest_stats.outcomes_of(by_outcome) == digest_stats.outcome_counts(session, T, start, end)
        assert digest_stats.outcomes_of(by_outcome) == [("lost", 3), ("won", 2)]
        assert digest_stats.stages_of(by_outcome) == funnel_stats.stage_note_counts(session, T, start, end)
        trends = digest_stats.trends_of(counts, 3)
        assert sorted(trends, key=repr) == sorted(
            digest_stats.label_trends(session, T, [before - timedelta(days=7), before, start, end]), key=repr
        )


def test_the_migration_fills_the_copies_in_from_the_notes(db_url: str) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        workspaces.create_if_missing(session, team_id=T, now=NOW)
        for key, stage, outcome in (
            ("a", "demo", "won"),
            ("b", None, "lost"),
            ("c", "proposal", None),
            ("d", None, None),
        ):
            note_id = _stored(session, key, stage=stage, outcome=outcome)
            notes.add_tags(session, T, {note_id: (NOW, [TagIn("theme", "pricing", 1.0, "rule")])})
    engine.dispose()
    migrations.downgrade(db_url, BEFORE_TAGS)
    migrations.upgrade(db_url)
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        _in_step(session)
        assert [(st, oc) for _, _, st, _, oc, _ in _copies(session)] == [
            ("demo", "won"),
            (None, "lost"),
            ("proposal", None),
            (None, None),
        ]
    engine.dispose()
