"""The post-call prompt DM and the end-of-day check-in."""

from __future__ import annotations

ALREADY_DONE = "That prompt was already taken care of, so nothing changed. `/feedback` logs a note any time."
