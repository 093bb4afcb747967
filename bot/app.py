"""`create_app(runtime)`: the Bolt app, with every listener registered, one middleware that gives listeners the
Runtime (and records the workspace), and the one error path (bot/listeners/errors.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.errors import ConfigError
from bot.listeners import register_listeners
from bot.listeners.errors import handle_listener_error
from bot.messages import config as say
from bot.runtime import Runtime
from bot.services.workspaces import ensure_workspace
from bot.slack import make_web_client
from storage.repositories import deliveries

__all__ = ["BOT_SCOPES", "create_app"]

logger = logging.getLogger(__name__)

# Kept in step with app.yaml by tests/test_manifest.py.
BOT_SCOPES = [
    "chat:write",
    "commands",
    "im:write",
    "im:history",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "channels:history",
    "channels:join",
    "files:write",
    "team:read",
]


def create_app(runtime: Runtime) -> App:
    settings = runtime.settings
    signing_secret = settings.secret("slack_signing_secret")
    if not signing_secret:
        raise ConfigError(say.MISSING_SIGNING_SECRET)
    kwargs: dict[str, Any] = {
        "signing_secret": signing_secret,
        # Listeners ack inline and hand slow work to lazy listeners or the runtime's pool: the fast ack path.
        "process_before_response": True,
        "token_verification_enabled": False,
        "raise_error_for_unhandled_request": False,
        # Lazy listeners run on the runtime's pool (Bolt's default of 5 threads queues under load).
        "listener_executor": runtime.executor,
    }
    if settings.oauth_enabled:
        kwargs["client"] = make_web_client(settings)
        kwargs["oauth_settings"] = OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.secret("slack_client_secret"),
            scopes=BOT_SCOPES,
            installation_store=SQLAlchemyInstallationStore(
                client_id=settings.slack_client_id or "", engine=runtime.engine
            ),
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=runtime.engine),
            install_path="/slack/install",
            redirect_uri_path="/slack/oauth_redirect",
        )
    else:
        token = settings.secret("slack_bot_token")
        if not token:
            raise ConfigError(say.MISSING_BOT_TOKEN)
        # Bolt copies base_url and retry handlers from this client into each request's client.
        kwargs["client"] = make_web_client(settings, token)
    _quiet_token_notice()
    app = App(**kwargs)
    app.use(_runtime_middleware(runtime))
    app.error(handle_listener_error)
    register_listeners(app)
    return app


class _DropTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and, since we hand it a client carrying that token,
    warns at every start that the token is unused. True, and expected: that one line is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _quiet_token_notice() -> None:
    bolt_logger = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _DropTokenNotice) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropTokenNotice())


def _runtime_middleware(runtime: Runtime) -> Callable[..., Any]:
    """Every listener gets `runtime` (and `context.team_id`) from Bolt's context; the workspace is recorded the
    first time it is seen, and an event Slack sends again is handled once."""
    known: set[str] = set()  # an optimisation only: the insert below is idempotent

    def middleware(body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]) -> Any:
        context["runtime"] = runtime
        team_id = context.team_id or _team_of(body)
        if team_id and not context.team_id:
            context["team_id"] = team_id
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if team_id and (team_id not in known or event_id):
            with runtime.session_factory.begin() as session:
                if team_id not in known:
                    ensure_workspace(session, team_id, now=runtime.now(), admin_ids=runtime.settings.admin_ids)
                    known.add(team_id)
                # Slack retries events it thinks we missed (X-Slack-Retry-Num); handle each event once.
                if event_id and not deliveries.first_time(
                    session, team_id=team_id, key=f"event:{event_id}", now=runtime.now()
                ):
                    logger.info("duplicate event %s ignored", event_id)
                    return BoltResponse(status=200, body="")
        return next()

    return middleware


def _team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    if isinstance(team, dict):
        return team.get("id")
    return body.get("team_id") or (team if isinstance(team, str) else None)
