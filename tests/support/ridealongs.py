"""Ride-along helpers: an upcoming call through the webhook, a marketer, clicks from App Home and DMs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.services.workspaces import ensure_workspace
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import post_hook
from tests.support.waiting import wait_until

__all__ = [
    "NOW",
    "STARTS",
    "TEAM",
    "UPCOMING",
    "button_in",
    "click",
    "hook",
    "make_marketer",
    "open_home",
    "settle",
    "texts",
]

TEAM = "T0001"
# Wednesday 25 November 2026, 15:35 UTC; the call is Thursday 16:00 UTC: 11:00 in New York (the rep),
# 10:00 in Chicago (the marketer).
NOW = datetime(2026, 11, 25, 15, 35, tzinfo=UTC)
STARTS = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
UPCOMING: dict[str, Any] = {
    "call_id": "crm-up-1",
    "rep_email": "ana@example.com",
    "account": "Acme <Corp>",
    "starts_at": "2026-11-26T16:00:00Z",
    "meeting_url": "https://meet.example.com/acme",
    "deal_stage": "Negotiation",
    "segment": "Enterprise",
    "team_id": TEAM,
}


def make_marketer(served: ServedApp, user_id: str = "UMKT") -> None:
    served.runtime.clock = lambda: NOW
    with served.runtime.session_factory.begin() as session:
        ensure_workspace(session, TEAM, now=NOW, admin_ids=["UADMIN"])
        people.ensure(session, TEAM, user_id).is_marketer = True


def settle(served: ServedApp) -> None:
    """Every lazy listener of the requests sent so far has finished."""
    assert served.runtime.executor.wait_idle(30)


def texts(messages: list[dict[str, Any]]) -> str:
    return json.dumps([[m.get("text"), m.get("blocks")] for m in messages])


def button_in(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button in {json.dumps(blocks)[:500]}")


def open_home(slack: SlackSender, fake: FakeSlack, user_id: str) -> dict[str, Any]:
    before = fake.home_view(user_id)
    assert slack.app_home_opened(user_id).status_code == 200
    return wait_until(lambda: (v := fake.home_view(user_id)) is not None and v != before and v, what="home published")


def click(
    slack: SlackSender, fake: FakeSlack, action_id: str, value: str, user_id: str, *, where: dict[str, Any]
) -> None:
    """A click on a button of a DM message (`where` = the message) or of the Home tab (`where` = the view)."""
    if where.get("type") == "home":
        response = slack.block_action(action_id, value, user_id=user_id, view=where)
    else:
        response = slack.block_action(
            action_id,
            value,
            user_id=user_id,
            channel_id=fake.dm_channel_id(user_id),
            message=where,
            response_url=fake.response_url(),
        )
    assert response.status_code == 200


def hook(served: ServedApp, **changes: Any) -> Any:
    response = post_hook(served, {**UPCOMING, **changes})
    return response.status_code, response.json()
