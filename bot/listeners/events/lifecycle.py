"""App lifecycle events: uninstall and token revocation (OAuth mode keeps installations in the database)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot import ids
from bot.runtime import Runtime

logger = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    def handle_app_uninstalled(body: dict[str, Any]) -> None:
        team_id = body.get("team_id")
        logger.info("Field Notes was uninstalled from %s", team_id)
        store = getattr(app, "installation_store", None)
        if store is not None and team_id:
            store.delete_all(enterprise_id=None, team_id=team_id)

    def handle_tokens_revoked(body: dict[str, Any]) -> None:
        logger.info("tokens revoked in %s: %s", body.get("team_id"), body.get("event", {}).get("tokens"))

    app.event(ids.EVENT_APP_UNINSTALLED)(handle_app_uninstalled)
    app.event(ids.EVENT_TOKENS_REVOKED)(handle_tokens_revoked)
