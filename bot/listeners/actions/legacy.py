"""Legacy attachment buttons (`interactive_message`): Slack still sends them for old messages. Answered with a
short ephemeral note instead of Bolt's 404, which Slack shows the user as an error."""

from __future__ import annotations

from slack_bolt import Ack

from bot.messages import LEGACY_BUTTON

__all__ = ["handle_legacy_button_press"]


def handle_legacy_button_press(ack: Ack) -> None:
    ack({"text": LEGACY_BUTTON, "response_type": "ephemeral", "replace_original": False})
