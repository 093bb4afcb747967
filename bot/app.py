"""`create_app(runtime)`: the Bolt app, with every listener registered, one middleware that gives listeners the
Runtime (and records the workspace), and the one error path (bot/listeners/errors.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot import metrics
from bot.crypto import sealer_for
from bot.errors import ConfigError
from bot.installations import make_installation_store
from bot.jobs.engine import run_now
from bot.listeners import register_listeners
from bot.listeners.errors import handle_listener_error
from bot.logs import log_context, new_request_id
from bot.messages import config as say
from bot.runtime import Runtime
from bot.services.events import event_key, first_time, release_event
from bot.services.onboarding import plan_welcome
from bot.services.webhook_secrets import current_secret
from bot.services.workspaces import ensure_workspace, grant_admins
from bot.slack import ack_aware_copy, make_web_client
from storage.repositories import lifecycle

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
    "groups:history",  # post_once reads a private digest channel after an interrupted post
    "channels:join",
    "files:write",
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
            installation_store=make_installation_store(
                settings, runtime.engine, on_install=lambda team_id, user_id: _installed(runtime, team_id, user_id)
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
    app = _ObservedApp(**kwargs)
    app.use(_RequestMiddleware(runtime))
    app.error(_error_handler(runtime))
    register_listeners(app)
    return app


class _ObservedApp(App):
    """Counts and times each request by kind for /metrics (listeners ack inline, so dispatch time is the time to
    the ack), and tags its log lines with the workspace and a request id. Done around `dispatch` (HTTP and Socket
    Mode both call it): Bolt's global middleware runs one after another, not nested, so one cannot wrap the rest."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        team_id = req.context.team_id if isinstance(req.context.team_id, str) else _team_of(req.body)
        with log_context(team_id=team_id, request_id=new_request_id()):
            return metrics.timed_request(req.body, lambda: super(_ObservedApp, self).dispatch(req))


class _DropTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and, since we hand it a client carrying that token,
    warns at every start that the token is unused. True, and expected: that one line is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _quiet_token_notice() -> None:
    bolt_logger = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _DropTokenNotice) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropTokenNotice())


def _error_handler(runtime: Runtime) -> Callable[..., BoltResponse]:
    """The one error path (bot/listeners/errors.py); an event whose listener failed is also forgotten as handled
    and answered 500, so Slack sends it again and the retry runs."""

    def handle(error: Exception, body: dict[str, Any], client: WebClient, respond: Respond | None = None) -> Any:
        response = handle_listener_error(error, body, client, respond)
        if release_event(runtime.session_factory, _team_of(body), body):
            return BoltResponse(status=500, body="")
        return response

    return handle


class _RequestMiddleware(Middleware):
    """Every listener gets `runtime` (and `context.team_id`) from Bolt's context, and a client whose calls before the
    ack are short and never wait on Retry-After (the lazy listeners get a copy of it and run off the ack path, with
    the full timeout and retries: bot/slack.py); the workspace is recorded the first time it is seen, and an event
    Slack sends again is handled once.

    One class-based middleware: Bolt calls it directly, where it builds every listener argument for each function
    middleware (a tenth of the ack path's CPU for the two this replaces)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.known: set[str] = set()  # an optimisation only: the insert in _first_seen is idempotent

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        context, body, runtime = req.context, req.body, self.runtime
        context["runtime"] = runtime
        team_id = context.team_id if isinstance(context.team_id, str) else _team_of(body)
        if team_id and not context.team_id:
            context["team_id"] = team_id
        if context.client is not None:
            context["client"] = ack_aware_copy(context.client, context.team_id)
        event = event_key(body)
        if team_id and team_id not in self.known:
            # Any request but the news of an uninstall shows the app is installed there (again).
            event_type = (body.get("event") or {}).get("type") if body.get("type") == "event_callback" else None
            installed = event_type not in _UNINSTALL_EVENTS
            _first_seen(runtime, team_id, installed=installed, enterprise_id=_enterprise_of(context))
            if installed:
                self.known.add(team_id)
        # Slack retries events it thinks we missed (X-Slack-Retry-Num); handle each event once.
        if team_id and event and not first_time(runtime.session_factory, team_id, event, now=runtime.now()):
            logger.info("duplicate %s ignored", event)
            return BoltResponse(status=200, body="")
        return next()


_UNINSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")


def _first_seen(runtime: Runtime, team_id: str, *, installed: bool = True, enterprise_id: str | None = None) -> None:
    """A workspace seen for the first time by this process (installed, or a request from it): its row, defaults and
    webhook secret exist afterwards (each made once, whoever gets there first), and its Enterprise Grid org is
    recorded (an org-wide install's jobs find the org's bot through it)."""
    settings = runtime.settings
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, team_id, now=runtime.now(), enterprise_id=enterprise_id)
        grant_admins(session, team_id, settings.admin_ids)  # once a process: those added to the setting since too
        if installed:
            lifecycle.mark_installed(session, team_id)  # back after an uninstall: its data is kept, its jobs resume
        current_secret(
            session, team_id, now=runtime.now(), sealer=sealer_for(settings.secret("fieldnotes_encryption_key"))
        )


def _enterprise_of(context: BoltContext) -> str | None:
    enterprise_id = context.enterprise_id
    return enterprise_id if isinstance(enterprise_id, str) and 0 < len(enterprise_id) <= 32 else None


def _installed(runtime: Runtime, team_id: str, installer: str | None) -> None:
    """An OAuth install: the workspace is set up, and the person who installed it becomes an admin and is welcomed
    by DM (a job, so exactly once; run at once in the background, or by the next tick if this process dies)."""
    _first_seen(runtime, team_id)
    if not installer:
        return
    with runtime.session_factory.begin() as session:
        key = plan_welcome(session, team_id, installer, now=runtime.now())
    runtime.background(run_now, runtime, key)


def _team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    found = team.get("id") if isinstance(team, dict) else (body.get("team_id") or team)
    # A team id is a short string; anything else in a (signed but odd) body is no workspace of ours.
    return found if isinstance(found, str) and 0 < len(found) <= 32 else None
