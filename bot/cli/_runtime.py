"""Settings and runtime for commands, with configuration errors turned into one clear line."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import ConfigError
from bot.messages import config as say
from bot.runtime import Runtime, make_runtime
from bot.settings import Settings, get_settings
from storage import migrations
from storage.db import make_engine

__all__ = ["require_schema", "runtime_or_exit", "settings_or_exit", "slack_settings_or_exit"]


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def slack_settings_or_exit(settings: Settings) -> None:
    """`run` cannot serve without Slack's secrets: say which one is missing, in one line, before migrating."""
    if not settings.secret("slack_signing_secret"):
        raise click.ClickException(say.MISSING_SIGNING_SECRET)
    if not settings.oauth_enabled and not settings.secret("slack_bot_token"):
        raise click.ClickException(say.MISSING_BOT_TOKEN)


def runtime_or_exit(*, migrate: bool = False) -> Runtime:
    """The runtime, on a database at the code's revision. Only `fieldnotes db upgrade` (the release step) and
    `run` on SQLite or with --migrate change the schema; every other command stops if the database is behind."""
    settings = settings_or_exit()
    if migrate:
        migrations.upgrade(settings.database_url)
    else:
        require_schema(settings.database_url)
    return make_runtime(settings)


def require_schema(url: str) -> None:
    """Stop with one line when the database is not at the code's head revision (or cannot be reached)."""
    engine = make_engine(url)
    try:
        revision, head = migrations.pending(engine)
    except SQLAlchemyError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise click.ClickException(
            f"the database at {shown} did not answer ({exc.__class__.__name__}): check DATABASE_URL"
        ) from None
    finally:
        engine.dispose()
    if revision == head:
        return
    if revision is None:
        raise click.ClickException("the database has no schema yet: run `fieldnotes db upgrade` first")
    raise click.ClickException(
        f"the database is at revision {revision} but this code needs {head}: run `fieldnotes db upgrade`"
    )
