"""`fieldnotes workspace list` / `workspace purge T`: installed and uninstalled workspaces; one's data deleted now."""

from __future__ import annotations

import sys
from datetime import timedelta

import click

from bot.cli._runtime import runtime_or_exit
from storage.repositories import lifecycle

__all__ = ["workspace"]


@click.group()
def workspace() -> None:
    """Installed and uninstalled workspaces."""


@workspace.command("list")
def list_workspaces() -> None:
    """Every workspace: installed, or uninstalled and when its data will be purged."""
    runtime = runtime_or_exit()
    grace = timedelta(days=runtime.settings.fieldnotes_purge_after_days)
    try:
        with runtime.session_factory() as session:
            rows = lifecycle.all_workspaces(session)
    finally:
        runtime.engine.dispose()
    if not rows:
        click.echo("no workspaces yet")
    for row in rows:
        if row.uninstalled_at is None:
            state = "installed"
        else:
            state = f"uninstalled {row.uninstalled_at:%Y-%m-%d}, purged after {row.uninstalled_at + grace:%Y-%m-%d}"
        click.echo(f"{row.team_id}\t{row.name or '-'}\t{state}")


@workspace.command("purge")
@click.argument("team_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (it is asked only at a terminal).")
def purge(team_id: str, yes: bool) -> None:
    """Delete every row of workspace TEAM_ID now (notes, people, settings, its installation)."""
    # At a terminal a person confirms; a script (stdin not a terminal) gets what it asked for, as SPEC §3 has it.
    if not yes and _interactive():
        click.confirm(f"Delete all of {team_id}'s data now? This cannot be undone", abort=True)
    runtime = runtime_or_exit()
    try:
        with runtime.session_factory.begin() as session:
            rows = lifecycle.purge(session, team_id)
    finally:
        runtime.engine.dispose()
    if not rows:
        raise click.ClickException(f"no workspace {team_id} here: `fieldnotes workspace list` shows them")
    click.echo(f"purged {team_id}: {rows} rows deleted")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()
