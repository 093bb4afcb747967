"""`SlackSender`: posts correctly signed requests to the app, as Slack does.

How a test uses it::

    sender = SlackSender(app_url, signing_secret="test-secret")
    response = sender.command("/fieldnote", "met ACME", user_id="U0001", response_url=fake.response_url())
    assert response.status_code == 200
    sender.block_action("note_save", "n1", user_id="U0001", message={"ts": "1.2", "text": "x"})
    sender.view_submission(view, {"note": {"text": plain_text_value("hello")}}, user_id="U0001")
    sender.with_options(retry_num=1).event({"type": "app_mention", ...})   # a Slack retry
    sender.with_options(timestamp=time.time() - 600).command(...)           # stale: expect 401
    sender.with_options(sign=False).url_verification("abc")                 # unsigned: expect 401

Every builder returns the `httpx.Response`; `**extra` is merged into the payload (or form fields) last,
so it can override anything. Fresh `trigger_id`s and `action_ts`es are generated unless given, and kept in
`sender.last_trigger_id` / `sender.last_action_ts`; `sender.last_payload` is what was sent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import time
from typing import Any, Self
from urllib.parse import urlencode

import httpx

from tests.fakes._payloads import Workspace, new_action_ts, new_event_id, new_trigger_id

__all__ = ["SlackSender", "sign"]


def sign(body: bytes, secret: str, timestamp: float | str | None = None) -> dict[str, str]:
    """The `X-Slack-Request-Timestamp` and `X-Slack-Signature` headers for `body` (now, unless given)."""
    ts = str(int(time.time())) if timestamp is None else str(int(float(timestamp)))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclasses.dataclass
class _Sent:
    """What the last request carried; shared by a sender and its `with_options` copies."""

    trigger_id: str | None = None
    action_ts: str | None = None
    event_id: str | None = None
    payload: dict[str, Any] | None = None
    body: bytes | None = None
    content_type: str | None = None


@dataclasses.dataclass(frozen=True)
class _Options:
    retry_num: int | None = None
    retry_reason: str = "http_timeout"
    timestamp: float | None = None
    sign: bool = True


class SlackSender:
    """Sends Slack's requests to `base_url + path` signed with `signing_secret`."""

    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        team_domain: str = "fieldnotes-test",
        api_app_id: str = "A0001",
        bot_user_id: str = "UBOT",
        path: str = "/slack/events",
        client: httpx.Client | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + path
        self.signing_secret = signing_secret
        self.workspace = Workspace(
            team_id=team_id, team_domain=team_domain, api_app_id=api_app_id, bot_user_id=bot_user_id
        )
        self._own_client = client is None
        self.client = client if client is not None else httpx.Client(timeout=10.0)
        self._options = _Options()
        self._sent = _Sent()

    def with_options(
        self,
        *,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timestamp: float | None = None,
        sign: bool = True,
    ) -> SlackSender:
        """A sender sharing this one's client whose requests carry Slack's retry headers (`retry_num`),
        a fixed signing `timestamp` (to test stale requests), or no signature (`sign=False`)."""
        other = SlackSender.__new__(SlackSender)
        other.__dict__.update(self.__dict__)
        other._own_client = False
        other._options = _Options(retry_num, retry_reason, timestamp, sign)
        return other

    @property
    def last_trigger_id(self) -> str | None:
        return self._sent.trigger_id

    @property
    def last_action_ts(self) -> str | None:
        return self._sent.action_ts

    @property
    def last_event_id(self) -> str | None:
        return self._sent.event_id

    @property
    def last_payload(self) -> dict[str, Any] | None:
        """The payload (or command form fields) of the last request, as a dict."""
        return self._sent.payload

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---- transport -------------------------------------------------------------------------------------
    def post(self, body: bytes, content_type: str) -> httpx.Response:
        """Post a raw body with Slack's headers; the builders below all end here."""
        self._sent.body, self._sent.content_type = body, content_type
        headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
        if self._options.sign:
            headers.update(sign(body, self.signing_secret, self._options.timestamp))
        elif self._options.timestamp is not None:
            headers["X-Slack-Request-Timestamp"] = str(int(self._options.timestamp))
        if self._options.retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(self._options.retry_num)
            headers["X-Slack-Retry-Reason"] = self._options.retry_reason
        return self.client.post(self.url, content=body, headers=headers)

    def resend(self, retry_num: int = 1, retry_reason: str = "http_timeout") -> httpx.Response:
        """Send the last request again, byte for byte, as Slack's retry number `retry_num` (freshly signed)."""
        if self._sent.body is None or self._sent.content_type is None:
            raise RuntimeError("nothing to resend: send a request with this sender first")
        retry = self.with_options(retry_num=retry_num, retry_reason=retry_reason)
        return retry.post(self._sent.body, self._sent.content_type)

    def post_form(self, fields: dict[str, Any]) -> httpx.Response:
        self._sent.payload = dict(fields)
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def post_interactive(self, payload: dict[str, Any]) -> httpx.Response:
        """Interactivity requests are a form with one field, `payload`, holding JSON."""
        self._sent.payload = payload
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def post_json(self, payload: dict[str, Any]) -> httpx.Response:
        self._sent.payload = payload
        return self.post(json.dumps(payload).encode(), "application/json")

    def _trigger(self, trigger_id: str | None) -> str:
        self._sent.trigger_id = trigger_id or new_trigger_id()
        return self._sent.trigger_id

    def _action_ts(self, action_ts: str | None) -> str:
        self._sent.action_ts = action_ts or new_action_ts()
        return self._sent.action_ts

    # ---- slash commands and interactivity -----------------------------------------------------------------
    def command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str,
        channel_id: str = "C0001",
        channel_name: str | None = None,
        response_url: str,
        trigger_id: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        fields = self.workspace.command(
            command,
            text,
            user_id=user_id,
            channel_id=channel_id,
            channel_name=channel_name,
            response_url=response_url,
            trigger_id=self._trigger(trigger_id),
        )
        return self.post_form({**fields, **extra})

    def block_action(
        self,
        action_id: str,
        value: str | None = None,
        *,
        user_id: str,
        block_id: str = "block",
        action_type: str | None = None,
        selected_option: dict[str, Any] | None = None,
        selected_options: list[dict[str, Any]] | None = None,
        action_fields: dict[str, Any] | None = None,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        state_values: dict[str, Any] | None = None,
        action_ts: str | None = None,
        response_url: str | None = None,
        trigger_id: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        """A block_actions payload with one action.

        The action is a button (with `value`) unless `selected_option` (static_select) or
        `selected_options` (multi_static_select) is given or `action_type` says otherwise;
        `action_fields` adds to the action (e.g. `{"selected_date": "2025-01-31"}`). With `view` the action
        comes from a modal or Home tab; with `message` from that message in `channel_id`; with neither, from
        an ephemeral message. Pass `response_url` for message actions if the app calls `respond()`.
        """
        action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": self._action_ts(action_ts)}
        if selected_options is not None:
            action.update(type=action_type or "multi_static_select", selected_options=selected_options)
        elif selected_option is not None:
            action.update(type=action_type or "static_select", selected_option=selected_option)
        else:
            action["type"] = action_type or "button"
            if action["type"] == "button":
                action["text"] = {"type": "plain_text", "text": action_id, "emoji": True}
            if value is not None:
                action["value"] = value
        action.update(action_fields or {})
        payload = self.workspace.block_action(
            action,
            user_id=user_id,
            trigger_id=self._trigger(trigger_id),
            channel_id=channel_id,
            message=message,
            view=view,
            response_url=response_url,
            state_values=state_values,
        )
        return self.post_interactive({**payload, **extra})

    def view_submission(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        user_id: str,
        view_id: str | None = None,
        hash: str | None = None,
        private_metadata: str | None = None,
        callback_id: str | None = None,
        response_urls: list[dict[str, Any]] | None = None,
        trigger_id: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        """Submit `view` (e.g. as built by the app, or from `fake.views`) with `values` as `state.values`.

        `values` is block_id -> action_id -> entry; build entries with `plain_text_value`,
        `static_select_value`, ... from `tests.fakes`. The answer's JSON is the app's `ack(...)` body.
        """
        full = self.workspace.submitted_view(
            view, values, view_id=view_id, hash=hash, private_metadata=private_metadata, callback_id=callback_id
        )
        payload = self.workspace.view_submission(
            full, user_id=user_id, trigger_id=self._trigger(trigger_id), response_urls=response_urls or []
        )
        return self.post_interactive({**payload, **extra})

    def view_closed(
        self,
        view: dict[str, Any],
        *,
        user_id: str,
        values: dict[str, Any] | None = None,
        is_cleared: bool = False,
        **extra: Any,
    ) -> httpx.Response:
        full = self.workspace.submitted_view(
            view, values or {}, view_id=None, hash=None, private_metadata=None, callback_id=None
        )
        payload = self.workspace.view_closed(full, user_id=user_id, is_cleared=is_cleared)
        return self.post_interactive({**payload, **extra})

    def message_shortcut(
        self,
        callback_id: str,
        *,
        user_id: str,
        message: dict[str, Any],
        channel_id: str,
        response_url: str,
        trigger_id: str | None = None,
        action_ts: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        payload = self.workspace.message_shortcut(
            callback_id,
            user_id=user_id,
            message=message,
            channel_id=channel_id,
            trigger_id=self._trigger(trigger_id),
            response_url=response_url,
            action_ts=self._action_ts(action_ts),
        )
        return self.post_interactive({**payload, **extra})

    def global_shortcut(
        self,
        callback_id: str,
        *,
        user_id: str,
        trigger_id: str | None = None,
        action_ts: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        payload = self.workspace.global_shortcut(
            callback_id, user_id=user_id, trigger_id=self._trigger(trigger_id), action_ts=self._action_ts(action_ts)
        )
        return self.post_interactive({**payload, **extra})

    def block_suggestion(
        self,
        action_id: str,
        value: str = "",
        *,
        user_id: str,
        block_id: str = "block",
        view: dict[str, Any] | None = None,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        **extra: Any,
    ) -> httpx.Response:
        """An options request for an external_select; the answer's JSON holds the app's options."""
        payload = self.workspace.block_suggestion(
            action_id, value, user_id=user_id, block_id=block_id, view=view, channel_id=channel_id, message=message
        )
        return self.post_interactive({**payload, **extra})

    # ---- Events API -----------------------------------------------------------------------------------------
    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, event_time: int | None = None, **extra: Any
    ) -> httpx.Response:
        """Wrap `event` in an event_callback envelope (authorizations, event_id, ...) and post it as JSON.
        Resend with the same `event_id` via `with_options(retry_num=1)` to imitate Slack's retries."""
        self._sent.event_id = event_id or new_event_id()
        envelope = self.workspace.event_callback(
            event, event_id=self._sent.event_id, event_time=event_time or int(time.time())
        )
        return self.post_json({**envelope, **extra})

    def url_verification(self, challenge: str) -> httpx.Response:
        return self.post_json(
            {"token": self.workspace.verification_token, "challenge": challenge, "type": "url_verification"}
        )

    def app_home_opened(
        self,
        user_id: str,
        *,
        channel_id: str | None = None,
        tab: str = "home",
        view: dict[str, Any] | None = None,
        event_id: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        """`channel_id` is the app's DM with the user (`fake.dm_channel_id(user_id)`)."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": channel_id or f"D{user_id}",
            "tab": tab,
            "event_ts": new_action_ts(),
        }
        if view is not None:
            event["view"] = view
        return self.event({**event, **extra}, event_id=event_id)

    def message(
        self,
        text: str,
        *,
        user_id: str,
        channel_id: str = "C0001",
        ts: str | None = None,
        thread_ts: str | None = None,
        event_id: str | None = None,
        channel_type: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        """A `message` event (a user posted `text` in `channel_id`)."""
        ts = ts or new_action_ts()
        event: dict[str, Any] = {
            "type": "message",
            "user": user_id,
            "text": text,
            "ts": ts,
            "team": self.workspace.team_id,
            "channel": channel_id,
            "event_ts": ts,
            "channel_type": channel_type or ("im" if channel_id.startswith("D") else "channel"),
        }
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        return self.event({**event, **extra}, event_id=event_id)

    def app_mention(
        self,
        text: str,
        *,
        user_id: str,
        channel_id: str = "C0001",
        ts: str | None = None,
        thread_ts: str | None = None,
        event_id: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        """An `app_mention` event; `text` should contain `<@UBOT>` as Slack's would."""
        ts = ts or new_action_ts()
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": user_id,
            "text": text,
            "ts": ts,
            "team": self.workspace.team_id,
            "channel": channel_id,
            "event_ts": ts,
        }
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        return self.event({**event, **extra}, event_id=event_id)
