"""Enterprise Grid org-wide installs, over HTTP against the fake Slack: an org-wide install has one installation for
the whole org (no team id), so a workspace inside it is known only from its requests. Its jobs (prompts, digests)
must still find the org's bot token, and use it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_sdk.oauth.installation_store import Installation

from bot.app import BOT_SCOPES
from bot.crypto import sealer_for
from bot.jobs.engine import run_tick
from bot.runtime import make_runtime
from bot.services.webhook_secrets import current_secret
from storage.repositories import workspaces
from tests.conftest import SIGNING_SECRET, ServedApp, make_settings
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, CALL_CLOCK, post_hook
from tests.support.digest import BERLIN, add_schedule, digests_in, utc

ORG = "E0001"
ORG_TOKEN = "xoxb-org-wide"
MONDAY_9_BERLIN = utc("2026-11-30T08:00:00")  # the digest of the week of CALL_CLOCK is due


def _oauth_app(db_url: str, fake_slack: FakeSlack) -> ServedApp:
    settings = make_settings(
        db_url, fake_slack.url, slack_bot_token=None, slack_client_id="111.222", slack_client_secret="shh"
    )
    runtime = make_runtime(settings)
    runtime.clock = lambda: CALL_CLOCK
    return ServedApp(runtime)


def _org_wide_authorizations(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return [
        {
            "enterprise_id": ORG,
            "team_id": fake_slack.team_id,
            "user_id": fake_slack.bot_user_id,
            "is_bot": True,
            "is_enterprise_install": True,
        }
    ]


def test_jobs_of_a_workspace_inside_an_org_wide_install_use_the_orgs_bot(db_url: str, fake_slack: FakeSlack) -> None:
    team = fake_slack.team_id
    with _oauth_app(db_url, fake_slack) as app:
        store = app.bolt.installation_store
        assert store is not None
        store.save(
            Installation(
                app_id="A0001",
                enterprise_id=ORG,
                team_id=None,
                is_enterprise_install=True,
                bot_token=ORG_TOKEN,
                bot_id="B0001",
                bot_user_id=fake_slack.bot_user_id,
                bot_scopes=BOT_SCOPES,
                user_id="UINSTALLER",
            )
        )
        fake_slack.state.valid_tokens = {ORG_TOKEN}  # any other token is refused by the fake
        with SlackSender(app.url, SIGNING_SECRET, team_id=team) as slack:
            # The workspace's first request, as Slack sends it for a workspace of an org-wide install.
            home = {"type": "app_home_opened", "user": "UREP1", "channel": "DUREP1", "tab": "home", "event_ts": "1.2"}
            opened = slack.event(home, enterprise_id=ORG, authorizations=_org_wide_authorizations(fake_slack))
            assert opened.status_code == 200
            [published] = fake_slack.wait_for_calls("views.publish")
            assert published.token == ORG_TOKEN
        with app.runtime.session_factory() as session:
            assert workspaces.enterprise_of(session, team) == ORG

        # Jobs know the workspace only by its team id: a post-call prompt, then the weekly digest.
        with app.runtime.session_factory.begin() as session:
            secret = current_secret(session, team, now=CALL_CLOCK, sealer=sealer_for(None))
        assert post_hook(app, CALL, secret=secret).status_code == 202
        run_tick(app.runtime, CALL_CLOCK + timedelta(minutes=15))
        prompts = [c for c in fake_slack.calls_to("chat.postMessage") if c.ok]
        assert prompts and fake_slack.messages("UREP1")
        assert {c.token for c in prompts} == {ORG_TOKEN}

        add_schedule(app, "CMKT", "marketing", BERLIN)
        run_tick(app.runtime, MONDAY_9_BERLIN)
        assert len(digests_in(fake_slack, "CMKT")) == 1
        posted = [c for c in fake_slack.calls_to("chat.postMessage") if c.params.get("channel") == "CMKT" and c.ok]
        assert posted and {c.token for c in posted} == {ORG_TOKEN}
        assert not [c for c in fake_slack.calls_to("chat.postMessage") if not c.ok]
    app.runtime.engine.dispose()
