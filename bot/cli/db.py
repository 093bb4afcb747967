"""`fieldnotes db upgrade|downgrade REV|current`: Alembic with the app's settings; `fieldnotes db recount`."""

from __future__ import annotations

from collections.abc import Callable

import click
from alembic.util import CommandError

from bot.cli._runtime import settings_or_exit
from storage import migrations
from storage.db import make_engine, make_session_factory
from storage.repositories import day_counts


@click.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head): the release step, run once before the new code starts.

    On PostgreSQL it holds an advisory lock, so two at once run one after the other."""
    _migrate(migrations.upgrade, revision)


# ignore_unknown_options: a relative revision such as -1 is an argument, not an unknown option.
@db.command(context_settings={"ignore_unknown_options": True})
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. -1, or base)."""
    _migrate(migrations.downgrade, revision)


@db.command()
def current() -> None:
    """Print the database's revision and the code's head."""
    engine = make_engine(settings_or_exit().database_url)
    revision = migrations.current(engine)
    head = migrations.head()
    state = "up to date" if revision == head else "behind: run `fieldnotes db upgrade`"
    click.echo(f"current: {revision or 'none (empty database)'}; head: {head} ({state})")


@db.command()
def recount() -> None:
    """Rebuild the digest's daily counts (tag_day_counts, tag_day_labels, note_day_counts) from the tags and notes.

    Triggers keep them in every write; this is only for a database whose rows were ever written around them."""
    engine = make_engine(settings_or_exit().database_url, statement_timeout_ms=None)
    try:
        with make_session_factory(engine).begin() as session:
            tag_rows, note_rows = day_counts.recount(session)
    finally:
        engine.dispose()
    click.echo(f"recounted: {tag_rows} rows of tag counts, {note_rows} rows of note counts")


def _migrate(step: Callable[[str, str], None], revision: str) -> None:
    """Run an upgrade or downgrade, then say where the database is; a revision Alembic refuses is one line."""
    url = settings_or_exit().database_url
    try:
        step(url, revision)
    except CommandError as exc:
        raise click.ClickException(f"{exc}: give a revision from `alembic history`, head, base, or -1") from None
    engine = make_engine(url)
    try:
        click.echo(f"database at {migrations.current(engine) or 'base (empty)'}")
    finally:
        engine.dispose()
