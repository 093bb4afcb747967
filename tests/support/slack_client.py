"""The bot token the fake Slack's own tests use."""

from __future__ import annotations

__all__ = ["BOT_TOKEN"]

BOT_TOKEN = "xoxb-fake-token"
