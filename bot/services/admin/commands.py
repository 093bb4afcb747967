"""Each `/fieldnotes` command carried out against storage: a `Result` saying what was done.

Slack-free: what a command needs from Slack (profiles, channel checks) is read before its transaction
(`prefetch.gather`) and handed in through `Context.slack`. Errors are `FieldNotesError`s whose message is shown
to the user as is; `bot/blocks/admin_replies.py` turns a result into the answer.

A subcommand is one entry in RUNNERS: its command type (services/admin/model.py) and the service function that
runs it, kept in the module of its command group.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import UsageError
from bot.messages import admin as say
from bot.services.admin import (
    digest_cmds,
    funnel_cmds,
    learn_cmds,
    people_cmds,
    questions,
    setup_cmds,
    stats,
    taxonomy,
    webhook_cmds,
    workspace_cmds,
)
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.admin.permissions import require_admin
from storage.repositories import deliveries

__all__ = ["RUNNERS", "execute", "execute_once"]

RUNNERS: dict[type[m.Command], Runner] = {
    **stats.RUNNERS,
    **questions.RUNNERS,
    **workspace_cmds.RUNNERS,
    **digest_cmds.RUNNERS,
    **taxonomy.RUNNERS,
    **people_cmds.RUNNERS,
    **webhook_cmds.RUNNERS,
    **learn_cmds.RUNNERS,
    **funnel_cmds.RUNNERS,
    **setup_cmds.RUNNERS,
}


def execute_once(session: Session, ctx: Context, command: m.Command, *, key: str | None) -> r.Result | None:
    """`execute`, unless a command with this key (its trigger) ran already: None for the replay. The key is
    recorded in the command's own transaction, so a command that failed may be sent again."""
    if key and not deliveries.first_time(session, team_id=ctx.team_id, key=key, now=ctx.now):
        return None
    return execute(session, ctx, command)


def execute(session: Session, ctx: Context, command: m.Command) -> r.Result:
    """Run one command; raises FieldNotesError (PermissionDenied, NotFound, UsageError) with a message to show."""
    # Marketers' commands (funnel_cmds) check who runs them themselves.
    if not isinstance(command, (*m.OPEN_COMMANDS, *funnel_cmds.MARKETER_COMMANDS)):
        require_admin(session, ctx.team_id, ctx.user_id, ctx.slack)
    run = RUNNERS.get(type(command))
    if run is None:
        raise UsageError(say.cannot_do_here(command.render()))
    return run(session, ctx, command)
