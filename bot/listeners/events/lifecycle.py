"""App lifecycle events: uninstall and token revocation (OAuth mode keeps installations in the database)."""

from __future__ import annotations

import logging
from typing import Any

from bot.runtime import Runtime

__all__ = ["handle_app_uninstalled", "handle_tokens_revoked"]

logger = logging.getLogger(__name__)


def handle_app_uninstalled(body: dict[str, Any], runtime: Runtime) -> None:
    team_id = body.get("team_id")
    logger.info("Field Notes was uninstalled from %s", team_id)
    store = runtime.clients.installation_store
    if store is not None and team_id:
        store.delete_all(enterprise_id=None, team_id=team_id)


def handle_tokens_revoked(body: dict[str, Any]) -> None:
    logger.info("tokens revoked in %s: %s", body.get("team_id"), body.get("event", {}).get("tokens"))
