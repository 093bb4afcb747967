"""Test doubles for Slack, used instead of Slack (never reachable from tests).

- `FakeSlack`: a stateful fake Web API server on 127.0.0.1 that records every call (`slack_api`).
- `SlackSender`: sends signed slash commands, interactions and events to the app (`slack_requests`).
- `BoltServer` / `AsgiServer`: serve the app over real HTTP with uvicorn (`asgi_server`).
- `FakeSocketMode`: a Socket Mode WebSocket server that pushes envelopes and records acks (`socket_mode`).

    from tests.fakes import BoltServer, FakeSlack, SlackSender, plain_text_value
"""

from tests.fakes._payloads import (
    checkboxes_value,
    conversation_value,
    date_value,
    multi_select_value,
    plain_text_value,
    static_select_value,
    user_value,
)
from tests.fakes.asgi_server import AsgiServer, BoltServer, bolt_asgi_app
from tests.fakes.slack_api import DEFAULT_SCOPES, Call, FakeFile, FakeSlack, SlackApiError
from tests.fakes.slack_requests import SlackSender, sign
from tests.fakes.socket_mode import FakeSocketMode

__all__ = [
    "DEFAULT_SCOPES",
    "AsgiServer",
    "BoltServer",
    "Call",
    "FakeFile",
    "FakeSlack",
    "FakeSocketMode",
    "SlackApiError",
    "SlackSender",
    "bolt_asgi_app",
    "checkboxes_value",
    "conversation_value",
    "date_value",
    "multi_select_value",
    "plain_text_value",
    "sign",
    "static_select_value",
    "user_value",
]
