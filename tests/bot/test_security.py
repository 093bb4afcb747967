"""Security (issue 13, point 8), over HTTP against the fake Slack: secrets encrypted at rest, FIELDNOTES_ADMINS only
in the single-workspace install, Enterprise Grid installs found by team id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select, text

from bot.crypto import SEALED_PREFIX
from bot.runtime import make_runtime
from storage.models import WebhookSecret
from storage.repositories import workspaces
from tests.conftest import SIGNING_SECRET, ServedApp, make_settings
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import run
from tests.support.calls import CALL, CALL_CLOCK, post_hook
from tests.support.oauth import install

KEY = Fernet.generate_key().decode()


def _oauth_app(db_url: str, fake_slack: FakeSlack, **overrides: object) -> ServedApp:
    settings = make_settings(
        db_url,
        fake_slack.url,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="shh",
        **overrides,
    )
    runtime = make_runtime(settings)
    runtime.clock = lambda: CALL_CLOCK
    return ServedApp(runtime)


@pytest.fixture
def sealed_app(db_url: str, fake_slack: FakeSlack) -> Iterator[ServedApp]:
    with _oauth_app(db_url, fake_slack, fieldnotes_encryption_key=KEY) as app:
        install(app)
        yield app
    app.runtime.engine.dispose()


def test_tokens_and_webhook_secrets_are_encrypted_at_rest(sealed_app: ServedApp, fake_slack: FakeSlack) -> None:
    with sealed_app.runtime.engine.connect() as conn:
        tokens = conn.execute(
            text("SELECT bot_token FROM slack_bots UNION ALL SELECT bot_token FROM slack_installations")
        )
        stored = [row[0] for row in tokens]
        secrets = [row[0] for row in conn.execute(select(WebhookSecret.secret))]
    assert stored and all(value.startswith(SEALED_PREFIX) and "xoxb-" not in value for value in stored)
    assert len(secrets) == 1 and secrets[0].startswith(SEALED_PREFIX)
    # The app still uses them: Slack requests are authorized with the opened token, the webhook verifies.
    with SlackSender(sealed_app.url, SIGNING_SECRET, team_id=fake_slack.team_id) as slack:
        fake_slack.add_user("UOWNER", name="olga", is_owner=True)
        answer = run(slack, fake_slack, "webhook", user="UOWNER")
    plain = answer.split("Secret: `")[1].split("`")[0]
    assert Fernet(KEY.encode()).decrypt(secrets[0][len(SEALED_PREFIX) :].encode()).decode() == plain
    assert post_hook(sealed_app, CALL, secret=plain).status_code == 202
    assert sealed_app.runtime.clients.for_team(fake_slack.team_id).auth_test()["ok"]


def test_fieldnotes_admins_is_ignored_when_several_workspaces_may_install(db_url: str, fake_slack: FakeSlack) -> None:
    with _oauth_app(db_url, fake_slack) as app:  # FIELDNOTES_ADMINS=UADMIN is set in these settings
        install(app)
        with SlackSender(app.url, SIGNING_SECRET, team_id=fake_slack.team_id) as slack:
            assert "Only Field Notes admins" in run(slack, fake_slack, "prompts show", user="UADMIN")
    app.runtime.engine.dispose()


def test_enterprise_grid_workspace_install_is_found_by_team_id(db_url: str, fake_slack: FakeSlack) -> None:
    with _oauth_app(db_url, fake_slack) as app:
        store = app.bolt.installation_store
        assert store is not None
        token = "xoxb-grid-workspace"
        store.save(
            Installation(
                app_id="A0001",
                enterprise_id="E0001",
                team_id="TGRID",
                bot_token=token,
                bot_id="B0001",
                bot_user_id="UBOT",
                bot_scopes=["chat:write"],
                user_id="UINSTALLER",
            )
        )
        # Jobs and the webhook know the workspace only by its team id.
        assert app.runtime.clients.for_team("TGRID").token == token
        found = store.find_installation(enterprise_id=None, team_id="TGRID")
        assert found is not None and found.enterprise_id == "E0001"
    app.runtime.engine.dispose()


def test_a_replayed_fieldnotes_command_runs_once(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    assert "/fieldnotes help" in run(slack, fake_slack, "help")  # the workspace and its default questions

    def questions() -> list[str]:
        with served.runtime.session_factory() as session:
            return [q.key for q in workspaces.questions(session, fake_slack.team_id)]

    before = questions()
    first, replay = fake_slack.response_url(), fake_slack.response_url()
    for url in (first, replay):  # the same signed request twice, as a replay within the signature window would be
        response = slack.command("/fieldnotes", "questions remove 5", user_id="UADMIN", response_url=url,
                                 trigger_id="1234.5678.replayed")  # fmt: skip
        assert response.status_code == 200
    served.drain()
    assert before[4] == "objections" and questions() == before[:4] + before[5:]  # removed once, not twice
    answered = [url_id for url_id, _ in fake_slack.responses]
    assert answered.count(first.rsplit("/", 1)[1]) + answered.count(replay.rsplit("/", 1)[1]) == 1


def test_guests_are_refused_the_digest_preview(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("UGUEST", name="gus", is_restricted=True)
    fake_slack.add_user("USINGLE", name="sam", is_restricted=True, is_ultra_restricted=True)
    for guest in ("UGUEST", "USINGLE"):
        assert run(slack, fake_slack, "digest preview", user=guest) == (
            "The digest preview is for members of the workspace, not guests."
        )
    assert "Digest preview" in run(slack, fake_slack, "digest preview", user="UREP1")
