"""Ride-along buttons: *Ask to join* (a marketer), *Approve* / *Decline* (the rep), *What did you learn?* (the
marketer, after the call) and the rep's opt-out toggle in App Home.

Each acks at once; the lazy listener does the work. Double clicks and Slack retries change nothing more: the
database keeps one request per marketer and call and one answer per request, and each message is a job's.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltRequest
from slack_sdk import WebClient

from bot import ids
from bot.blocks.ridealongs import build_learned_modal
from bot.errors import NotFound, PermissionDenied
from bot.jobs.engine import run_now
from bot.listeners.common import action_id, action_value, is_retry, publish_home, team_id, tell_user
from bot.listeners.errors import reported
from bot.messages import ridealongs as say
from bot.runtime import Runtime
from bot.services import ridealongs as service
from bot.services.directory import refresh_person
from bot.slack import SlackDirectory

__all__ = [
    "handle_ridealong_decide",
    "handle_ridealong_join",
    "handle_ridealong_learned_open",
    "handle_ridealong_opt",
]


def _id(body: dict[str, Any]) -> int | None:
    value = action_value(body)
    return int(value) if value.isdigit() else None


@reported
def handle_ridealong_join(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    call_id, team, user_id = _id(body), team_id(context), body["user"]["id"]
    if call_id is None or is_retry(request):
        return
    with runtime.session_factory() as session:
        service.check_may_join(session, team, user_id, runtime.settings.admin_ids)
    # The marketer's timezone, for the reminder in their own time: read from Slack outside any transaction.
    refresh_person(runtime.session_factory, team, user_id, SlackDirectory(client), now=runtime.now())
    with runtime.session_factory.begin() as session:
        ride, job = service.ask_to_join(session, team, call_id, user_id, now=runtime.now())
    if job is not None:
        run_now(runtime, job)  # under the job's lease: if this process dies now, the next tick DMs the rep
    if (body.get("container") or {}).get("type") == "view":  # App Home: the list shows the request waiting
        publish_home(runtime, client, team, user_id)
        return
    tell_user(client, body, user_id, say.asked(ride.call.rep_user_id, ride.call.account) if job else say.ALREADY_ASKED)


@reported
def handle_ridealong_decide(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    """*Approve* or *Decline*: which one was clicked decides."""
    approve = action_id(body) == ids.ACTION_RIDEALONG_APPROVE
    ride_id, team, user_id = _id(body), team_id(context), body["user"]["id"]
    if ride_id is None or is_retry(request):
        return
    with runtime.session_factory.begin() as session:
        _ride, job = service.decide(session, team, ride_id, user_id, approve=approve, now=runtime.now())
    if job is None:
        tell_user(client, body, user_id, say.ALREADY_ANSWERED)
        return
    run_now(runtime, job)


@reported
def handle_ridealong_learned_open(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    ride_id, team, user_id = _id(body), team_id(context), body["user"]["id"]
    if ride_id is None or is_retry(request):
        return
    with runtime.session_factory() as session:
        ride = service.ride(session, team, ride_id)
        if ride is None:
            raise NotFound(say.RIDE_GONE)
        if ride.marketer_user_id != user_id:
            raise PermissionDenied(say.NOT_YOUR_RIDE)
        note = service.rep_note_text(session, team, ride)
    client.views_open(trigger_id=body["trigger_id"], view=build_learned_modal(ride, note))


@reported
def handle_ridealong_opt(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    team, user_id = team_id(context), body["user"]["id"]
    if action_value(body) not in ("in", "out") or is_retry(request):
        return
    with runtime.session_factory.begin() as session:
        service.set_opt_out(session, team, user_id, action_value(body) == "out")
    publish_home(runtime, client, team, user_id)
