"""HTTP plumbing for `FakeSlack`: the threaded server, request parsing, call recording, faults.

Tests use these methods through `FakeSlack` (see `tests.fakes.slack_api`); nothing here is imported directly.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from tests.fakes import _view_methods, _web_methods
from tests.fakes._state import Call, SlackApiError, SlackState
from tests.fakes._web_methods import Context

__all__ = ["CustomHandler", "FakeSlackServer"]

# Fields slack-sdk sends as JSON strings inside form bodies; tests want them as Python objects.
_JSON_FIELDS = frozenset({"blocks", "attachments", "view", "metadata", "files", "unfurls", "user_auth_blocks"})
# Methods that take no bot/user token (they authenticate otherwise).
_TOKENLESS = frozenset({"oauth.v2.access", "oauth.access", "api.test"})
# Slack allows five posts to one response_url.
_RESPONSE_URL_USES = 5

CustomHandler = Callable[[dict[str, Any], "str | None"], dict[str, Any]]


class _ThreadingServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog (5) drops connections when a test fires many requests at once.
    request_queue_size = 128


@dataclass
class _Chaos:
    latency: tuple[float, float]
    rate_limited: float
    rng: random.Random
    slow: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class _Fault:
    status: int
    retry_after: int
    error: str | None
    carried_out: bool = False
    channel: str | None = None


class FakeSlackServer:
    """Serves a `SlackState` over HTTP on 127.0.0.1 and records every call. Subclassed by `FakeSlack`."""

    def __init__(self, state: SlackState) -> None:
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self.state = state
        self.socket_mode_url: str | None = None
        self._calls: list[Call] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._custom: dict[str, CustomHandler] = {}
        self._watchers: list[Callable[[str, dict[str, Any]], None]] = []
        self._chaos: _Chaos | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> Self:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._serve(self)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean; every call is in fake.calls

        self._server = _ThreadingServer(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(
            # A short poll interval keeps stop() (which waits for the next poll) fast.
            target=self._server.serve_forever,
            args=(0.02,),
            name="FakeSlack",
            daemon=True,
        )
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

    def __enter__(self) -> Self:
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

    # ---- calls ---------------------------------------------------------------------------------------
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

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]:
        """Block until `method` was called `count` times (listeners run after the ack); return those calls."""

        def enough() -> bool:
            return len(self.calls_to(method)) >= count

        with self._changed:
            if not self._changed.wait_for(enough, timeout):
                seen = [c.method for c in self._calls]
                raise AssertionError(f"expected {count} call(s) to {method} within {timeout}s; calls seen: {seen}")
            return self.calls_to(method)

    # ---- faults --------------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 0,
        error: str | None = None,
        times: int = 1,
        carried_out: bool = False,
        channel: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` fail.

        With `carried_out`, Slack does what was asked (a message is posted) and then answers `status` anyway,
        as when a 5xx or a dropped connection hides a post that went through. With `channel`, only calls
        for that channel fail (and use up the faults).

        With `error`, they answer HTTP 200 `{"ok": false, "error": error}` (how Slack reports API errors).
        Without it, HTTP `status`: 429 answers carry `Retry-After: retry_after` and error "ratelimited";
        500/503 answers have a plain-text body, as an outage would.
        """
        with self.lock:
            fault = _Fault(status, retry_after, error, carried_out, channel)
            self._faults.setdefault(method, []).extend([fault] * times)

    def clear_faults(self) -> None:
        """Forget the faults `fail_next` queued and not used yet."""
        with self.lock:
            self._faults.clear()

    def chaos(
        self,
        *,
        latency: tuple[float, float] = (0.0, 0.0),
        rate_limited: float = 0.0,
        seed: int = 0,
        slow: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        """From now on, every Web API call waits a random time in `latency` (seconds; for the methods in `slow`,
        in theirs) before it is answered, and a `rate_limited` share of them answer 429 with `Retry-After: 0`
        instead (seeded, so a run can be replayed)."""
        with self.lock:
            self._chaos = _Chaos(latency, rate_limited, random.Random(seed), dict(slow or {}))

    def route(self, method: str, handler: CustomHandler) -> None:
        """Answer `method` with `handler(params, token) -> dict` (raise SlackApiError for an error)."""
        with self.lock:
            self._custom[method] = handler

    def watch(self, watcher: Callable[[str, dict[str, Any]], None]) -> None:
        """Call `watcher(method, params)` as each Web API call arrives, while its caller waits for the answer."""
        with self.lock:
            self._watchers.append(watcher)

    # ---- HTTP plumbing -------------------------------------------------------------------------------
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
        with self.lock:
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher(method, params)
        with self.lock:
            chaos = self._chaos
            delay = chaos.rng.uniform(*chaos.slow.get(method, chaos.latency)) if chaos else 0.0
        if delay:
            time.sleep(delay)  # outside the lock: slow calls overlap, as on Slack
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ")
        with self.lock:
            status, body, headers, failed = self._answer(method, params, token)
            self._calls.append(
                Call(
                    method=method,
                    params=params,
                    token=token,
                    at=time.time(),
                    failed=failed,
                    status=status,
                    response=body,
                )
            )
            self._changed.notify_all()
            headers["x-oauth-scopes"] = ",".join(self.state.scopes)
        if status == 200 or status == 429:
            _reply(request, status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)
        else:
            _reply(request, status, b"Internal Server Error", "text/plain", headers)

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict, dict, bool]:
        if self._chaos is not None and self._chaos.rng.random() < self._chaos.rate_limited:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}, True
        faults = [f for f in self._faults.get(method, []) if f.channel in (None, params.get("channel"))]
        if faults:
            fault = faults[0]
            self._faults[method].remove(fault)
            if fault.carried_out:
                self._carry_out(method, params, token)
            if fault.error is not None:
                return 200, {"ok": False, "error": fault.error}, {}, True
            if fault.status == 429:
                return (
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(fault.retry_after)},
                    True,
                )
            return fault.status, {}, {}, True
        return self._carry_out(method, params, token)

    def _carry_out(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict, dict, bool]:
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
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else str(payload).encode()
            fields[str(name)] = content if part.get_filename() else content.decode("utf-8")
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
    request: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(body)
