"""Handlers for auth, users, conversations and chat methods of the fake Web API.

Each handler takes `(state, params, token, ctx)` and returns the JSON answer, or raises
`SlackApiError(code)` for `{"ok": false, "error": code}`. They run under `FakeSlack`'s lock.
Answers follow the shapes in Slack's method docs and slack-sdk's response fixtures.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes._state import FakeChannel, SlackApiError, SlackState

__all__ = ["METHODS", "Context", "Handler", "flag", "page", "required"]

# Slack's documented limits that the fake enforces, so an app that breaks them fails in tests too.
MAX_MESSAGE_BLOCKS = 50
MAX_TEXT_CHARS = 40_000


@dataclass(frozen=True)
class Context:
    root_url: str
    socket_mode_url: str | None


Handler = Callable[[SlackState, dict[str, Any], "str | None", Context], dict[str, Any]]
METHODS: dict[str, Handler] = {}


def _method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        return handler

    return register


def required(params: dict[str, Any], name: str, error: str = "invalid_arguments") -> Any:
    value = params.get(name)
    if value in (None, ""):
        raise SlackApiError(error, response_metadata={"messages": [f"[ERROR] missing required field: {name}"]})
    return value


def flag(value: Any) -> bool:
    """Form bodies carry booleans as "1"/"0" (slack-sdk) or "true"/"false"; JSON bodies as bools."""
    if isinstance(value, str):
        return value.lower() in ("1", "true")
    return bool(value)


def page(items: list[Any], params: dict[str, Any], default_limit: int = 100) -> tuple[list[Any], str]:
    """Cursor pagination as Slack does it: an opaque `next_cursor`, empty on the last page."""
    limit = int(params.get("limit") or default_limit) or default_limit
    cursor = params.get("cursor") or ""
    start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
    chunk = items[start : start + limit]
    end = start + len(chunk)
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return chunk, next_cursor


# ---- auth / api --------------------------------------------------------------------------------------
@_method("api.test")
def api_test(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    return {"ok": True, "args": {k: v for k, v in params.items() if isinstance(v, str)}}


@_method("auth.test")
def auth_test(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    return {
        "ok": True,
        "url": f"https://{state.team_domain}.slack.com/",
        "team": state.team_name,
        "user": state.bot_name,
        "team_id": state.team_id,
        "user_id": state.bot_user_id,
        "bot_id": state.bot_id,
        "is_enterprise_install": False,
    }


# ---- users -------------------------------------------------------------------------------------------
@_method("users.info")
def users_info(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    return {"ok": True, "user": state.user_object(required(params, "user", "user_not_found"))}


@_method("users.lookupByEmail")
def users_lookup_by_email(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    email = str(required(params, "email", "users_not_found")).lower()
    for user_id, user in state.users.items():
        if str(user["profile"].get("email", "")).lower() == email:
            return {"ok": True, "user": state.user_object(user_id)}
    raise SlackApiError("users_not_found")


@_method("users.list")
def users_list(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    members = [state.user_object(user_id) for user_id in state.users]
    chunk, next_cursor = page(members, params, default_limit=200)
    return {
        "ok": True,
        "members": chunk,
        "cache_ts": 1_700_000_000,
        "response_metadata": {"next_cursor": next_cursor},
    }


# ---- conversations -----------------------------------------------------------------------------------
@_method("conversations.open")
def conversations_open(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    if params.get("channel"):
        channel = state.visible_channel(params["channel"])
        return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": channel.id}}
    users = [u for u in str(required(params, "users", "users_list_not_supplied")).split(",") if u]
    for user_id in users:
        if user_id not in state.users:
            raise SlackApiError("user_not_found")
    if len(users) == 1:
        already_open = users[0] in state.dm_by_user
        channel = state.open_dm(users[0])
    else:
        already_open = False
        channel = state.add_channel(
            FakeChannel(
                id=state.next_id("G"),
                name="mpdm-" + "--".join(users),
                members=[*users, state.bot_user_id],
                is_private=True,
                is_mpim=True,
            )
        )
    body = state.channel_object(channel) if flag(params.get("return_im")) else {"id": channel.id}
    return {"ok": True, "no_op": already_open, "already_open": already_open, "channel": body}


@_method("conversations.info")
def conversations_info(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    body = state.channel_object(channel)
    if flag(params.get("include_num_members")):
        body["num_members"] = len(channel.members)
    return {"ok": True, "channel": body}


@_method("conversations.members")
def conversations_members(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    chunk, next_cursor = page(list(channel.members), params)
    return {"ok": True, "members": chunk, "response_metadata": {"next_cursor": next_cursor}}


@_method("conversations.join")
def conversations_join(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    if channel.is_private or channel.is_im:
        raise SlackApiError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackApiError("is_archived")
    answer: dict[str, Any] = {"ok": True}
    if state.bot_user_id in channel.members:
        answer["warning"] = "already_in_channel"
        answer["response_metadata"] = {"warnings": ["already_in_channel"]}
    else:
        channel.members.append(state.bot_user_id)
    answer["channel"] = state.channel_object(channel)
    return answer


def _readable_channel(state: SlackState, params: dict[str, Any]) -> FakeChannel:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    if not (channel.is_im or channel.is_mpim or state.bot_user_id in channel.members):
        raise SlackApiError("not_in_channel")
    return channel


def _in_range(ts: str, params: dict[str, Any]) -> bool:
    inclusive = flag(params.get("inclusive"))
    value = float(ts)
    if params.get("oldest"):
        oldest = float(params["oldest"])
        if value < oldest or (value == oldest and not inclusive):
            return False
    if params.get("latest"):
        latest = float(params["latest"])
        if value > latest or (value == latest and not inclusive):
            return False
    return True


@_method("conversations.history")
def conversations_history(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = _readable_channel(state, params)
    top_level = [
        m
        for m in channel.messages
        if (not m.get("thread_ts") or m["thread_ts"] == m["ts"] or m.get("subtype") == "thread_broadcast")
        and _in_range(m["ts"], params)
    ]
    newest_first = sorted(top_level, key=lambda m: float(m["ts"]), reverse=True)
    chunk, next_cursor = page(newest_first, params)
    return {
        "ok": True,
        "messages": chunk,
        "has_more": bool(next_cursor),
        "pin_count": 0,
        "channel_actions_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


@_method("conversations.replies")
def conversations_replies(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = _readable_channel(state, params)
    ts = required(params, "ts", "thread_not_found")
    try:
        parent = state.find_message(channel, ts)
    except SlackApiError:
        raise SlackApiError("thread_not_found") from None
    root = parent.get("thread_ts") or parent["ts"]
    thread = [m for m in channel.messages if m["ts"] == root or m.get("thread_ts") == root]
    thread = [m for m in thread if m["ts"] == root or _in_range(m["ts"], params)]
    chunk, next_cursor = page(sorted(thread, key=lambda m: float(m["ts"])), params)
    return {
        "ok": True,
        "messages": chunk,
        "has_more": bool(next_cursor),
        "response_metadata": {"next_cursor": next_cursor},
    }


# ---- chat --------------------------------------------------------------------------------------------
def _check_content(params: dict[str, Any]) -> None:
    blocks = params.get("blocks")
    if not params.get("text") and not blocks and not params.get("attachments"):
        raise SlackApiError("no_text")
    if blocks is not None and (not isinstance(blocks, list) or len(blocks) > MAX_MESSAGE_BLOCKS):
        raise SlackApiError(
            "invalid_blocks",
            response_metadata={
                "messages": [f"[ERROR] no more than {MAX_MESSAGE_BLOCKS} items allowed [json-pointer:/blocks]"]
            },
        )


def _content(params: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {"text": str(params.get("text") or "")[:MAX_TEXT_CHARS]}
    for key in ("blocks", "attachments", "metadata", "username", "icon_emoji", "icon_url"):
        if params.get(key) is not None:
            content[key] = params[key]
    return content


@_method("chat.postMessage")
def chat_post_message(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    state.check_can_post(channel)
    _check_content(params)
    message: dict[str, Any] = {
        "type": "message",
        "user": state.bot_user_id,
        "bot_id": state.bot_id,
        "app_id": state.app_id,
        "team": state.team_id,
        "ts": state.next_ts(),
        **_content(params),
    }
    if params.get("thread_ts"):
        message["thread_ts"] = str(params["thread_ts"])
        if flag(params.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
    state.append_message(channel, message)
    return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": dict(message)}


@_method("chat.postEphemeral")
def chat_post_ephemeral(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    user = required(params, "user", "user_not_found")
    if user not in state.users:
        raise SlackApiError("user_not_found")
    state.check_can_post(channel)
    if user not in channel.members:
        raise SlackApiError("user_not_in_channel")
    _check_content(params)
    message_ts = state.next_ts()
    state.ephemerals.append(
        {
            "channel": channel.id,
            "user": user,
            "message_ts": message_ts,
            "thread_ts": params.get("thread_ts"),
            **_content(params),
        }
    )
    return {"ok": True, "message_ts": message_ts}


def _own_message(state: SlackState, params: dict[str, Any], error: str) -> tuple[FakeChannel, dict[str, Any]]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    message = state.find_message(channel, required(params, "ts", "message_not_found"))
    if message.get("user") != state.bot_user_id:
        raise SlackApiError(error)
    return channel, message


@_method("chat.update")
def chat_update(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel, message = _own_message(state, params, "cant_update_message")
    _check_content(params)
    for key in ("blocks", "attachments"):
        if key not in params:
            message.pop(key, None)
    message.update(_content(params))
    message["edited"] = {"user": state.bot_user_id, "ts": state.next_ts()}
    return {
        "ok": True,
        "channel": channel.id,
        "ts": message["ts"],
        "text": message["text"],
        "message": dict(message),
    }


@_method("chat.delete")
def chat_delete(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel, message = _own_message(state, params, "cant_delete_message")
    channel.messages.remove(message)
    return {"ok": True, "channel": channel.id, "ts": message["ts"]}


@_method("chat.getPermalink")
def chat_get_permalink(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    channel = state.visible_channel(required(params, "channel", "channel_not_found"))
    message = state.find_message(channel, required(params, "message_ts", "message_not_found"))
    return {"ok": True, "channel": channel.id, "permalink": state.permalink(channel.id, message["ts"])}
