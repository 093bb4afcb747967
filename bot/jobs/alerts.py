"""Telling admins that timed work is in trouble: once per failure episode, in words that say what to do.

An episode has a key (the digest of one schedule and week, one prompt); each admin gets one DM for it, posted
through post_once, so retries, ticks and crashes never repeat it. The error itself goes to the log, never to
Slack: admins read what happened and what to do, not a traceback.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.blocks.text import escape
from bot.jobs._leases import LeaseLost
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext
from storage.repositories import people

__all__ = ["digest_problem", "tell_admins", "undelivered_prompt"]

logger = logging.getLogger(__name__)

CHANNEL_ERRORS = {"not_in_channel", "channel_not_found", "is_archived"}
AUTH_ERRORS = {"not_authed", "invalid_auth", "token_revoked", "token_expired", "account_inactive", "missing_scope"}


def tell_admins(ctx: JobContext, episode: str, text: str) -> None:
    """DM every admin of the job's workspace `text`, once per `episode` each. Never raises (but LeaseLost)."""
    team_id = ctx.job.team_id or ""
    with ctx.runtime.session_factory() as session:
        admins = {p.slack_user_id for p in people.by_role(session, team_id, "is_admin")}
    admins.update(ctx.runtime.settings.admin_ids)
    try:
        client = ctx.runtime.clients.for_team(team_id)
    except Exception:
        logger.warning("cannot tell the admins of %s about %s: no Slack client", team_id, episode, exc_info=True)
        return
    for user_id in sorted(admins):
        try:
            dm = str(client.conversations_open(users=user_id)["channel"]["id"])
            post_once(ctx, client, channel=dm, key=f"{episode}:{user_id}", text=text)
        except LeaseLost:
            raise
        except Exception:
            logger.warning("could not tell admin %s about %s", user_id, episode, exc_info=True)


def slack_error(exc: BaseException) -> str | None:
    """Slack's error code (`not_in_channel`, `ratelimited`...), `http_5xx`, or None when Slack did not answer."""
    if isinstance(exc, SlackApiError) and exc.response is not None:
        status = exc.response.status_code
        return "http_5xx" if status >= 500 else str(exc.response.get("error") or f"http_{status}")
    cause = exc.__cause__
    return slack_error(cause) if cause is not None and cause is not exc else None


def digest_problem(channel_name: str, week: str, exc: BaseException) -> str:
    error = slack_error(exc)
    channel_name = escape(channel_name)
    head = f":warning: The weekly Field Notes digest for #{channel_name} (week {week}) could not be posted"
    if error in CHANNEL_ERRORS:
        if error == "channel_not_found":
            why = f"the channel #{channel_name} was not found (deleted, renamed to private, or the app is not in it)"
        elif error == "is_archived":
            why = f"#{channel_name} is archived"
        else:
            why = f"Field Notes is not a member of #{channel_name}"
        todo = (
            f"Fix: invite @Field Notes to #{channel_name}: type `/invite @Field Notes` in #{channel_name}, "
            "or change the schedule with `/fieldnotes digests`."
        )
    elif error in AUTH_ERRORS:
        why = "Slack refused Field Notes' credentials or permissions"
        todo = "Fix: reinstall Field Notes in the workspace (a token or scope is missing); run `fieldnotes doctor`."
    elif error is not None:
        why = "Slack did not take it (it may be busy or having an outage)"
        todo = "Nothing to do unless this lasts: see https://status.slack.com."
    else:
        why = "Field Notes ran into a problem of its own (its database or network)"
        todo = "If this lasts, ask whoever runs Field Notes to check its logs and run `fieldnotes doctor`."
    return (
        f"{head}: {why}.\n{todo}\n"
        "It is tried again automatically (less often as time goes on) until next week's digest is due."
    )


def undelivered_prompt(rep_user_id: str, account: str | None) -> str:
    about = f" about the call with {escape(account)}" if account else ""
    return (
        f":warning: Field Notes could not send <@{rep_user_id}> their feedback prompt{about} as a DM "
        "(Slack refused it or was unreachable for a while). It is waiting in their Field Notes App Home; "
        "ask them to open it there, and check that Field Notes may send them direct messages."
    )
