"""The welcome DM, once per admin it is meant for, across replicas and restarts.

OAuth: the install plans `onboarding.welcome` for the installer (bot/app.py). Single workspace: `fieldnotes run`
plans `onboarding.start` for the first of FIELDNOTES_ADMINS, which asks Slack which workspace the bot token is for
and plans the same welcome there. The job key makes planning idempotent, `people.welcomed_at`
keeps a re-planned welcome from going out twice, and the post goes through post_once.
"""

from __future__ import annotations

from bot.blocks.onboarding import build_welcome
from bot.jobs import kinds
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, handler
from bot.runtime import Runtime
from bot.services import onboarding
from bot.services.workspaces import ensure_workspace
from bot.slack import SlackDirectory
from storage.repositories import jobs


def plan_first_start(runtime: Runtime) -> None:
    """At `fieldnotes run` start (single workspace): the first of FIELDNOTES_ADMINS is welcomed by the next tick,
    once ever (a done job stays done; another replica starting plans nothing new)."""
    settings = runtime.settings
    if settings.oauth_enabled or not settings.admin_ids:
        return
    first, now = settings.admin_ids[0], runtime.now()
    with runtime.session_factory.begin() as session:
        jobs.plan(session, kind=kinds.ONBOARDING_START, key=f"{kinds.ONBOARDING_START}:{first}", due_at=now, now=now)


@handler(kinds.ONBOARDING_START)
def start_single_workspace(ctx: JobContext) -> None:
    runtime = ctx.runtime
    team_id = SlackDirectory(runtime.clients.single()).team_id()
    first = runtime.settings.admin_ids[0]
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, team_id, now=ctx.now, admin_ids=runtime.settings.admin_ids)
        onboarding.plan_welcome(session, team_id, first, now=ctx.now)  # run by this tick's claim loop


@handler(kinds.ONBOARDING_WELCOME)
def send_welcome(ctx: JobContext) -> None:
    team_id, user_id = ctx.job.team_id or "", str(ctx.job.payload["user_id"])
    with ctx.runtime.session_factory() as session:
        if not onboarding.needs_welcome(session, team_id, user_id):
            return
    client = ctx.runtime.clients.for_team(team_id)
    dm = str(client.conversations_open(users=user_id)["channel"]["id"])
    message = build_welcome(user_id)
    post_once(ctx, client, channel=dm, key=f"welcome:{user_id}", text=message["text"], blocks=message["blocks"])
    with ctx.runtime.session_factory.begin() as session:
        onboarding.mark_welcomed(session, team_id, user_id, now=ctx.now)
