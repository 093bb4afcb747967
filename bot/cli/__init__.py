"""`fieldnotes`: the command line (SPEC §3)."""

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
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time like 2026-11-30T09:00:00Z") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _register() -> None:
    from bot.cli import db, doctor, run, tick

    cli.add_command(run.run)
    cli.add_command(tick.tick)
    cli.add_command(db.db)
    cli.add_command(doctor.doctor)
    for module, name in (("bot.cli.nlp_commands", "nlp_group"), ("bot.cli.digest", "digest"), ("bot.cli.demo", "demo")):
        try:
            command = getattr(__import__(module, fromlist=[name]), name)
        except ImportError as exc:
            if exc.name != module:
                raise
            continue
        cli.add_command(command)


_register()


def main() -> None:
    try:
        cli(standalone_mode=True)
    except (ConfigError, FieldNotesError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
