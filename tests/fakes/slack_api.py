"""`FakeSlack`: a local, stateful fake of Slack's Web API that records every call.

How a test uses it::

    with FakeSlack() as fake:
        fake.add_user("U0001", name="ana", email="ana@example.com")
        fake.add_channel("C0001", "deals", members=["U0001", fake.bot_user_id])
        client = WebClient(token="xoxb-test", base_url=fake.url)   # url ends with "/api/"
        client.chat_postMessage(channel="C0001", text="hi")
        assert fake.messages("C0001")[0]["text"] == "hi"
        assert fake.calls_to("chat.postMessage")[0].params["channel"] == "C0001"

`fake.response_url()` hands out `response_url`s served by the fake (what Bolt's `respond()` posts to);
read what was posted in `fake.responses`. `fake.fail_next(...)` makes the next calls of a method fail
(429 with Retry-After, 5xx, or `{"ok": false}`). Bolt runs listeners after the ack on another thread, so
wait for their calls with `fake.wait_for_calls("chat.postMessage")` instead of sleeping.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes import _view_methods, _web_methods
from tests.fakes._state import Call, FakeChannel, FakeFile, SlackApiError, SlackState
from tests.fakes._web_methods import Context

__all__ = ["DEFAULT_SCOPES", "Call", "FakeFile", "FakeSlack", "SlackApiError"]

DEFAULT_SCOPES = (
    "app_mentions:read", "channels:history", "channels:join", "channels:read", "chat:write", "commands",
    "files:write", "groups:history", "groups:read", "im:history", "im:read", "im:write", "team:read",
    "users:read", "users:read.email",
)

# Fields slack-sdk sends as JSON strings inside form bodies; tests want them as Python objects.
_JSON_FIELDS = frozenset({"blocks", "attachments", "view", "metadata", "files", "unfurls", "user_auth_blocks"})
# Methods that take no bot/user token (they authenticate otherwise).
_TOKENLESS = frozenset({"oauth.v2.access", "oauth.access", "api.test"})
# Slack allows five posts to one response_url.
_RESPONSE_URL_USES = 5

CustomHandler = Callable[[dict[str, Any], "str | None"], dict[str, Any]]


@dataclass(frozen=True)
class _Fault:
    status: int
    retry_after: int
    error: str | None


class FakeSlack:
    """A fake Slack workspace served at `url` on 127.0.0.1. Start it with `with FakeSlack() as fake:`."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Field Notes Test",
        team_domain: str = "fieldnotes-test",
        bot_user_id: str = "UBOT",
        bot_id: str = "B0001",
        app_id: str = "A0001",
        bot_name: str = "fieldnotes",
        scopes: Iterable[str] = DEFAULT_SCOPES,
        valid_tokens: Iterable[str] | None = None,
    ) -> None:
        """`valid_tokens`: when given, other tokens get `invalid_auth` (tokens from oauth.v2.access are added)."""
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self.state = SlackState(
            team_id=team_id, team_name=team_name, team_domain=team_domain, bot_user_id=bot_user_id,
            bot_id=bot_id, app_id=app_id, bot_name=bot_name, scopes=list(scopes),
            valid_tokens=set(valid_tokens) if valid_tokens is not None else None,
        )
        self.state.add_user(bot_user_id, name=bot_name, real_name=bot_name, email=None, tz="America/New_York",
                            is_admin=False, is_owner=False, is_bot=True, team_id=team_id)
        self.socket_mode_url: str | None = None
        self._calls: list[Call] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._custom: dict[str, CustomHandler] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._serve(self)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean; every call is in fake.calls

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="FakeSlack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not running: call start() or use it as a context manager first.")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """The Web API base URL for `WebClient(base_url=...)`, with the trailing slash slack-sdk needs."""
        return f"{self.root_url}/api/"

    # ---- workspace identity ------------------------------------------------------------------------------
    @property
    def bot_user_id(self) -> str:
        return self.state.bot_user_id

    @property
    def bot_id(self) -> str:
        return self.state.bot_id

    @property
    def team_id(self) -> str:
        return self.state.team_id

    @property
    def scopes(self) -> list[str]:
        """Scopes reported in the `x-oauth-scopes` header and by oauth.v2.access. Assignable."""
        return list(self.state.scopes)

    @scopes.setter
    def scopes(self, value: Iterable[str]) -> None:
        with self.lock:
            self.state.scopes = list(value)

    # ---- seeding -------------------------------------------------------------------------------------------
    def add_user(
        self,
        id: str,
        *,
        name: str,
        real_name: str | None = None,
        email: str | None = None,
        tz: str = "America/New_York",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        team_id: str = "T0001",
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a user; `extra` keys override fields of the users.info object (e.g. `tz_offset=3600`)."""
        with self.lock:
            return copy.deepcopy(self.state.add_user(
                id, name=name, real_name=real_name, email=email, tz=tz, is_admin=is_admin, is_owner=is_owner,
                is_bot=is_bot, team_id=team_id, **extra))

    def add_channel(
        self,
        id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        is_private: bool = False,
        is_archived: bool = False,
        topic: str = "",
        purpose: str = "",
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a channel. The bot is a member only if `fake.bot_user_id` is in `members`."""
        with self.lock:
            channel = self.state.add_channel(FakeChannel(
                id=id, name=name, members=list(members), is_private=is_private, is_archived=is_archived,
                topic=topic, purpose=purpose, extra=extra))
            return self.state.channel_object(channel)

    def add_message(
        self, channel: str, text: str = "", *, user: str, ts: str | None = None, thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None, metadata: dict[str, Any] | None = None, **extra: Any,
    ) -> dict[str, Any]:
        """Seed a message written by `user` (for conversations.history / replies); returns it with its ts."""
        with self.lock:
            target = self.state.channel_by_ref(channel)
            message: dict[str, Any] = {"type": "message", "user": user, "text": text,
                                       "ts": ts or self.state.next_ts(), "team": self.state.team_id, **extra}
            for key, value in (("thread_ts", thread_ts), ("blocks", blocks), ("metadata", metadata)):
                if value is not None:
                    message[key] = value
            return copy.deepcopy(self.state.append_message(target, message))

    def expire_trigger(self, trigger_id: str) -> None:
        """views.open/push with this trigger_id will answer `expired_trigger_id`."""
        with self.lock:
            self.state.expired_triggers.add(trigger_id)

    def route(self, method: str, handler: CustomHandler) -> None:
        """Answer `method` with `handler(params, token) -> dict` (raise SlackApiError for an error)."""
        with self.lock:
            self._custom[method] = handler

    # ---- reading state ---------------------------------------------------------------------------------
    def messages(self, channel: str) -> list[dict[str, Any]]:
        """All messages in a channel, oldest first, thread replies included. A user id means their DM."""
        with self.lock:
            return copy.deepcopy(self.state.channel_by_ref(channel).messages)

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """The parent message and its replies, oldest first."""
        return [m for m in self.messages(channel) if thread_ts in (m["ts"], m.get("thread_ts"))]

    def dm_channel_id(self, user_id: str) -> str:
        """The D... id of the bot's DM with `user_id` (the same one conversations.open returns)."""
        with self.lock:
            return self.state.open_dm(user_id).id

    def channel(self, channel: str) -> dict[str, Any]:
        """The conversations.info object plus `members` (to check conversations.join, for example)."""
        with self.lock:
            found = self.state.channel_by_ref(channel)
            return {**self.state.channel_object(found), "members": list(found.members)}

    @property
    def ephemerals(self) -> list[dict[str, Any]]:
        """chat.postEphemeral messages: dicts with channel, user, text, blocks, thread_ts, message_ts."""
        with self.lock:
            return copy.deepcopy(self.state.ephemerals)

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        """Every view (modals and Home tabs) by id, as last opened/updated."""
        with self.lock:
            return copy.deepcopy(self.state.views)

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for `user_id`, or None."""
        with self.lock:
            view = self.state.home_views.get(user_id)
            return copy.deepcopy(view) if view is not None else None

    @property
    def files(self) -> dict[str, FakeFile]:
        """Uploaded files by id; `FakeFile.content` has the bytes, `.text` the decoded text."""
        with self.lock:
            return copy.deepcopy(self.state.files)

    def file_named(self, name: str) -> FakeFile:
        """The last uploaded file called `name`."""
        matches = [f for f in self.files.values() if f.name == name]
        if not matches:
            raise KeyError(f"no file named {name!r} was uploaded; uploaded: {[f.name for f in self.files.values()]}")
        return matches[-1]

    # ---- response_url --------------------------------------------------------------------------------------
    def response_url(self, name: str | None = None) -> str:
        """A response_url served by the fake; put it in a command or action payload."""
        with self.lock:
            url_id = name or self.state.next_id("R")
            self.state.response_url_uses.setdefault(url_id, 0)
            return f"{self.root_url}/response/{url_id}"

    @property
    def responses(self) -> list[tuple[str, dict[str, Any]]]:
        """Bodies posted to response_urls, as (url id, JSON body) in arrival order."""
        with self.lock:
            return copy.deepcopy(self.state.responses)

    # ---- calls ---------------------------------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self.lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self._calls if c.method == method]

    def reset_calls(self) -> None:
        with self.lock:
            self._calls.clear()

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `method` was called `count` times (listeners run after the ack); return those calls."""
        def enough() -> bool:
            return len(self.calls_to(method)) >= count

        with self._changed:
            if not self._changed.wait_for(enough, timeout):
                seen = [c.method for c in self._calls]
                raise AssertionError(f"expected {count} call(s) to {method} within {timeout}s; calls seen: {seen}")
            return self.calls_to(method)

    def wait_for_responses(self, count: int = 1, timeout: float = 5.0) -> list[tuple[str, dict[str, Any]]]:
        """Block until `count` bodies were posted to response_urls; return them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.state.responses) >= count, timeout):
                raise AssertionError(f"expected {count} response_url post(s) within {timeout}s; "
                                     f"got {len(self.state.responses)}; API calls seen: "
                                     f"{[c.method for c in self._calls]}")
            return copy.deepcopy(self.state.responses)

    # ---- faults --------------------------------------------------------------------------------------------
    def fail_next(
        self, method: str, *, status: int = 429, retry_after: int = 0, error: str | None = None, times: int = 1
    ) -> None:
        """Make the next `times` calls of `method` fail.

        With `error`, they answer HTTP 200 `{"ok": false, "error": error}` (how Slack reports API errors).
        Without it, HTTP `status`: 429 answers carry `Retry-After: retry_after` and error "ratelimited";
        500/503 answers have a plain-text body, as an outage would.
        """
        with self.lock:
            self._faults.setdefault(method, []).extend([_Fault(status, retry_after, error)] * times)

    # ---- HTTP plumbing --------------------------------------------------------------------------------------
    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        if path.path.startswith("/api/"):
            self._serve_api(request, path.path.removeprefix("/api/"), path.query, raw)
        elif path.path.startswith("/response/"):
            self._serve_response_url(request, path.path.removeprefix("/response/"), raw)
        elif path.path.startswith("/upload/"):
            self._serve_upload(request, path.path.removeprefix("/upload/"), raw)
        else:
            _reply(request, 404, b"not found", "text/plain")

    def _serve_api(self, request: BaseHTTPRequestHandler, method: str, query: str, raw: bytes) -> None:
        params: dict[str, Any] = dict(parse_qsl(query))
        params.update(_parse_body(request.headers.get("Content-Type", ""), raw))
        params = {k: _decode_json_field(k, v) for k, v in params.items()}
        token = params.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ")
        with self.lock:
            status, body, headers, failed = self._answer(method, params, token)
            self._calls.append(Call(method=method, params=params, token=token, at=time.time(), failed=failed,
                                    status=status, response=body))
            self._changed.notify_all()
            headers["x-oauth-scopes"] = ",".join(self.state.scopes)
        if status == 200 or status == 429:
            _reply(request, status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)
        else:
            _reply(request, status, b"Internal Server Error", "text/plain", headers)

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict, dict, bool]:
        faults = self._faults.get(method)
        if faults:
            fault = faults.pop(0)
            if fault.error is not None:
                return 200, {"ok": False, "error": fault.error}, {}, True
            if fault.status == 429:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)}, True
            return fault.status, {}, {}, True
        try:
            if method not in _TOKENLESS:
                if not token:
                    raise SlackApiError("not_authed")
                valid = self.state.valid_tokens
                if valid is not None and token not in valid and not token.startswith("xapp-"):
                    raise SlackApiError("invalid_auth")
            ctx = Context(root_url=self.root_url, socket_mode_url=self.socket_mode_url)
            if method in self._custom:
                body = self._custom[method](params, token)
            elif method in _web_methods.METHODS:
                body = _web_methods.METHODS[method](self.state, params, token, ctx)
            elif method in _view_methods.METHODS:
                body = _view_methods.METHODS[method](self.state, params, token, ctx)
            else:
                body = {"ok": False, "error": "unknown_method"}
        except SlackApiError as e:
            body = {"ok": False, "error": e.code, **e.extra}
        return 200, copy.deepcopy(body), {}, False

    def _serve_response_url(self, request: BaseHTTPRequestHandler, url_id: str, raw: bytes) -> None:
        with self.lock:
            uses = self.state.response_url_uses.get(url_id, 0)
            if uses >= _RESPONSE_URL_USES:
                status, answer = 404, b"used_url"
            else:
                self.state.response_url_uses[url_id] = uses + 1
                self.state.responses.append((url_id, json.loads(raw or b"{}")))
                status, answer = 200, b"ok"
            self._changed.notify_all()
        _reply(request, status, answer, "text/html")

    def _serve_upload(self, request: BaseHTTPRequestHandler, file_id: str, raw: bytes) -> None:
        with self.lock:
            file = self.state.files.get(file_id)
            if file is not None:
                file.content = raw
                self._changed.notify_all()
        if file is None:
            _reply(request, 404, b"file not found", "text/plain")
        else:
            _reply(request, 200, f"OK - {len(raw)}".encode(), "text/plain")


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        body = json.loads(raw)
        return body if isinstance(body, dict) else {}
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields[str(name)] = payload if part.get_filename() else payload.decode("utf-8")
        return fields
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))


def _decode_json_field(key: str, value: Any) -> Any:
    if key in _JSON_FIELDS and isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _reply(
    request: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(body)
