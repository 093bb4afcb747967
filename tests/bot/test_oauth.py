"""OAuth (multi-workspace) mode: install, store the installation in our tables, then use its token."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import select, update

from storage.models import OAUTH_STATES_TABLE
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.support.oauth import install


def test_install_then_redirect_stores_the_installation(oauth_app: ServedApp, fake_slack: FakeSlack) -> None:
    install(oauth_app)
    assert fake_slack.calls_to("oauth.v2.access")
    client = oauth_app.runtime.clients.for_team(fake_slack.team_id)
    assert client.token and client.token.startswith("xoxb-")
    assert client.auth_test()["team_id"] == fake_slack.team_id


def test_redirect_with_a_forged_state_is_refused(oauth_app: ServedApp) -> None:
    response = httpx.get(f"{oauth_app.url}/slack/oauth_redirect", params={"code": "c", "state": "forged"})
    assert response.status_code >= 400


def test_http_mode_without_oauth_has_no_install_page(served: ServedApp) -> None:
    assert httpx.get(f"{served.url}/slack/install").status_code == 404


def test_install_page_prunes_expired_install_states(oauth_app: ServedApp) -> None:
    """Each visit of the install page leaves a state row; only a completed install consumes it."""
    states = OAUTH_STATES_TABLE
    first = httpx.get(f"{oauth_app.url}/slack/install")
    assert first.status_code == 200
    with oauth_app.runtime.engine.begin() as conn:
        conn.execute(update(states).values(expire_at=datetime(2020, 1, 1)))  # naive UTC, as slack-sdk stores it
        stale = set(conn.scalars(select(states.c.state)))
    assert len(stale) == 1

    assert httpx.get(f"{oauth_app.url}/slack/install").status_code == 200

    with oauth_app.runtime.engine.connect() as conn:
        left = set(conn.scalars(select(states.c.state)))
    assert len(left) == 1 and left.isdisjoint(stale)
