"""The app served for real: Slack signatures, the call webhook, the health check."""

from __future__ import annotations

import logging
import time

import httpx
import pytest
from sqlalchemy import select

from bot.app import _DropTokenNotice, create_app
from bot.jobs import kinds
from bot.runtime import Runtime
from storage.models import Call, Job, Prompt
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, CALL_CLOCK, post_hook


def test_url_verification_signed_is_answered(slack: SlackSender) -> None:
    response = slack.url_verification("challenge-123")
    assert response.status_code == 200
    assert response.json()["challenge"] == "challenge-123"


def test_unsigned_and_stale_requests_are_refused(slack: SlackSender) -> None:
    assert slack.with_options(sign=False).url_verification("x").status_code == 401
    assert slack.with_options(timestamp=time.time() - 600).url_verification("x").status_code == 401


def test_healthz(served: ServedApp) -> None:
    response = httpx.get(f"{served.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_healthz_503_when_database_is_gone(served: ServedApp) -> None:
    if served.runtime.engine.dialect.name != "sqlite":
        return  # stopping PostgreSQL is not ours to do; the SQLite case covers the code path
    served.runtime.engine.dispose()
    served.runtime.engine.url = served.runtime.engine.url.set(database="/nonexistent/dir/x.db")
    broken = served.runtime.engine.__class__
    assert broken  # the engine object is reused by the app: point it somewhere unreachable
    from storage.db import make_engine

    served.runtime.engine = make_engine("sqlite:////nonexistent/dir/x.db")
    response = httpx.get(f"{served.url}/healthz")
    assert response.status_code == 503


def test_signed_webhook_schedules_a_prompt_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    first = post_hook(served, CALL)
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "scheduled"
    again = post_hook(served, CALL)
    assert again.status_code == 200
    assert again.json()["prompt_at"] == first.json()["prompt_at"]
    with served.runtime.session_factory() as session:
        assert session.scalars(select(Call)).all()[0].account == "Acme Corp"
        assert len(session.scalars(select(Prompt)).all()) == 1
        assert len(session.scalars(select(Job).where(Job.kind == kinds.PROMPT_SEND)).all()) == 1
    assert len(fake_slack.calls_to("users.lookupByEmail")) == 1  # cached in the database afterwards


def test_forged_or_stale_webhook_is_refused(served: ServedApp) -> None:
    assert post_hook(served, CALL, secret="wrong").status_code == 401
    assert post_hook(served, CALL, ts=int(time.time()) - 301).status_code == 401
    response = httpx.post(f"{served.url}/hooks/calls", json=CALL)
    assert response.status_code == 401


def test_bad_webhook_bodies_name_the_field(served: ServedApp) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    assert post_hook(served, None, raw=b"{not json").json()["error"].startswith("body")
    for field in ("call_id", "account", "ended_at"):
        body = {k: v for k, v in CALL.items() if k != field}
        response = post_hook(served, body)
        assert response.status_code == 400
        assert field in response.json()["error"]
    no_rep = {k: v for k, v in CALL.items() if k != "rep_email"}
    response = post_hook(served, no_rep)
    assert response.status_code == 400
    assert response.json()["error"] == "body: rep_email or rep_slack_id is required"
    old = post_hook(served, {**CALL, "ended_at": "2026-10-01T00:00:00Z"})
    assert old.json()["error"] == "ended_at: more than 30 days in the past"
    naive = {**CALL, "ended_at": "2026-11-25T15:30:00"}
    assert "ended_at" in post_hook(served, naive).json()["error"]
    assert post_hook(served, [1, 2]).status_code == 400


def test_unknown_rep_is_422(served: ServedApp) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    assert post_hook(served, {**CALL, "rep_email": "nobody@example.com"}).status_code == 422
    assert post_hook(served, {**CALL, "call_id": "x2", "rep_email": None, "rep_slack_id": "UNOPE"}).status_code == 422


def test_start_logs_no_spurious_bolt_warning(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Bolt reads SLACK_BOT_TOKEN itself; the client we give it carries that token, so its warning is noise.
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-env")
    caplog.set_level(logging.WARNING)
    create_app(runtime)
    create_app(runtime)  # the filter is added once, however many apps are made
    assert "token` will be unused" not in caplog.text
    assert sum(isinstance(f, _DropTokenNotice) for f in logging.getLogger("slack_bolt.App").filters) == 1


def test_slack_requests_are_counted_while_handled(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.listeners.commands import feedback

    seen: list[int] = []
    real_help = feedback.build_feedback_help

    def counting_help() -> str:
        seen.append(served.runtime.requests_in_flight)
        return real_help()

    monkeypatch.setattr(feedback, "build_feedback_help", counting_help)
    assert served.runtime.requests_in_flight == 0
    for _ in range(2):
        answer = slack.command("/feedback", "help", user_id="UREP1", response_url=fake_slack.response_url())
        assert "feedback" in answer.json()["text"]
    # Each was counted while its listener ran: the work after the ack gives way meanwhile (acks first).
    assert seen == [1, 1]
    assert served.runtime.requests_in_flight == 0
