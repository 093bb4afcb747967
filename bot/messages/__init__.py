"""What the app says to people, one module per feature, written to say what to do next.

Block Kit layouts live in bot/blocks/; the sentences they and the listeners show live here.
"""

from __future__ import annotations

__all__ = ["LEGACY_BUTTON", "apology"]

# Slack still sends legacy attachment buttons (`interactive_message`) for old messages.
LEGACY_BUTTON = (
    "That button belongs to an older kind of Slack message that Field Notes no longer answers. "
    "Use `/feedback` to log a note, or `/fieldnotes help` for everything else."
)


def apology(reference: str) -> str:
    """For a failure that is ours: short, says nothing was lost twice, and gives the log's reference."""
    return (
        f"Sorry, something went wrong on our side (reference `{reference}`). Please try again in a minute; "
        "if it keeps happening, give your admin that reference."
    )
