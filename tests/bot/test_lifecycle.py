"""A workspace's lifecycle over HTTP: uninstall (Bolt's token-revocation listeners, jobs stopped, data purged after
the grace period), reinstall, `fieldnotes workspace list|purge`, expired OAuth states pruned, and an event whose
listener failed (before or after the ack) handled again on Slack's retry."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, insert, select

from bot.cli import cli
from bot.cli import workspace as workspace_cli
from bot.listeners.events import home as home_listeners
from bot.listeners.events import lifecycle as lifecycle_listeners
from bot.settings import get_settings
from storage.models import OAUTH_STATES_TABLE, Call, Job, Person, SlackDelivery, Workspace
from tests.conftest import SIGNING_SECRET, ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, CALL_CLOCK, post_hook
from tests.support.oauth import install
from tests.support.waiting import wait_until


def _workspace(served: ServedApp, team_id: str) -> Workspace | None:
    with served.runtime.session_factory() as session:
        return session.get(Workspace, team_id)


def _count(served: ServedApp, model: type, team_id: str) -> int:
    with served.runtime.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(model.team_id == team_id)) or 0)


def test_uninstall_stops_jobs_and_purges_the_data_after_the_grace_period(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    team = fake_slack.team_id
    assert post_hook(served, CALL).status_code == 202  # a prompt is due in 10 minutes
    assert slack.event({"type": "app_uninstalled"}).status_code == 200
    workspace = _workspace(served, team)
    assert workspace is not None and workspace.uninstalled_at == CALL_CLOCK
    with served.runtime.session_factory() as session:
        assert session.scalars(select(Job).where(Job.team_id == team, Job.state == "due")).all() == []
    served.tick(CALL_CLOCK + timedelta(days=1))
    assert fake_slack.calls_to("chat.postMessage") == []  # the prompt was not sent
    served.tick(CALL_CLOCK + timedelta(days=29))
    assert _workspace(served, team) is not None  # within the grace period: kept
    served.tick(CALL_CLOCK + timedelta(days=30, minutes=1))
    served.tick(CALL_CLOCK + timedelta(days=30, minutes=2))
    assert _workspace(served, team) is None
    assert _count(served, Person, team) == 0 and _count(served, Call, team) == 0


def test_revoked_bot_token_removes_the_installation_and_a_reinstall_keeps_the_data(
    oauth_app: ServedApp, fake_slack: FakeSlack
) -> None:
    team = fake_slack.team_id
    install(oauth_app)
    store = oauth_app.bolt.installation_store
    assert store is not None and store.find_bot(enterprise_id=None, team_id=team) is not None
    with SlackSender(oauth_app.url, SIGNING_SECRET, team_id=team) as slack:
        revoked = slack.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [fake_slack.bot_user_id]}})
    assert revoked.status_code == 200
    assert store.find_bot(enterprise_id=None, team_id=team) is None  # Bolt's listener deleted it
    workspace = _workspace(oauth_app, team)
    assert workspace is not None and workspace.uninstalled_at is not None
    install(oauth_app, code="code-2")  # installed again within the grace period: nothing is purged
    workspace = _workspace(oauth_app, team)
    assert workspace is not None and workspace.uninstalled_at is None


def test_an_event_whose_listener_failed_is_handled_on_slacks_retry(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = lifecycle_listeners.mark_uninstalled
    calls: list[str] = []

    def fail_once(*args: object, **kwargs: object) -> bool:
        calls.append("called")
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lifecycle_listeners, "mark_uninstalled", fail_once)
    first = slack.event({"type": "app_uninstalled"})
    assert first.status_code == 500  # Slack retries events that did not get a 2xx
    workspace = _workspace(served, fake_slack.team_id)
    assert workspace is not None and workspace.uninstalled_at is None
    assert slack.resend(retry_num=1).status_code == 200
    workspace = _workspace(served, fake_slack.team_id)
    assert workspace is not None and workspace.uninstalled_at is not None
    assert slack.resend(retry_num=2).status_code == 200 and len(calls) == 2  # handled, so the next retry is not


def _deliveries(served: ServedApp) -> int:
    with served.runtime.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(SlackDelivery)) or 0)


def test_an_event_whose_lazy_listener_failed_is_handled_on_slacks_retry(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = home_listeners.publish_home
    calls: list[str] = []

    def fail_once(*args: Any, **kwargs: Any) -> None:
        calls.append("called")
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        real(*args, **kwargs)

    monkeypatch.setattr(home_listeners, "publish_home", fail_once)
    assert slack.app_home_opened("UREP1").status_code == 200  # acked before the lazy listener runs
    wait_until(lambda: calls and _deliveries(served) == 0, what="the failed event forgotten")
    assert fake_slack.calls_to("views.publish") == []
    assert slack.resend(retry_num=1).status_code == 200  # Slack's retry (say the first ack reached it late) runs
    fake_slack.wait_for_calls("views.publish")
    assert slack.resend(retry_num=2).status_code == 200  # handled now, so a later retry is not
    served.drain()
    assert len(calls) == 2 and len(fake_slack.calls_to("views.publish")) == 1


def test_expired_oauth_states_are_pruned(oauth_app: ServedApp) -> None:
    long_ago = datetime(2026, 1, 1)  # slack-sdk stores naive UTC
    with oauth_app.runtime.engine.begin() as conn:
        conn.execute(insert(OAUTH_STATES_TABLE), [{"state": f"old-{n}", "expire_at": long_ago} for n in range(3)])
    assert httpx.get(f"{oauth_app.url}/slack/install").status_code == 200
    with oauth_app.runtime.engine.connect() as conn:
        states = [row.state for row in conn.execute(select(OAUTH_STATES_TABLE))]
    assert len(states) == 1 and not states[0].startswith("old-")  # only the one this visit issued


def test_workspace_list_and_purge(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read
    assert post_hook(served, CALL).status_code == 202
    assert slack.event({"type": "app_uninstalled"}).status_code == 200
    settings = served.runtime.settings
    for name, value in settings.model_dump().items():
        if value is not None:
            raw = value.get_secret_value() if hasattr(value, "get_secret_value") else value
            monkeypatch.setenv(name.upper(), str(raw))
    get_settings.cache_clear()
    try:
        listing = CliRunner().invoke(cli, ["workspace", "list"])
        assert listing.exit_code == 0, listing.output
        assert f"{fake_slack.team_id}\t" in listing.output
        assert "uninstalled 2026-11-25, purged after 2026-12-25" in listing.output
        with monkeypatch.context() as at_a_terminal:
            at_a_terminal.setattr(workspace_cli, "_interactive", lambda: True)
            refused = CliRunner().invoke(cli, ["workspace", "purge", fake_slack.team_id], input="n\n")
        assert refused.exit_code == 1 and _workspace(served, fake_slack.team_id) is not None
        purged = CliRunner().invoke(cli, ["workspace", "purge", fake_slack.team_id])  # a script: no question
        assert purged.exit_code == 0, purged.output
        assert _workspace(served, fake_slack.team_id) is None and _count(served, Call, fake_slack.team_id) == 0
        unknown = CliRunner().invoke(cli, ["workspace", "purge", "TNOPE", "--yes"])
        assert unknown.exit_code == 1 and "no workspace TNOPE" in unknown.output
    finally:
        get_settings.cache_clear()


def test_news_of_an_uninstall_on_another_replica_does_not_mark_it_installed(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    assert slack.event({"type": "app_uninstalled"}).status_code == 200
    replica = ServedApp(served.runtime)  # another process: it has not seen this workspace yet
    with replica, SlackSender(replica.url, SIGNING_SECRET, team_id=fake_slack.team_id) as other:
        revoked = other.event({"type": "tokens_revoked", "tokens": {"oauth": ["UADMIN"], "bot": []}})
        assert revoked.status_code == 200
        workspace = _workspace(served, fake_slack.team_id)
        assert workspace is not None and workspace.uninstalled_at is not None
        # Anything else from the workspace means it is installed (again): a single install's new token.
        assert other.app_home_opened("UREP1").status_code == 200
    workspace = _workspace(served, fake_slack.team_id)
    assert workspace is not None and workspace.uninstalled_at is None
