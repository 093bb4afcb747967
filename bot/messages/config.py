"""Operator-facing text: settings that stop the app from starting."""

from __future__ import annotations

MISSING_SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page "
    "into the environment or .env."
)
MISSING_BOT_TOKEN = (
    "SLACK_BOT_TOKEN is not set: install the app to your workspace and copy the xoxb- token "
    "(or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for multi-workspace OAuth)."
)
