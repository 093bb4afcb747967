"""User- and operator-facing text that is not Block Kit, gathered so it reads as one voice."""

from __future__ import annotations

MISSING_SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page "
    "into the environment or .env."
)
MISSING_BOT_TOKEN = (
    "SLACK_BOT_TOKEN is not set: install the app to your workspace and copy the xoxb- token "
    "(or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for multi-workspace OAuth)."
)
MISSING_WEBHOOK_SECRET = "FIELDNOTES_WEBHOOK_SECRET is not set: the call webhook refuses every request until it is."
SOMETHING_WENT_WRONG = "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."
