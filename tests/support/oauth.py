"""The OAuth install as a browser does it (multi-workspace mode)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx

from tests.conftest import ServedApp

__all__ = ["install"]


def install(app: ServedApp, code: str = "code-1") -> None:
    """The OAuth install as a browser does it: the install page, then Slack's redirect back with code and state."""
    page = httpx.get(f"{app.url}/slack/install")
    assert page.status_code == 200
    authorize = re.search(r'href="(https://slack\.com/oauth/v2/authorize[^"]+)"', page.text)
    assert authorize is not None
    state = parse_qs(urlparse(authorize.group(1).replace("&amp;", "&")).query)["state"][0]
    cookie = page.headers["set-cookie"].split(";")[0]
    done = httpx.get(
        f"{app.url}/slack/oauth_redirect", params={"code": code, "state": state}, headers={"Cookie": cookie}
    )
    assert done.status_code == 200, done.text
