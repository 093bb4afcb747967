"""Test doubles for Slack: a fake Web API server, a signed-request sender, a fake Socket Mode server.

from tests.fakes import FakeSlack, SlackSender
"""

from tests.fakes.slack_api import DEFAULT_SCOPES, Call, FakeFile, FakeSlack, SlackApiError

__all__ = ["DEFAULT_SCOPES", "Call", "FakeFile", "FakeSlack", "SlackApiError"]
