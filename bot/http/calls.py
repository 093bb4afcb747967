"""POST /hooks/calls, after the body is read: which workspace signed it, then the call.

The workspace is the one whose webhook secret verifies the signature; a body `team_id` naming another workspace
gets 403. The single-workspace install also accepts FIELDNOTES_WEBHOOK_SECRET, for the bot token's own workspace.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from slack_sdk.errors import SlackApiError
from starlette.responses import JSONResponse

from bot.crypto import sealer_for
from bot.errors import ConfigError
from bot.http import webhook
from bot.runtime import Runtime
from bot.services.calls import AlreadyReceived, CallIn, CallReceived, PromptScheduled, UnknownRep, receive_call
from bot.services.webhook_secrets import workspace_verifying
from bot.slack import SlackDirectory

__all__ = ["CallsHook"]

logger = logging.getLogger(__name__)


class CallsHook:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._single_team: str | None = None  # the bot token's workspace, asked of Slack once
        self._lock = threading.Lock()

    def handle(self, body: bytes, timestamp: str | None, signature: str | None) -> JSONResponse:
        runtime = self._runtime
        if not webhook.fresh(timestamp, signature):
            return _error(401, "invalid or missing signature")
        assert timestamp is not None and signature is not None
        signed_by = self._signer(body, timestamp, signature)
        if signed_by is None:
            return _error(401, "invalid or missing signature")
        parsed = webhook.parse_body(body, now=runtime.now())
        if isinstance(parsed, str):
            return _error(400, parsed)
        try:
            team_id = signed_by or self._single_workspace()
        except SlackApiError:
            logger.warning("auth.test failed: the single install's workspace is unknown", exc_info=True)
            return _slack_down()
        if parsed.team_id and parsed.team_id != team_id:
            return _error(403, "team_id: this webhook secret belongs to another workspace")
        return self._receive(parsed, team_id)

    def _signer(self, body: bytes, timestamp: str, signature: str) -> str | None:
        """The team id whose secret verifies the body; "" for FIELDNOTES_WEBHOOK_SECRET (single install); None."""
        settings = self._runtime.settings
        env_secret = settings.secret("fieldnotes_webhook_secret")
        if env_secret and not settings.oauth_enabled and webhook.verify(env_secret, timestamp, signature, body):
            return ""
        with self._runtime.session_factory() as session:
            return workspace_verifying(
                session,
                lambda secret: webhook.verify(secret, timestamp, signature, body),
                now=self._runtime.now(),
                sealer=sealer_for(settings.secret("fieldnotes_encryption_key")),
            )

    def _single_workspace(self) -> str:
        with self._lock:
            if self._single_team is None:
                self._single_team = SlackDirectory(self._runtime.clients.single()).team_id()
            return self._single_team

    def _receive(self, call: CallIn, team_id: str) -> JSONResponse:
        runtime = self._runtime
        try:
            result = receive_call(
                runtime.session_factory,
                call,
                team_id=team_id,
                directory=SlackDirectory(runtime.clients.for_team(team_id)),
                now=runtime.now(),
                admin_ids=runtime.settings.admin_ids,
            )
        except ConfigError as exc:  # the workspace's install is gone (uninstalled, tokens revoked)
            return _error(422, f"team_id: {exc}")
        except UnknownRep as exc:
            return _error(422, exc.message)
        except SlackApiError:
            logger.warning("Slack failed while receiving call %s", call.call_id, exc_info=True)
            return _slack_down()
        return _answer(result)


def _answer(result: CallReceived) -> JSONResponse:
    """202 when something new was recorded, 200 for a repeat or a change of a call already known."""
    if isinstance(result, PromptScheduled):
        return JSONResponse({"status": "scheduled", "prompt_at": _iso(result.prompt_at)}, status_code=202)
    if isinstance(result, AlreadyReceived):
        prompt_at = _iso(result.prompt_at) if result.prompt_at is not None else None
        return JSONResponse({"status": "duplicate", "prompt_at": prompt_at}, status_code=200)
    body: dict[str, str] = {"status": result.status}
    if result.starts_at is not None:
        body["starts_at"] = _iso(result.starts_at)
    return JSONResponse(body, status_code=202 if result.status == "upcoming" else 200)


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _slack_down() -> JSONResponse:
    response = _error(503, "Slack did not answer while looking up the rep: nothing was stored, send it again")
    response.headers["Retry-After"] = "60"
    return response


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)
