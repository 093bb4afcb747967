"""`fieldnotes db upgrade|downgrade REV|current`: Alembic with the app's settings."""

from __future__ import annotations

import click

from bot.cli._runtime import settings_or_exit
from storage import migrations
from storage.db import make_engine


@click.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head): the release step, run once before the new code starts.

    On PostgreSQL it holds an advisory lock, so two at once run one after the other."""
    migrations.upgrade(settings_or_exit().database_url, revision)
    click.echo(f"database at {revision}")


# ignore_unknown_options: a relative revision such as -1 is an argument, not an unknown option.
@db.command(context_settings={"ignore_unknown_options": True})
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. -1, or base)."""
    migrations.downgrade(settings_or_exit().database_url, revision)
    click.echo(f"database at {revision}")


@db.command()
def current() -> None:
    """Print the database's revision and the code's head."""
    engine = make_engine(settings_or_exit().database_url)
    revision = migrations.current(engine)
    head = migrations.head()
    state = "up to date" if revision == head else "behind: run `fieldnotes db upgrade`"
    click.echo(f"current: {revision or 'none (empty database)'}; head: {head} ({state})")
