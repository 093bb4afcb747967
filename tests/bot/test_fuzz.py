"""Fuzzing both endpoints over real HTTP (hypothesis): random signed and unsigned Slack requests of every kind to
/slack/events, random call bodies to /hooks/calls. Whatever arrives: never a 5xx, nothing half-stored, and the
process stays healthy. 1,000 cases per CI run (both databases)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import ids
from storage.models import Call, Job, Note, NoteAnswer, Prompt
from tests.conftest import SIGNING_SECRET, ServedApp
from tests.fakes._payloads import Workspace, new_action_ts, new_event_id, new_trigger_id
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import sign
from tests.support.calls import CALL, CALL_CLOCK, post_hook

# Cases per database: 1,000 in a CI run (which runs both), about 550 on SQLite alone.
SLACK_CASES = {"sqlite": 350, "postgresql": 300}
WEBHOOK_CASES = {"sqlite": 200, "postgresql": 150}


def _fuzz(cases: int) -> settings:
    # One served app for all cases (that is the point: it must stay healthy), so function-scoped fixtures are fine.
    return settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


USERS = ["UADMIN", "UREP1", "UREP2", "UMKT", "UNOBODY"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
# Where the app answers: mutating these would only send the app's answer elsewhere, not test it.
_KEEP = {"response_url", "response_urls"}


def _texts() -> st.SearchStrategy[str]:
    words = st.sampled_from(
        [
            "help",
            "me",
            "questions",
            "add",
            "remove",
            "list",
            "digest",
            "preview",
            "webhook",
            "export",
            "reps",
            "admins",
            "<@UREP1|ana>",
            "<#CMKT|marketing>",
            '"quoted',
            "Acme:",
            "pricing",
            "7d",
            "2",
            "\u202e",
            "<!channel>",
        ]
    )
    return st.one_of(st.text(max_size=60), st.lists(words, max_size=6).map(" ".join))


@st.composite
def _slack_payload(draw: st.DrawFn, response_url: str) -> tuple[str, dict[str, Any]]:
    """A realistic Slack request of any kind: ("form" | "interactive" | "json", payload)."""
    ws = Workspace()
    user = draw(st.sampled_from(USERS))
    kind = draw(
        st.sampled_from(
            [
                "command",
                "block_actions",
                "view_submission",
                "view_closed",
                "shortcut",
                "message_action",
                "block_suggestion",
                "interactive_message",
                "event",
                "url",
            ]
        )
    )
    if kind == "command":
        command = draw(st.sampled_from([ids.CMD_FEEDBACK, ids.CMD_FIELDNOTES, "/other"]))
        fields = ws.command(
            command,
            draw(_texts()),
            user_id=user,
            channel_id="C0001",
            channel_name=None,
            response_url=response_url,
            trigger_id=new_trigger_id(),
        )
        return "form", dict(fields)
    action_ids = [v for k, v in vars(ids).items() if k.startswith("ACTION_")]
    callback_ids = [v for k, v in vars(ids).items() if k.startswith(("VIEW_", "SHORTCUT_"))]
    if kind == "block_actions":
        action = {
            "action_id": draw(st.sampled_from(action_ids)),
            "block_id": "b",
            "type": "button",
            "value": draw(st.one_of(st.text(max_size=20), st.integers().map(str))),
            "action_ts": new_action_ts(),
        }
        view = draw(st.none() | st.just({"id": "V1", "type": "home", "callback_id": ""}))
        message = None if view else {"ts": "1700000000.000100", "text": "x", "blocks": []}
        return "interactive", ws.block_action(
            action,
            user_id=user,
            trigger_id=new_trigger_id(),
            channel_id=None,
            message=message,
            view=view,
            response_url=response_url,
            state_values={},
        )
    if kind in ("view_submission", "view_closed"):
        meta = draw(st.one_of(st.text(max_size=30), JSON.map(json.dumps)))
        view = ws.submitted_view(
            {},
            draw(
                st.dictionaries(
                    st.text(max_size=6),
                    st.dictionaries(
                        st.text(max_size=6),
                        st.dictionaries(
                            st.sampled_from(["type", "value", "selected_option", "selected_options"]), JSON, max_size=2
                        ),
                        max_size=2,
                    ),
                    max_size=3,
                )
            ),
            view_id="V1",
            hash=None,
            private_metadata=meta,
            callback_id=draw(st.sampled_from(callback_ids)),
        )
        if kind == "view_closed":
            return "interactive", ws.view_closed(view, user_id=user, is_cleared=False)
        return "interactive", ws.view_submission(view, user_id=user, trigger_id=new_trigger_id(), response_urls=[])
    if kind in ("shortcut", "message_action"):
        callback = draw(st.sampled_from(callback_ids))
        if kind == "shortcut":
            return "interactive", ws.global_shortcut(
                callback, user_id=user, trigger_id=new_trigger_id(), action_ts=new_action_ts()
            )
        message = {"ts": "1700000000.000200", "text": draw(_texts()), "user": user}
        return "interactive", ws.message_shortcut(
            callback,
            user_id=user,
            message=message,
            channel_id="C0001",
            trigger_id=new_trigger_id(),
            response_url=response_url,
            action_ts=new_action_ts(),
        )
    if kind == "block_suggestion":
        return "interactive", ws.block_suggestion(
            draw(st.sampled_from(action_ids)),
            draw(st.text(max_size=10)),
            user_id=user,
            block_id="b",
            view={"id": "V1"},
            channel_id=None,
            message=None,
        )
    if kind == "interactive_message":
        payload = ws._interactive("interactive_message", user)
        payload.update(
            {
                "callback_id": draw(st.text(max_size=10)),
                "actions": [{"name": "a", "type": "button"}],
                "response_url": response_url,
                "action_ts": new_action_ts(),
            }
        )
        return "interactive", payload
    if kind == "url":
        return "json", {"type": "url_verification", "token": ws.verification_token, "challenge": draw(st.text())}
    event_type = draw(
        st.sampled_from(
            ["app_home_opened", "app_uninstalled", "tokens_revoked", "message", "app_mention", "member_joined_channel"]
        )
    )
    event = {
        "type": event_type,
        "user": user,
        "channel": "D0001",
        "tab": "home",
        "text": draw(_texts()),
        "ts": "1700000000.000300",
        "event_ts": "1700000000.000300",
    }
    if event_type == "tokens_revoked":
        event = {"type": event_type, "tokens": {"bot": draw(st.lists(st.text(max_size=8), max_size=2))}}
    return "json", ws.event_callback(event, event_id=new_event_id(), event_time=int(time.time()))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _KEEP:
                found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def _mutated(draw: st.DrawFn, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with a few of its values replaced by random JSON, or removed."""
    paths = _paths(payload)
    for _ in range(draw(st.integers(0, 3))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = payload
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = draw(JSON)
        paths = _paths(payload)
    return payload


def _encode(encoding: str, payload: dict[str, Any]) -> tuple[bytes, str]:
    if encoding == "form":
        return urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()}).encode(), (
            "application/x-www-form-urlencoded"
        )
    if encoding == "interactive":
        return urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
    return json.dumps(payload).encode(), "application/json"


def _consistent(served: ServedApp) -> None:
    """Nothing half-stored: each note has its answers, each call its one prompt and the job that sends it."""
    with served.runtime.session_factory() as session:
        answered = select(NoteAnswer.note_id)
        assert session.scalar(select(func.count()).select_from(Note).where(Note.id.not_in(answered))) == 0
        for call in session.scalars(select(Call)):
            prompts = list(session.scalars(select(Prompt).where(Prompt.call_id == call.id)))
            assert len(prompts) == 1, call.external_id
            job_key = f"prompt.send:{prompts[0].id}"
            assert session.scalar(select(func.count()).select_from(Job).where(Job.key == job_key)) == 1


def _healthy(served: ServedApp) -> None:
    assert httpx.get(f"{served.url}/healthz", timeout=10).status_code == 200


def test_fuzz_slack_requests(served: ServedApp, fake_slack: FakeSlack) -> None:
    url = f"{served.url}/slack/events"
    seen: list[int] = []
    cases = SLACK_CASES[served.runtime.engine.dialect.name]

    @_fuzz(cases)
    @given(data=st.data())
    def one(data: st.DataObject) -> None:
        encoding, payload = data.draw(_slack_payload(fake_slack.response_url()))
        payload = data.draw(_mutated(payload))
        body, content_type = _encode(encoding, payload)
        if data.draw(st.integers(0, 9)) == 0:  # now and then a body cut short
            body = body[: data.draw(st.integers(0, len(body)))]
        signed = data.draw(st.integers(0, 9)) > 0
        headers = {"Content-Type": content_type, **(sign(body, SIGNING_SECRET) if signed else {})}
        response = httpx.post(url, content=body, headers=headers, timeout=30)
        seen.append(response.status_code)
        assert response.status_code < 500, (payload, response.text)
        if not signed:
            assert response.status_code == 401

    one()
    assert len(seen) >= cases // 2 and 200 in seen and 401 in seen
    _healthy(served)
    served.drain()
    _consistent(served)


@st.composite
def _call_body(draw: st.DrawFn) -> dict[str, Any]:
    valid: dict[str, Any] = {**CALL, "call_id": draw(st.text(min_size=1, max_size=12))}
    valid["rep_email"] = draw(st.sampled_from(["ana@example.com", "ben@example.com", "nobody@example.com"]))
    valid["ended_at"] = draw(
        st.sampled_from(
            [
                "2026-11-25T15:30:00Z",
                "2026-11-25T15:30:00",
                "9999-12-31T23:59:59Z",
                "0001-01-01T00:00Z",
                "2026-10-01T00:00:00Z",
                "2026-11-26T15:00:00+00:00",
                "yesterday",
            ]
        )
    )
    valid["team_id"] = draw(st.sampled_from(["T0001", "T0002", None, 7]))
    body = {key: value for key, value in valid.items() if draw(st.integers(0, 9)) > 0}  # a field now and then left out
    for key in draw(st.lists(st.sampled_from([*CALL, "rep_slack_id", "extra"]), max_size=2)):
        body[key] = draw(JSON)
    return body


def _post_random_hook(served: ServedApp, data: st.DataObject) -> int:
    raw = data.draw(
        st.one_of(
            _call_body().map(lambda b: json.dumps(b).encode()),
            st.binary(max_size=200),
            JSON.map(lambda v: json.dumps(v).encode()),
        )
    )
    secret = "test-webhook-secret" if data.draw(st.integers(0, 9)) > 0 else "wrong"
    return post_hook(served, None, raw=raw, secret=secret).status_code


def test_fuzz_call_webhook(served: ServedApp) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    seen: list[int] = []

    @_fuzz(WEBHOOK_CASES[served.runtime.engine.dialect.name])
    @given(data=st.data())
    def one(data: st.DataObject) -> None:
        status = _post_random_hook(served, data)
        seen.append(status)
        assert status in (200, 202, 400, 401, 403, 422), status

    one()
    assert {400, 401} <= set(seen)
    _healthy(served)
    # And a good call is still taken after all that.
    assert post_hook(served, {**CALL, "call_id": "after-the-fuzz"}).status_code == 202
    _consistent(served)
