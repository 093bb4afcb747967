"""App lifecycle events: uninstall and token revocation. Bolt's own token-revocation listeners remove the OAuth
installation (its tokens); the workspace is marked uninstalled, which stops its jobs, and its data is purged after
the grace period (bot/jobs/lifecycle.py) unless it is installed again."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners

from bot.runtime import Runtime
from bot.services.workspaces import mark_uninstalled

__all__ = ["handle_app_uninstalled", "handle_tokens_revoked"]

logger = logging.getLogger(__name__)


def handle_app_uninstalled(context: BoltContext, runtime: Runtime) -> None:
    store = runtime.clients.installation_store
    if store is not None:
        TokenRevocationListeners(store).handle_app_uninstalled_events(context)
    _uninstalled(runtime, context.team_id)


def handle_tokens_revoked(event: dict[str, Any], context: BoltContext, runtime: Runtime) -> None:
    tokens = event.get("tokens")
    tokens = tokens if isinstance(tokens, dict) else {}
    revoked = {kind: [t for t in tokens.get(kind) or [] if isinstance(t, str)] for kind in ("oauth", "bot")}
    store = runtime.clients.installation_store
    if store is not None:
        TokenRevocationListeners(store).handle_tokens_revoked_events({"tokens": revoked}, context)
    logger.info("tokens revoked in %s: %s", context.team_id, revoked)
    if revoked["bot"]:  # without its bot token the app can do nothing there
        _uninstalled(runtime, context.team_id)


def _uninstalled(runtime: Runtime, team_id: str | None) -> None:
    if not team_id:
        return
    with runtime.session_factory.begin() as session:
        if mark_uninstalled(session, team_id, now=runtime.now()):
            logger.info("Field Notes was uninstalled from %s: its jobs stop, its data is purged later", team_id)
