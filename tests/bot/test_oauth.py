"""OAuth (multi-workspace) mode: install, store the installation in our tables, then use its token."""

from __future__ import annotations

import httpx

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
