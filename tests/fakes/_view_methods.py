"""Handlers for views, files, team, OAuth and Socket Mode methods of the fake Web API.

Same contract as `_web_methods`: `(state, params, token, ctx) -> dict`, raising `SlackApiError`.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from tests.fakes._state import FakeFile, SlackApiError, SlackState
from tests.fakes._web_methods import Context, Handler, required

__all__ = ["METHODS"]

MAX_VIEW_BLOCKS = 100
MAX_TITLE_CHARS = 24
MAX_PRIVATE_METADATA_CHARS = 3_000
MAX_ID_CHARS = 255

METHODS: dict[str, Handler] = {}


def _method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        return handler

    return register


def _invalid(message: str) -> SlackApiError:
    return SlackApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]})


def _checked_view(params: dict[str, Any], *, home: bool = False) -> dict[str, Any]:
    view = params.get("view")
    if not isinstance(view, dict):
        raise _invalid("missing required field: view")
    kind = view.get("type")
    if home and kind != "home":
        raise _invalid("must be 'home' [json-pointer:/view/type]")
    if not home and kind != "modal":
        raise _invalid("must be 'modal' [json-pointer:/view/type]")
    if not home and not view.get("title"):
        raise _invalid("missing required field: title [json-pointer:/view]")
    if len(view.get("blocks") or []) > MAX_VIEW_BLOCKS:
        raise _invalid(f"no more than {MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]")
    for key, limit in (("title", MAX_TITLE_CHARS), ("submit", MAX_TITLE_CHARS), ("close", MAX_TITLE_CHARS)):
        text = (view.get(key) or {}).get("text", "")
        if len(text) > limit:
            raise _invalid(f"must be less than {limit + 1} characters [json-pointer:/view/{key}/text]")
    if len(view.get("private_metadata") or "") > MAX_PRIVATE_METADATA_CHARS:
        raise _invalid("must be less than 3001 characters [json-pointer:/view/private_metadata]")
    for key in ("callback_id", "external_id"):
        if len(view.get(key) or "") > MAX_ID_CHARS:
            raise _invalid(f"must be less than 256 characters [json-pointer:/view/{key}]")
    return view


def _use_trigger(state: SlackState, params: dict[str, Any]) -> None:
    trigger_id = required(params, "trigger_id", "invalid_trigger_id")
    if trigger_id in state.expired_triggers:
        raise SlackApiError("expired_trigger_id")
    if state.single_use_triggers and trigger_id in state.used_triggers:
        raise SlackApiError("exchanged_trigger_id")
    state.used_triggers.add(trigger_id)


def _view_object(state: SlackState, view_id: str, given: dict[str, Any]) -> dict[str, Any]:
    external_id = given.get("external_id") or ""
    if external_id and any(v["external_id"] == external_id and v["id"] != view_id for v in state.views.values()):
        raise SlackApiError("duplicate_external_id")
    view: dict[str, Any] = {
        "id": view_id,
        "team_id": state.team_id,
        "type": given["type"],
        "blocks": given.get("blocks") or [],
        "private_metadata": given.get("private_metadata") or "",
        "callback_id": given.get("callback_id") or "",
        "state": {"values": {}},
        "hash": state.next_hash(),
        "title": given.get("title"),
        "clear_on_close": bool(given.get("clear_on_close", False)),
        "notify_on_close": bool(given.get("notify_on_close", False)),
        "close": given.get("close"),
        "submit": given.get("submit"),
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": state.app_id,
        "external_id": external_id,
        "app_installed_team_id": state.team_id,
        "bot_id": state.bot_id,
    }
    state.views[view_id] = view
    return view


def _existing_view(state: SlackState, params: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = params.get("view_id"), params.get("external_id")
    if not view_id and not external_id:
        raise _invalid("either view_id or external_id is required")
    for view in state.views.values():
        if (view_id and view["id"] == view_id) or (external_id and view["external_id"] == external_id):
            break
    else:
        raise SlackApiError("not_found")
    if params.get("hash") and params["hash"] != view["hash"]:
        raise SlackApiError("hash_conflict")
    return view


@_method("views.open")
def views_open(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    given = _checked_view(params)
    _use_trigger(state, params)
    return {"ok": True, "view": dict(_view_object(state, state.next_id("V"), given))}


@_method("views.push")
def views_push(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    # The fake cannot tell which modal a trigger came from, so previous_view_id stays None.
    given = _checked_view(params)
    _use_trigger(state, params)
    return {"ok": True, "view": dict(_view_object(state, state.next_id("V"), given))}


@_method("views.update")
def views_update(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    old = _existing_view(state, params)
    given = _checked_view(params, home=old["type"] == "home")
    new = _view_object(state, old["id"], {**given, "external_id": given.get("external_id", old["external_id"])})
    new["previous_view_id"], new["root_view_id"] = old["previous_view_id"], old["root_view_id"]
    for user_id, home in list(state.home_views.items()):
        if home["id"] == new["id"]:
            state.home_views[user_id] = new
    return {"ok": True, "view": dict(new)}


@_method("views.publish")
def views_publish(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    user_id = required(params, "user_id", "invalid_arguments")
    if user_id not in state.users:
        raise SlackApiError("user_not_found")
    given = _checked_view(params, home=True)
    old = state.home_views.get(user_id)
    if old is not None and params.get("hash") and params["hash"] != old["hash"]:
        raise SlackApiError("hash_conflict")
    view = _view_object(state, old["id"] if old else state.next_id("V"), given)
    state.home_views[user_id] = view
    return {"ok": True, "view": dict(view)}


# ---- files -------------------------------------------------------------------------------------------
@_method("files.upload")
def files_upload(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    # Slack retired files.upload; slack-sdk's files_upload_v2 uses the two methods below.
    raise SlackApiError("method_deprecated")


@_method("files.getUploadURLExternal")
def files_get_upload_url_external(
    state: SlackState, params: dict[str, Any], token: str | None, ctx: Context
) -> dict[str, Any]:
    filename = required(params, "filename")
    length = int(required(params, "length"))
    file = FakeFile(
        id=state.next_id("F"),
        name=filename,
        length=length,
        alt_text=params.get("alt_txt"),
        snippet_type=params.get("snippet_type"),
    )
    state.files[file.id] = file
    return {"ok": True, "upload_url": f"{ctx.root_url}/upload/{file.id}", "file_id": file.id}


def _file_object(state: SlackState, file: FakeFile, created: int) -> dict[str, Any]:
    mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return {
        "id": file.id,
        "created": created,
        "timestamp": created,
        "name": file.name,
        "title": file.title or file.name,
        "mimetype": mimetype,
        "filetype": file.name.rsplit(".", 1)[-1] if "." in file.name else "binary",
        "user": state.bot_user_id,
        "user_team": state.team_id,
        "size": len(file.content or b""),
        "is_public": False,
        "url_private": f"https://files.slack.com/files-pri/{state.team_id}-{file.id}/{file.name}",
        "permalink": f"https://{state.team_domain}.slack.com/files/{state.bot_user_id}/{file.id}/{file.name}",
        "channels": [file.channel_id] if file.channel_id else [],
        "groups": [],
        "ims": [],
    }


@_method("files.completeUploadExternal")
def files_complete_upload_external(
    state: SlackState, params: dict[str, Any], token: str | None, ctx: Context
) -> dict[str, Any]:
    entries = required(params, "files")
    if not isinstance(entries, list):
        raise _invalid("files must be a JSON array")
    uploads = []
    for entry in entries:
        file = state.files.get(entry.get("id", ""))
        if file is None:
            raise SlackApiError("file_not_found")
        uploads.append((file, entry.get("title")))
    channel = None
    if params.get("channel_id") or params.get("channels"):
        channel = state.visible_channel(params.get("channel_id") or str(params["channels"]).split(",")[0])
        state.check_can_post(channel)
    ts = state.next_ts()
    created = int(float(ts))
    for file, title in uploads:
        file.title = title or file.name
        file.completed = True
        file.channel_id = channel.id if channel else None
        file.thread_ts = params.get("thread_ts")
        file.initial_comment = params.get("initial_comment")
    answer = [_file_object(state, file, created) for file, _ in uploads]
    if channel is not None:
        message: dict[str, Any] = {
            "type": "message",
            "text": params.get("initial_comment") or "",
            "files": answer,
            "upload": True,
            "user": state.bot_user_id,
            "display_as_bot": False,
            "ts": ts,
        }
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        state.append_message(channel, message)
    return {"ok": True, "files": answer}


# ---- team, OAuth, Socket Mode ------------------------------------------------------------------------
@_method("team.info")
def team_info(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    return {
        "ok": True,
        "team": {
            "id": state.team_id,
            "name": state.team_name,
            "url": f"https://{state.team_domain}.slack.com/",
            "domain": state.team_domain,
            "email_domain": "",
            "is_verified": False,
            "icon": {
                "image_default": True,
                "image_34": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
            },
            "avatar_base_url": "https://ca.slack-edge.com/",
        },
    }


@_method("oauth.v2.access")
def oauth_v2_access(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    code = required(params, "code", "invalid_code")
    if code in state.used_oauth_codes:
        raise SlackApiError("invalid_code")
    state.used_oauth_codes.add(code)
    access_token = f"xoxb-{state.team_id}-{state.next_number('token'):06d}"
    if state.valid_tokens is not None:
        state.valid_tokens.add(access_token)
    return {
        "ok": True,
        "app_id": state.app_id,
        "authed_user": {"id": state.oauth_installer, "scope": "", "token_type": "user"},
        "scope": ",".join(state.scopes),
        "token_type": "bot",
        "access_token": access_token,
        "bot_user_id": state.bot_user_id,
        "team": {"id": state.team_id, "name": state.team_name},
        "enterprise": None,
        "is_enterprise_install": False,
    }


@_method("apps.connections.open")
def apps_connections_open(state: SlackState, params: dict[str, Any], token: str | None, ctx: Context) -> dict[str, Any]:
    if not (token or "").startswith("xapp-"):
        raise SlackApiError("not_allowed_token_type")
    if ctx.socket_mode_url is None:
        raise SlackApiError("fake_socket_mode_not_started", hint="start a FakeSocketMode(fake) first")
    return {"ok": True, "url": ctx.socket_mode_url}
