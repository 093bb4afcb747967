"""Never a 5xx on bad input: 413 before buffering, 400 for malformed bodies, 401 for unsigned ones; the
webhook's hostile JSON and times out of range; the health check when the database hangs; timeouts."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from bot.slack import ACK_PATH_TIMEOUT_SECONDS, ack_aware_copy, ack_path, make_web_client
from storage.db import make_engine
from storage.models import Call, Note
from tests.conftest import SIGNING_SECRET, ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender, sign
from tests.support.calls import CALL, CALL_CLOCK, post_hook


def _raw_http(served: ServedApp, head: str, body_parts: Iterable[bytes] = ()) -> int:
    """Send a request by hand (headers, then body parts as given) and return the status line's code, read as soon
    as the server answers: a 413 that arrives before the declared body was sent proves nothing was buffered."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        for part in body_parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed while we were still sending
        reply = sock.recv(4096)
    return int(reply.split(b" ", 2)[1])


def test_slack_body_over_its_limit_is_413_from_content_length(served: ServedApp) -> None:
    limit = served.runtime.settings.fieldnotes_max_body_bytes
    assert limit == 1_048_576
    head = f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: {40 * limit}\r\n\r\n"
    assert _raw_http(served, head) == 413  # nothing of the 40 MiB was sent


def test_bodies_over_their_limit_are_413_while_streaming(served: ServedApp) -> None:
    def chunked(total: int) -> Iterator[bytes]:
        chunk = b"x" * 16384
        for _ in range(total // len(chunk) + 1):
            yield f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        # no terminating chunk: the answer must come before the body ends

    for path, limit in (("/slack/events", 1_048_576), ("/hooks/calls", 65_536)):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        assert _raw_http(served, head, chunked(limit)) == 413


def test_webhook_body_over_64_kib_is_413(served: ServedApp) -> None:
    assert post_hook(served, None, raw=b" " * (64 * 1024 + 1)).status_code == 413
    head = "POST /hooks/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n\r\n"
    assert _raw_http(served, head) == 413


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"payload=", "application/x-www-form-urlencoded"),
        (b'{"type":"event_callback","team_id":"T0001","event":{"type":"app_', "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"type": "block_actions", "actions": "not a list", "team": 5}', "application/json"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_malformed_slack_bodies_are_400_signed_and_401_unsigned(
    served: ServedApp, body: bytes, content_type: str
) -> None:
    url = f"{served.url}/slack/events"
    signed = httpx.post(url, content=body, headers={"Content-Type": content_type, **sign(body, SIGNING_SECRET)})
    assert signed.status_code == 400, signed.text
    assert "malformed" in signed.json()["error"]
    unsigned = httpx.post(url, content=body, headers={"Content-Type": content_type})
    assert unsigned.status_code == 401


def test_non_ascii_signature_headers_are_401(served: ServedApp) -> None:
    stamp = str(int(time.time())).encode()
    slack = httpx.post(
        f"{served.url}/slack/events",
        content=b"{}",
        headers={"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=é".encode("latin-1")},
    )
    assert slack.status_code == 401
    for header, value in (("X-Fieldnotes-Signature", "v1=é"), ("X-Fieldnotes-Timestamp", "١٢٣")):
        headers = {"X-Fieldnotes-Timestamp": stamp, "X-Fieldnotes-Signature": b"v1=00", header: value.encode()}
        assert httpx.post(f"{served.url}/hooks/calls", content=b"{}", headers=headers).status_code == 401


def test_legacy_attachment_button_is_answered(slack: SlackSender, fake_slack: FakeSlack) -> None:
    payload = {
        "type": "interactive_message",
        "actions": [{"name": "approve", "type": "button", "value": "yes"}],
        "callback_id": "old_prompt",
        "team": {"id": fake_slack.team_id, "domain": "fieldnotes-test"},
        "channel": {"id": "C0001", "name": "general"},
        "user": {"id": "UREP1", "name": "ana"},
        "action_ts": "1700000000.000001",
        "message_ts": "1700000000.000000",
        "attachment_id": "1",
        "token": "legacy-token",
        "is_app_unfurl": False,
        "original_message": {"text": "an old message", "attachments": [{"callback_id": "old_prompt"}]},
        "response_url": fake_slack.response_url(),
        "trigger_id": "1.2.3",
    }
    response = slack.post_interactive(payload)
    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral"
    assert "/feedback" in response.json()["text"]


def _hostile_bodies() -> list[tuple[str, bytes]]:
    call = json.dumps(CALL).encode()
    return [
        ("deep arrays", b"[" * 30_000 + b"]" * 30_000),
        ("deep objects", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
        ("5,000 digits", call[:-1] + b', "extra": ' + b"7" * 5000 + b"}"),
        ("not UTF-8", b"\xff\xfe{}"),
    ]


@pytest.mark.parametrize(("name", "raw"), _hostile_bodies())
def test_hostile_webhook_json_is_400(served: ServedApp, name: str, raw: bytes) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    response = post_hook(served, None, raw=raw)
    assert response.status_code == 400, (name, response.text)
    assert response.json()["error"].startswith("body")


@pytest.mark.parametrize(
    "ended_at",
    ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-10-25T15:30:00Z", "2026-11-26T15:36:00Z"],
)
def test_webhook_times_out_of_range_are_400_naming_the_field(served: ServedApp, ended_at: str) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    response = post_hook(served, {**CALL, "ended_at": ended_at})
    assert response.status_code == 400
    assert response.json()["error"].startswith("ended_at:")
    with served.runtime.session_factory() as session:
        assert session.scalars(select(Call)).all() == []


def test_webhook_times_at_the_edges_of_the_window_are_accepted(served: ServedApp) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    oldest = CALL_CLOCK - timedelta(days=30) + timedelta(seconds=1)
    newest = CALL_CLOCK + timedelta(days=1)
    for n, at in enumerate((oldest, newest)):
        body = {**CALL, "call_id": f"edge-{n}", "ended_at": at.isoformat()}
        assert post_hook(served, body).status_code == 202


def test_healthz_is_503_while_the_database_hangs(served: ServedApp) -> None:
    release = threading.Event()
    entered = threading.Event()

    def hang(*_args: Any) -> None:
        entered.set()
        release.wait(30)

    event.listen(served.runtime.engine, "before_cursor_execute", hang)
    try:
        response = httpx.get(f"{served.url}/healthz", timeout=10)
        # Answered while the database is still hung: the check did not wait for it.
        assert entered.is_set() and not release.is_set()
        assert response.status_code == 503
        assert response.json() == {"database": "unreachable"}
    finally:
        release.set()
        event.remove(served.runtime.engine, "before_cursor_execute", hang)
    assert httpx.get(f"{served.url}/healthz").status_code == 200


def test_postgresql_has_connect_and_statement_timeouts(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has its busy timeout instead")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
        assert conn.connection.dbapi_connection.info.get_parameters()["connect_timeout"] == "5"  # type: ignore[union-attr]
    engine.dispose()
    quick = make_engine(db_url, statement_timeout_ms=50)
    with pytest.raises(OperationalError, match="statement timeout"), quick.connect() as conn:
        conn.execute(text("SELECT pg_sleep(5)"))
    quick.dispose()


def test_slack_calls_before_the_ack_never_wait_on_retry_after(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    # /feedback opens the modal before it acks (the trigger_id lives 3 s): a 429 there is not slept on or retried.
    fake_slack.fail_next("views.open", status=429, retry_after=30)
    response = slack.command("/feedback", "", user_id="UREP1", response_url=fake_slack.response_url())
    assert response.status_code == 200
    assert len(fake_slack.calls_to("views.open")) == 1
    fake_slack.wait_for_responses(1)  # the rep is told the form could not open


def test_ack_path_client_is_short_and_the_same_client_is_patient_elsewhere(fake_slack: FakeSlack, db_url: str) -> None:
    from tests.conftest import make_settings

    client = ack_aware_copy(make_web_client(make_settings(db_url, fake_slack.url), "xoxb-test-token"))
    with ack_path():
        assert client.timeout == ACK_PATH_TIMEOUT_SECONDS
        fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
        with pytest.raises(Exception, match="ratelimited"):
            client.chat_postMessage(channel="C0001", text="before the ack")
    assert client.timeout == 15
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client.chat_postMessage(channel="C0001", text="after the ack")  # retried once, then posted
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    assert [m["text"] for m in fake_slack.messages("C0001")] == ["after the ack"]


def test_bad_requests_leave_nothing_behind(served: ServedApp, slack: SlackSender) -> None:
    # A malformed signed /feedback body (a form with a broken payload) stores no note and no workspace row.
    body = b"payload=%7B%22type%22%3A%22view_submission%22"
    assert httpx.post(f"{served.url}/slack/events", content=body, headers=sign(body, SIGNING_SECRET)).status_code == 400
    with served.runtime.session_factory() as session:
        assert session.scalars(select(Note)).all() == []
