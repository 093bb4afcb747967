"""What every request passes before any work: a size limit read as it streams, a signature, a parseable body.

A body over its limit gets 413 before it is buffered, an unsigned one 401, a malformed one 400; never a 5xx.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from typing import Any

from slack_bolt.request import BoltRequest
from starlette.requests import Request

__all__ = [
    "BadRequest",
    "read_limited",
    "slack_request",
    "slack_signature_ok",
]

MAX_SKEW_SECONDS = 300  # as Bolt: older (or newer) requests may be replays

# What Bolt's matchers and our middleware read before any listener runs, and the JSON types they need: Bolt
# indexes and regex-matches these without checking (an empty `actions` list, a list for a `callback_id`).
_OBJECTS = ("event", "view", "container", "message", "state")
_OBJECT_OR_ID = ("team", "user", "channel", "enterprise")
_STRINGS = (
    "type",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise_id",
    "api_app_id",
    "trigger_id",
    "command",
    "text",
    "callback_id",
    "action_id",
    "block_id",
    "response_url",
    "action_ts",
    "message_ts",
)
_NESTED_STRINGS = {
    "event": ("type", "subtype", "tab", "channel_type", "event_ts"),
    "view": ("id", "type", "callback_id", "private_metadata", "hash", "team_id", "external_id"),
    "container": ("type", "view_id", "message_ts", "channel_id"),
    "message": ("ts", "text", "thread_ts", "user"),
    "team": ("id", "domain", "enterprise_id"),
    "user": ("id", "name", "username", "team_id"),
    "channel": ("id", "name"),
    "enterprise": ("id", "name"),
}
_ACTION_STRINGS = ("action_id", "block_id", "type", "name", "action_ts")
# What every request of a kind carries (Slack always sends these): paths that must be there, and be strings.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "command": ("team_id", "user_id", "channel_id", "trigger_id"),
    "event_callback": ("team_id", "event_id", "event.type"),
    "block_actions": ("team.id", "user.id"),
    "interactive_message": ("team.id", "user.id", "callback_id"),
    "view_submission": ("team.id", "user.id", "view.id", "view.callback_id"),
    "view_closed": ("team.id", "user.id", "view.id", "view.callback_id"),
    "shortcut": ("team.id", "user.id", "callback_id", "trigger_id"),
    "message_action": ("team.id", "user.id", "callback_id", "trigger_id", "channel.id", "message.ts"),
    "block_suggestion": ("team.id", "user.id", "action_id"),
}


class BadRequest(Exception):
    """Refused before any work: `status` and a message that says what was wrong."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or BadRequest(413) as soon as Content-Length or the bytes streamed so far pass `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.strip().isdigit():
            raise BadRequest(400, "Content-Length is not a number")
        if int(declared) > limit:
            raise BadRequest(413, f"body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(413, f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def slack_signature_ok(
    signing_secret: str, body: bytes, timestamp: str | None, signature: str | None, *, now: float | None = None
) -> bool:
    """Slack's v0 signature over the raw bytes, as Bolt checks it (which it does again), but false, never an
    exception, for any header or body a client sends."""
    if not signing_secret or not timestamp or not signature or not timestamp.isascii() or not signature.isascii():
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > MAX_SKEW_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode())


def slack_request(body: bytes, headers: dict[str, str | Sequence[str]], query: str) -> BoltRequest:
    """A BoltRequest for a signed body, or BadRequest(400) when the body is not a Slack request Bolt can read."""
    try:
        text = body.decode("utf-8")
        request = BoltRequest(body=text, query=query, headers=headers)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
        # Bolt parses the body (JSON or a form with a JSON `payload`) and reads ids from it while building the request.
        raise BadRequest(400, "malformed Slack request body") from None
    _check_shape(request.body)
    return request


def _check_shape(payload: Any) -> None:
    if not isinstance(payload, dict):
        raise BadRequest(400, "malformed Slack request body: expected a JSON object")
    for key in _OBJECTS:
        _expect(key in payload and payload[key] is not None and not isinstance(payload[key], dict), key)
    for key in _OBJECT_OR_ID:
        _expect(key in payload and payload[key] is not None and not isinstance(payload[key], dict | str), key)
    for key in _STRINGS:
        _expect(key in payload and payload[key] is not None and not isinstance(payload[key], str), key)
    for key, names in _NESTED_STRINGS.items():
        inner = payload.get(key)
        if isinstance(inner, dict):
            for name in names:
                _expect(inner.get(name) is not None and not isinstance(inner[name], str), f"{key}.{name}")
    if "actions" in payload:
        actions = payload["actions"]
        _expect(
            not isinstance(actions, list) or not actions or not all(isinstance(a, dict) for a in actions), "actions"
        )
        for action in actions:
            for name in _ACTION_STRINGS:
                _expect(action.get(name) is not None and not isinstance(action[name], str), f"actions.{name}")
    kind = "command" if "command" in payload else payload.get("type")
    for path in _REQUIRED.get(kind, ()) if isinstance(kind, str) else ():
        _expect(not isinstance(_at(payload, path), str) or not _at(payload, path), path)
    _check_state(payload.get("state"), "state")
    view = payload.get("view")
    if isinstance(view, dict):
        _check_state(view.get("state"), "view.state")
    authorizations = payload.get("authorizations")
    _expect(
        authorizations is not None
        and not (isinstance(authorizations, list) and all(isinstance(a, dict) for a in authorizations)),
        "authorizations",
    )
    for item in authorizations or ():
        for name in ("team_id", "enterprise_id", "user_id"):
            _expect(item.get(name) is not None and not isinstance(item[name], str), f"authorizations.{name}")


def _at(payload: dict[str, Any], path: str) -> Any:
    value: Any = payload
    for step in path.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _check_state(state: Any, where: str) -> None:
    """Input values as Slack sends them: {"values": {block_id: {action_id: {"type": ..., ...}}}}."""
    if state is None:
        return
    _expect(not isinstance(state, dict), where)
    values = state.get("values")
    if values is None:
        return
    _expect(not isinstance(values, dict), f"{where}.values")
    for block in values.values():
        _expect(not isinstance(block, dict), f"{where}.values")
        for value in block.values():
            _expect(not isinstance(value, dict), f"{where}.values")


def _expect(wrong: bool, where: str) -> None:
    if wrong:
        raise BadRequest(400, f"malformed Slack request body: {where}")
