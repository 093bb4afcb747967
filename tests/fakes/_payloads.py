"""Pure builders of the payloads Slack sends to an app, in Slack's real shapes.

`SlackSender` (in `slack_requests`) wraps these and posts them signed; use these directly only to build a
payload for `App.dispatch(BoltRequest(...))` or a Socket Mode envelope. Shapes follow Slack's docs and the
payloads in bolt-python's scenario tests. The `*_value` helpers build one entry of a view's
`state.values` (block_id -> action_id -> value) for `view_submission`.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Workspace",
    "checkboxes_value",
    "conversation_value",
    "date_value",
    "multi_select_value",
    "new_action_ts",
    "new_event_id",
    "new_trigger_id",
    "plain_text_value",
    "static_select_value",
    "user_value",
]

_sequence = itertools.count(1)


def new_trigger_id() -> str:
    """A fresh trigger_id shaped like Slack's (`<digits>.<digits>.<hex>`); unique in this process."""
    n = next(_sequence)
    return f"{1_000_000 + n}.{2_000_000 + n}.{hashlib.sha1(str(n).encode()).hexdigest()[:32]}"


def new_action_ts() -> str:
    return f"{int(time.time())}.{next(_sequence):06d}"


def new_event_id() -> str:
    return f"Ev{next(_sequence):08d}"


# ---- state.values entries ---------------------------------------------------------------------------
def plain_text_value(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def _option(value: str, text: str | None) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def static_select_value(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": _option(value, text) if value is not None else None}


def multi_select_value(values: list[str]) -> dict[str, Any]:
    return {"type": "multi_static_select", "selected_options": [_option(v, None) for v in values]}


def checkboxes_value(values: list[str]) -> dict[str, Any]:
    return {"type": "checkboxes", "selected_options": [_option(v, None) for v in values]}


def conversation_value(channel_id: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel_id}


def user_value(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def date_value(date: str | None) -> dict[str, Any]:
    """`date` as Slack sends it: "YYYY-MM-DD"."""
    return {"type": "datepicker", "selected_date": date}


# ---- payloads ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Workspace:
    """Who sends: the workspace, the app and the bot. Matches `FakeSlack`'s defaults."""

    team_id: str = "T0001"
    team_domain: str = "fieldnotes-test"
    api_app_id: str = "A0001"
    bot_user_id: str = "UBOT"
    bot_id: str = "B0001"
    verification_token: str = "legacy-verification-token"

    def team(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": self.team_domain}

    def user(self, user_id: str) -> dict[str, Any]:
        name = f"user_{user_id.lower()}"
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def command(
        self,
        command: str,
        text: str,
        *,
        user_id: str,
        channel_id: str,
        channel_name: str | None,
        response_url: str,
        trigger_id: str,
    ) -> dict[str, str]:
        """A slash command's form fields (all strings, as Slack sends them)."""
        if channel_name is None:
            channel_name = "directmessage" if channel_id.startswith("D") else "general"
        return {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": f"user_{user_id.lower()}",
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }

    def _interactive(self, kind: str, user_id: str) -> dict[str, Any]:
        return {
            "type": kind,
            "user": self.user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "team": self.team(),
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def block_action(
        self,
        action: dict[str, Any],
        *,
        user_id: str,
        trigger_id: str,
        channel_id: str | None,
        message: dict[str, Any] | None,
        view: dict[str, Any] | None,
        response_url: str | None,
        state_values: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """block_actions from a modal/Home (`view`), a message (`message`) or an ephemeral message."""
        payload = self._interactive("block_actions", user_id)
        payload["trigger_id"] = trigger_id
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "")}
            payload["view"] = view
        else:
            channel = channel_id or "C0001"
            payload["container"] = {
                "type": "message",
                "message_ts": (message or {}).get("ts", action["action_ts"]),
                "channel_id": channel,
                "is_ephemeral": message is None,
            }
            payload["channel"] = {"id": channel, "name": "directmessage" if channel[0] == "D" else "general"}
            if message is not None:
                payload["message"] = message
            payload["state"] = {"values": state_values or {}}
        if response_url is not None:
            payload["response_url"] = response_url
        payload["actions"] = [action]
        return payload

    def view_submission(
        self,
        view: dict[str, Any],
        *,
        user_id: str,
        trigger_id: str,
        response_urls: list[dict[str, Any]],
    ) -> dict[str, Any]:
        payload = self._interactive("view_submission", user_id)
        payload.update({"trigger_id": trigger_id, "view": view, "response_urls": response_urls})
        return payload

    def view_closed(self, view: dict[str, Any], *, user_id: str, is_cleared: bool) -> dict[str, Any]:
        payload = self._interactive("view_closed", user_id)
        payload.update({"view": view, "is_cleared": is_cleared})
        return payload

    def submitted_view(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        view_id: str | None,
        hash: str | None,
        private_metadata: str | None,
        callback_id: str | None,
    ) -> dict[str, Any]:
        """The view as it comes back in view_submission/view_closed: Slack's fields plus `state.values`."""
        given_id = view_id or view.get("id") or "V0001"
        full = {
            "id": given_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "hash": f"{int(time.time())}.{hashlib.sha1(given_id.encode()).hexdigest()[:8]}",
            "title": {"type": "plain_text", "text": "Modal"},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": given_id,
            "app_id": self.api_app_id,
            "external_id": "",
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
            **view,
        }
        full["id"] = given_id
        full["state"] = {"values": values}
        for key, value in (("hash", hash), ("private_metadata", private_metadata), ("callback_id", callback_id)):
            if value is not None:
                full[key] = value
        return full

    def message_shortcut(
        self,
        callback_id: str,
        *,
        user_id: str,
        message: dict[str, Any],
        channel_id: str,
        trigger_id: str,
        response_url: str,
        action_ts: str,
    ) -> dict[str, Any]:
        payload = self._interactive("message_action", user_id)
        payload.update(
            {
                "action_ts": action_ts,
                "channel": {"id": channel_id, "name": "directmessage" if channel_id[0] == "D" else "general"},
                "callback_id": callback_id,
                "trigger_id": trigger_id,
                "message_ts": message.get("ts", ""),
                "message": message,
                "response_url": response_url,
            }
        )
        return payload

    def global_shortcut(self, callback_id: str, *, user_id: str, trigger_id: str, action_ts: str) -> dict[str, Any]:
        payload = self._interactive("shortcut", user_id)
        payload.update({"action_ts": action_ts, "callback_id": callback_id, "trigger_id": trigger_id})
        return payload

    def block_suggestion(
        self,
        action_id: str,
        value: str,
        *,
        user_id: str,
        block_id: str,
        view: dict[str, Any] | None,
        channel_id: str | None,
        message: dict[str, Any] | None,
    ) -> dict[str, Any]:
        payload = self._interactive("block_suggestion", user_id)
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "")}
            payload["view"] = view
        else:
            channel = channel_id or "C0001"
            payload["container"] = {
                "type": "message",
                "message_ts": (message or {}).get("ts", ""),
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "general"}
            if message is not None:
                payload["message"] = message
        payload.update({"action_id": action_id, "block_id": block_id, "value": value})
        return payload

    def event_callback(self, event: dict[str, Any], *, event_id: str, event_time: int) -> dict[str, Any]:
        return {
            "token": self.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{event.get('type', 'event')}-{self.team_id}-{event.get('channel', '')}",
        }
