"""Settings and runtime for commands, with configuration errors turned into one clear line."""

from __future__ import annotations

import click

from bot.errors import ConfigError
from bot.runtime import Runtime, make_runtime
from bot.settings import Settings, get_settings


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def runtime_or_exit(*, migrate: bool = True) -> Runtime:
    settings = settings_or_exit()
    if migrate:
        from storage import migrations

        migrations.upgrade(settings.database_url)
    return make_runtime(settings)
