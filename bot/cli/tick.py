"""`fieldnotes tick [--at ISO8601]`: do everything due at that instant, exactly once, then exit."""

from __future__ import annotations

import click

from bot.cli import parse_at
from bot.cli._runtime import runtime_or_exit
from bot.jobs.engine import run_tick


@click.command()
@click.option("--at", "at", metavar="ISO8601", help="The instant to act as of (default: now).")
def tick(at: str | None) -> None:
    """Send due prompts, nudges, expiries, check-ins and digests, once."""
    when = parse_at(at)
    runtime = runtime_or_exit()
    count = 0

    def progress(_job: object) -> None:
        nonlocal count
        count += 1
        click.echo(f"\r{count} jobs done", nl=False, err=True)

    try:
        report = run_tick(runtime, when, on_job=progress)
    finally:
        runtime.executor.shutdown(wait=True)  # work a job handed to the background finishes before exit
        runtime.engine.dispose()
    if count:
        click.echo("", err=True)
    click.echo(f"tick at {report.at.isoformat()}: {report.summary()}")
