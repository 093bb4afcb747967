"""Ride-along messages, each a job so it is sent exactly once: the rep's approve/decline DM, the answer to the
marketer, the reminders 15 minutes before, the debrief question after the call, and news of a move or a
cancellation. Reminders and debriefs carry the call's version: after a move, the old ones find nothing to do.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.ridealongs import (
    build_answer_for_marketer,
    build_call_changed,
    build_debrief,
    build_reminder,
    build_request,
    build_request_answered,
)
from bot.jobs import kinds
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, Undeliverable, handler
from bot.services import ridealongs as service

__all__ = ["answer", "ask", "changed", "debrief", "remind"]

logger = logging.getLogger(__name__)

CANNOT_DM = {"user_not_found", "user_disabled", "account_inactive", "cannot_dm_bot", "not_allowed_token_type"}


def _dm(ctx: JobContext, client: WebClient, user_id: str, key: str, message: tuple[str, list[dict]]) -> tuple[str, str]:
    try:
        channel = str(client.conversations_open(users=user_id)["channel"]["id"])
    except SlackApiError as exc:
        if exc.response.get("error") in CANNOT_DM:
            raise Undeliverable(f"cannot DM {user_id}: {exc.response.get('error')}") from exc
        raise
    return post_once(ctx, client, channel=channel, key=key, text=message[0], blocks=message[1])


def _team(ctx: JobContext) -> str:
    return ctx.job.team_id or ""


@handler(kinds.RIDEALONG_ASK)
def ask(ctx: JobContext) -> None:
    team_id, ride_id = _team(ctx), int(ctx.job.payload["ride_id"])
    with ctx.runtime.session_factory() as session:
        ride = service.ride(session, team_id, ride_id)
    if ride is None or ride.state != "requested" or ride.call.status != "scheduled":
        return
    client = ctx.runtime.clients.for_team(team_id)
    channel, ts = _dm(ctx, client, ride.call.rep_user_id, f"ridealong-ask:{ride_id}", build_request(ride))
    with ctx.runtime.session_factory.begin() as session:
        service.mark_requested(session, team_id, ride_id, channel, ts)


@handler(kinds.RIDEALONG_ANSWER)
def answer(ctx: JobContext) -> None:
    """The rep's request DM shows the answer (and the details), and the marketer hears it."""
    team_id, ride_id = _team(ctx), int(ctx.job.payload["ride_id"])
    with ctx.runtime.session_factory() as session:
        ride = service.ride(session, team_id, ride_id)
    if ride is None or ride.state not in ("approved", "declined"):
        return
    client = ctx.runtime.clients.for_team(team_id)
    if ride.request_channel_id and ride.request_ts:
        text, blocks = build_request_answered(ride)
        ctx.hold()
        try:
            client.chat_update(channel=ride.request_channel_id, ts=ride.request_ts, text=text, blocks=blocks)
        except SlackApiError as exc:  # the message was deleted: the marketer must still hear
            logger.warning("could not update ride-along request %s: %s", ride_id, exc.response.get("error"))
    _dm(ctx, client, ride.marketer_user_id, f"ridealong-answer:{ride_id}", build_answer_for_marketer(ride))


@handler(kinds.RIDEALONG_REMIND)
def remind(ctx: JobContext) -> None:
    team_id, ride_id, version = _team(ctx), int(ctx.job.payload["ride_id"]), int(ctx.job.payload["version"])
    with ctx.runtime.session_factory() as session:
        ride = service.due_ride(session, team_id, ride_id, version)
    if ride is None:
        return  # declined, cancelled or moved since: a move planned its own reminder
    client = ctx.runtime.clients.for_team(team_id)
    # One reminder for the rep per call and version, however many marketers join it.
    rep_key = f"ridealong-remind:{ride.call.id}:{version}:rep"
    _dm(ctx, client, ride.call.rep_user_id, rep_key, build_reminder(ride, for_rep=True))
    mkt_key = f"ridealong-remind:{ride_id}:{version}:marketer"
    _dm(ctx, client, ride.marketer_user_id, mkt_key, build_reminder(ride, for_rep=False))


@handler(kinds.RIDEALONG_DEBRIEF)
def debrief(ctx: JobContext) -> None:
    team_id, ride_id, version = _team(ctx), int(ctx.job.payload["ride_id"]), int(ctx.job.payload["version"])
    with ctx.runtime.session_factory() as session:
        ride = service.due_ride(session, team_id, ride_id, version)
    if ride is None or ride.learned:
        return
    client = ctx.runtime.clients.for_team(team_id)
    _dm(ctx, client, ride.marketer_user_id, f"ridealong-debrief:{ride_id}", build_debrief(ride))


@handler(kinds.RIDEALONG_CHANGED)
def changed(ctx: JobContext) -> None:
    """Everyone who asked to join or joined, and the rep, hear of a move or a cancellation, once per change."""
    team_id = _team(ctx)
    call_id, version = int(ctx.job.payload["call_id"]), int(ctx.job.payload["version"])
    with ctx.runtime.session_factory() as session:
        rides = service.rides_on_call(session, team_id, call_id, version)
    if not rides:
        return  # changed again since: the newer change's job tells everyone
    client = ctx.runtime.clients.for_team(team_id)
    for ride in rides:
        key = f"ridealong-changed:{call_id}:{version}:{ride.id}"
        _dm(ctx, client, ride.marketer_user_id, key, build_call_changed(ride, for_rep=False))
    approved = [r for r in rides if r.state == "approved"] or rides
    rep_key = f"ridealong-changed:{call_id}:{version}:rep"
    _dm(ctx, client, approved[0].call.rep_user_id, rep_key, build_call_changed(approved[0], for_rep=True))
