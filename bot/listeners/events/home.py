"""App Home. `publish_home` builds every section a user should see; other roles add theirs here."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import ids
from bot.blocks.admin import build_admin_section
from bot.blocks.home import build_home
from bot.listeners.actions.replies import marketer_home_section
from bot.runtime import Runtime
from bot.services.admin.home import admin_summary
from bot.services.notes import rep_home

__all__ = ["publish_home", "register"]

logger = logging.getLogger(__name__)


def publish_home(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> None:
    """Read what the user's Home shows (one short session), then views.publish."""
    extra_sections: list[list[dict[str, Any]]] = []
    with runtime.session_factory() as session:
        rep = rep_home(session, team_id, user_id)
        admin = admin_summary(session, team_id, user_id)  # None unless a Field Notes admin
        # Other sections (admin, marketer) append their blocks to extra_sections here.
    extra_sections.append(marketer_home_section(runtime, client, team_id, user_id))
    if admin is not None:
        extra_sections.append(build_admin_section(admin))
    client.views_publish(user_id=user_id, view=build_home(rep, extra_sections))


def register(app: App, runtime: Runtime) -> None:
    def ack_home(ack: Ack) -> None:
        ack()

    def handle_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(runtime, client, body["team_id"], event["user"])

    app.event(ids.EVENT_APP_HOME_OPENED)(ack=ack_home, lazy=[handle_home_opened])
