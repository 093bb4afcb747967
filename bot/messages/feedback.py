"""Capturing notes: /feedback, the feedback modal, the message shortcut."""

from __future__ import annotations

OPEN_FAILED = "Slack could not open the form in time. Please run `/feedback` again."
STORE_FAILED = "Sorry, your note could not be saved just now. Please send it again in a moment."
# Shown on the modal's field, which keeps what the rep wrote: they can submit again.
SAVE_FAILED_IN_MODAL = "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."
EMPTY_NOTE = "Please say what the customer said: the note cannot be empty."
EMPTY_AFTER_ACCOUNT = (
    "Nothing was saved: write what the customer said after the colon, "
    "e.g. `Acme: they think we cost twice what Gong does`."
)
PROMPT_NOT_YOURS = "That prompt is not yours or no longer exists; use /feedback to log a note."
ALREADY_LOGGED = "Feedback for this call was already logged (or the prompt was skipped); nothing saved."
