"""`fieldnotes`: the command line (the README lists its commands)."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import click

from bot.errors import ConfigError, FieldNotesError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def cli(verbose: bool) -> None:
    """Field Notes: sales feedback to marketing, inside Slack."""
    from bot.logs import configure_logging
    from bot.settings import get_settings

    try:
        fmt = get_settings().fieldnotes_log_format
    except ConfigError:
        fmt = "text"  # the command itself reports the bad setting, in one line
    configure_logging(fmt, level=logging.DEBUG if verbose else logging.INFO)


def parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time like 2026-11-30T09:00:00Z") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _register() -> None:
    from bot.cli import db, demo, digest, doctor, nlp_commands, run, tick, workspace

    commands = (run.run, tick.tick, db.db, doctor.doctor, nlp_commands.nlp_group, digest.digest, demo.demo)
    for command in (*commands, workspace.workspace):
        cli.add_command(command)


_register()


def main() -> None:
    try:
        cli(standalone_mode=True)
    except (ConfigError, FieldNotesError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
