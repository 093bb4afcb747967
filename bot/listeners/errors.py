"""The app's one error path: what a person sees when a listener raises.

- A FieldNotesError is theirs to fix: its message (or its field errors, on a modal) goes back to them,
  ephemerally.
- Anything else is ours: it is logged with its traceback and a short reference, and they get an apology that
  carries the reference, so a log line can be found from what a user reports.

`handle_listener_error` is the app's `@app.error`; lazy listeners (which Bolt runs outside it) are wrapped in
`reported`, which sends their errors down the same path.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_sdk import WebClient

from bot.errors import FieldNotesError
from bot.listeners.common import tell_user
from bot.messages import apology
from bot.services.events import release_event

__all__ = ["handle_listener_error", "reported", "user_message"]

logger = logging.getLogger(__name__)

# A field error longer than this is cut (Slack shows only the start of a long one under the field).
FIELD_ERROR_CHARS = 300


def user_message(error: Exception) -> str:
    """What the user is told about `error`; ours are logged here with a reference they are given."""
    if isinstance(error, FieldNotesError):
        return error.message
    reference = uuid.uuid4().hex[:8]
    logger.error("listener failed (reference %s)", reference, exc_info=error)
    return apology(reference)


def handle_listener_error(
    error: Exception, body: dict[str, Any], client: WebClient, respond: Respond | None = None
) -> BoltResponse:
    """Bolt's error handler: the response replaces the listener's ack, so it always answers 200."""
    text = user_message(error)
    if isinstance(error, FieldNotesError):
        logger.info("refused %s: %s", body.get("type") or body.get("command"), text)
    if body.get("type") == "view_submission":
        fields = error.field_errors if isinstance(error, FieldNotesError) else {}
        errors = fields or _on_first_input(body, text)
        if errors:
            payload = {"response_action": "errors", "errors": {k: v[:FIELD_ERROR_CHARS] for k, v in errors.items()}}
            return _json(payload)
    if body.get("command"):
        return _json({"text": text, "response_type": "ephemeral"})
    _tell(body, client, respond, text)
    return BoltResponse(status=200, body="")


def reported(fn: Callable[..., None]) -> Callable[..., None]:
    """For lazy listeners: their errors go the way of `handle_listener_error`, told after the fact (a modal that is
    closed already gets a DM), and an event whose lazy listener failed is forgotten as handled, so that a retry of
    it from Slack runs instead of being dropped as a duplicate.

    Bolt passes a listener the arguments its signature names: the wrapper names `fn`'s plus `body`, `client` and
    `context`, which it needs itself, and hands `fn` only its own."""
    own = inspect.signature(fn).parameters
    needed = [*own.values()]
    needed += [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in _NEEDED if name not in own]

    @functools.wraps(fn)
    def run(**kwargs: Any) -> None:
        try:
            fn(**{name: value for name, value in kwargs.items() if name in own})
        except Exception as error:
            text = user_message(error)
            body = kwargs.get("body") or {}
            _forget_event(kwargs.get("context"), body)
            _tell(body, kwargs.get("client"), kwargs.get("respond"), text)

    wrapper: Any = run
    del wrapper.__wrapped__  # Bolt would read fn's signature through it
    wrapper.__signature__ = inspect.Signature(needed)
    return wrapper


_NEEDED = ("body", "client", "context")


def _forget_event(context: BoltContext | None, body: Mapping[str, Any]) -> None:
    runtime = context.get("runtime") if context is not None else None
    if runtime is not None:
        release_event(runtime.session_factory, context.team_id if context is not None else None, body)


def _tell(body: Mapping[str, Any], client: WebClient | None, respond: Respond | None, text: str) -> None:
    try:
        if body.get("command") and respond is not None:
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        user = _user_of(body)
        if user and client is not None:
            tell_user(client, body, user, text)
    except Exception:  # telling failed too: the log has the first error, and this one
        logger.exception("could not tell the user about an error")


def _user_of(body: Mapping[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    return body.get("user_id") or (user if isinstance(user, str) else None)


def _on_first_input(body: Mapping[str, Any], text: str) -> dict[str, str]:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    first = next(iter(values), None)
    return {first: text} if first else {}


def _json(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=json.dumps(payload), headers={"content-type": "application/json"})
