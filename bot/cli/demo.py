"""`fieldnotes demo`: the whole loop offline, in a fresh SQLite database of its own (never DATABASE_URL)."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session, sessionmaker

from bot.services.demo_data import REPS, DemoNote, DemoPrompt, generate_quarter
from bot.services.demo_funnel import add_funnel
from nlp.taxonomy import Taxonomy

__all__ = ["DEMO_TEAM", "demo", "run_demo"]

DEMO_TEAM = "TDEMO"
BATCH = 100


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Directory for the demo database and the digest files.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the generated quarter.")
def demo(out: Path, seed: int) -> None:
    """Generate a quarter of notes from a dozen reps, tag them, and render the latest weekly digest."""
    run_demo(out, seed=seed, now=datetime.now(UTC))


def run_demo(out: Path, *, seed: int = 7, now: datetime, echo: bool = True) -> dict[str, Path]:
    from bot.cli.digest import render, write_outputs
    from bot.services.demo_learning import seed_learning
    from bot.services.digest import build_digest_data, previous_week
    from storage import migrations
    from storage.db import make_engine, make_session_factory

    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    database = out / "fieldnotes-demo.db"
    for stale in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        stale.unlink(missing_ok=True)
    url = f"sqlite:///{database.resolve()}"
    _say(echo, f"Creating a fresh demo database: {database}")
    migrations.upgrade(url)
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        period = previous_week(now, "UTC")
        notes, prompts = generate_quarter(period.end, seed=seed)
        notes = add_funnel(notes, seed=seed)
        _say(echo, f"Generated {len(notes)} notes from {len(REPS)} reps over 13 weeks; tagging them…")
        _store(factory, notes, prompts, now=now, echo=echo)
        with factory.begin() as session:
            learning = seed_learning(session, DEMO_TEAM, week_start=period.start, now=now)
        with factory() as session:
            data = build_digest_data(session, DEMO_TEAM, period)
        paths = {"db": database, **write_outputs(data, out)}
        if echo:
            from bot.blocks.digest import build_digest

            click.echo(render(build_digest(data), "text"))
            for line in learning:
                click.echo(line)
            for kind in ("json", "html", "png", "heatmap"):
                if kind in paths:
                    click.echo(f"wrote {paths[kind]}")
            click.echo(f"done in {time.monotonic() - started:.1f} s")
        return paths
    finally:
        engine.dispose()


def _say(echo: bool, text: str) -> None:
    if echo:
        click.echo(text, err=True)


def _store(
    factory: sessionmaker[Session], notes: list[DemoNote], prompts: list[DemoPrompt], *, now: datetime, echo: bool
) -> None:
    from nlp.tagger import get_tagger
    from storage.repositories import notes as note_repo
    from storage.repositories.notes import TagIn

    with factory.begin() as session:
        ids, taxonomy = _seed_workspace(session, prompts, now)
        _seed_accounts(session, ids, now)
    tagger = get_tagger()
    batches = [notes[i : i + BATCH] for i in range(0, len(notes), BATCH)]
    with click.progressbar(batches, label="Tagging notes", file=None if echo else io.StringIO()) as bar:
        for batch in bar:
            tags = tagger.tag_many([n.text for n in batch], taxonomy)
            rows: list[dict[str, Any]] = [
                {
                    "team_id": DEMO_TEAM,
                    "author_id": ids[n.author],
                    "source": "demo",
                    "account": n.account,
                    "outcome": n.outcome,
                    "text": n.text,
                    "helped": n.helped,
                    "worked": n.worked,
                    "stage": n.stage,
                    "segment": n.segment,
                    "created_at": n.created_at,
                    "tagged_at": now,
                }
                for n in batch
            ]
            with factory.begin() as session:
                note_repo.bulk_add_tagged(
                    session,
                    rows,
                    [[TagIn(t.kind, t.label, t.score, t.source, t.matched) for t in note_tags] for note_tags in tags],
                )


def _seed_accounts(session: Session, ids: dict[str, int], now: datetime) -> None:
    """Each demo account with its segment, and what marketing pinned to accounts and segments."""
    from bot.services.demo_data import ACCOUNTS
    from bot.services.demo_funnel import MARKETING_NOTES, account_segment
    from storage.repositories import funnel

    for account in ACCOUNTS:
        funnel.upsert_account(session, DEMO_TEAM, account, now=now, segment=account_segment(account))
    author = next(iter(ids.values()))
    for pinned_to, segment, text in MARKETING_NOTES:
        row = funnel.upsert_account(session, DEMO_TEAM, pinned_to, now=now) if pinned_to else None
        funnel.add_marketing_note(
            session,
            DEMO_TEAM,
            author_id=author,
            text=text,
            now=now,
            account_id=row.id if row else None,
            segment=segment,
        )


def _seed_workspace(session: Session, prompts: list[DemoPrompt], now: datetime) -> tuple[dict[str, int], Taxonomy]:
    """The demo workspace, its reps and their prompts: the reps' ids by Slack id, and the taxonomy."""
    from bot.services.workspaces import ensure_workspace, taxonomy_for
    from storage.repositories import people
    from storage.repositories import prompts as prompt_repo

    ensure_workspace(session, DEMO_TEAM, now=now, name="Demo Co")
    ids: dict[str, int] = {}
    for user_id, name, tz in REPS:
        person = people.ensure(session, DEMO_TEAM, user_id)
        person.name, person.tz, person.is_rep = name, tz, True
        ids[user_id] = person.id
    taxonomy = taxonomy_for(session, DEMO_TEAM)
    prompt_repo.bulk_add(
        session,
        [
            {
                "team_id": DEMO_TEAM,
                "kind": "call",
                "dedupe_key": f"demo:{index}",
                "rep_id": ids[p.rep],
                "state": "answered" if p.answered else "expired",
                "due_at": p.sent_at,
                "sent_at": p.sent_at,
                "answered_at": p.sent_at if p.answered else None,
                "created_at": p.sent_at,
            }
            for index, p in enumerate(prompts)
        ],
    )
    return ids, taxonomy
