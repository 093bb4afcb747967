"""Per-workspace webhook secrets: made when a workspace is first seen, shown and rotated by admins with
`/fieldnotes webhook`, and the webhook's workspace is the one whose secret verifies; another `team_id` gets 403."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.crypto import sealer_for
from bot.services.webhook_secrets import current_secret
from bot.services.workspaces import ensure_workspace
from storage.models import Call, WebhookSecret, Workspace
from tests.conftest import ServedApp, make_settings
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import run
from tests.support.calls import CALL, CALL_CLOCK, post_hook

OTHER_TEAM = "T0002"


@pytest.fixture(autouse=True)
def _frozen(served: ServedApp) -> None:
    served.runtime.clock = lambda: CALL_CLOCK


def _secret_from(answer: str) -> str:
    found = re.search(r"[Ss]ecret: `([0-9a-f]{64})`", answer)
    assert found is not None, answer
    return found.group(1)


def _calls(served: ServedApp) -> list[Call]:
    with served.runtime.session_factory() as session:
        return list(session.scalars(select(Call)))


def test_first_request_makes_a_secret_that_admins_see_and_it_signs_webhooks(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    answer = run(slack, fake_slack, "webhook")
    secret = _secret_from(answer)
    assert f"`{served.url.replace('http://', 'https://')}/hooks/calls`" in answer
    with served.runtime.session_factory() as session:
        assert [row.team_id for row in session.scalars(select(WebhookSecret))] == [fake_slack.team_id]
    response = post_hook(served, {**CALL, "call_id": "own-secret"}, secret=secret)
    assert response.status_code == 202, response.text
    assert run(slack, fake_slack, "webhook") == answer  # shown again, not remade


def test_webhook_commands_are_for_admins_only(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    assert "Only Field Notes admins" in run(slack, fake_slack, "webhook", user="UREP1")
    assert "Only Field Notes admins" in run(slack, fake_slack, "webhook rotate", user="UREP1")
    assert "Usage: `/fieldnotes webhook rotate`" in run(slack, fake_slack, "webhook spin")


def test_rotation_keeps_the_old_secret_24_hours(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    old = _secret_from(run(slack, fake_slack, "webhook"))
    answer = run(slack, fake_slack, "webhook rotate")
    new = _secret_from(answer)
    assert new != old and "2026-11-26 15:35 UTC" in answer
    assert post_hook(served, {**CALL, "call_id": "with-new"}, secret=new).status_code == 202
    assert post_hook(served, {**CALL, "call_id": "with-old"}, secret=old).status_code == 202
    served.runtime.clock = lambda: CALL_CLOCK + timedelta(hours=24, seconds=1)
    assert post_hook(served, {**CALL, "call_id": "old-too-late"}, secret=old).status_code == 401
    assert post_hook(served, {**CALL, "call_id": "new-later"}, secret=new).status_code == 202
    assert {c.external_id for c in _calls(served)} == {"with-new", "with-old", "new-later"}


def _other_workspace(served: ServedApp) -> str:
    """A second installed workspace with its own secret, as an OAuth install would have."""
    runtime = served.runtime
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, OTHER_TEAM, now=CALL_CLOCK)
        return current_secret(session, OTHER_TEAM, now=CALL_CLOCK, sealer=sealer_for(None))


def test_a_secret_cannot_act_for_another_workspace(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    mine = _secret_from(run(slack, fake_slack, "webhook"))
    theirs = _other_workspace(served)
    forged = post_hook(served, {**CALL, "team_id": fake_slack.team_id}, secret=theirs)
    assert forged.status_code == 403
    assert "team_id" in forged.json()["error"]
    assert post_hook(served, {**CALL, "team_id": OTHER_TEAM}, secret=mine).status_code == 403
    assert _calls(served) == []
    assert post_hook(served, {**CALL, "team_id": fake_slack.team_id}, secret=mine).status_code == 202


def test_single_install_secret_cannot_make_a_phantom_workspace(served: ServedApp, fake_slack: FakeSlack) -> None:
    # FIELDNOTES_WEBHOOK_SECRET speaks for the bot token's own workspace only.
    response = post_hook(served, {**CALL, "team_id": "TPHANTOM"})
    assert response.status_code == 403
    with served.runtime.session_factory() as session:
        assert session.get(Workspace, "TPHANTOM") is None
    assert post_hook(served, {k: v for k, v in CALL.items() if k != "team_id"}).status_code == 202
    assert post_hook(served, {**CALL, "call_id": "again"}).status_code == 202  # the normal webhook still works


def test_oauth_install_makes_the_secret_and_ignores_the_shared_one(db_url: str, fake_slack: FakeSlack) -> None:
    from bot.runtime import make_runtime
    from tests.support.oauth import install

    settings = make_settings(
        db_url, fake_slack.url, slack_bot_token=None, slack_client_id="111.222", slack_client_secret="shh"
    )
    runtime = make_runtime(settings)
    runtime.clock = lambda: CALL_CLOCK
    with ServedApp(runtime) as app:
        install(app)
        with runtime.session_factory() as session:
            rows = list(session.scalars(select(WebhookSecret)))
        assert [row.team_id for row in rows] == [fake_slack.team_id]
        # FIELDNOTES_WEBHOOK_SECRET is set in these settings, but in OAuth mode each workspace has its own secret.
        assert post_hook(app, CALL).status_code == 401
        assert post_hook(app, CALL, secret=rows[0].secret).status_code == 202
    runtime.engine.dispose()
