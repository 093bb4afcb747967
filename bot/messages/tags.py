"""*Fix tags* on a stored note."""

from __future__ import annotations

NOT_YOURS = "Only the rep who wrote that note (or an admin) can fix its tags."
FIX_NOT_YOURS = "Only the rep who wrote this note (or an admin) can fix its tags."
NOTE_GONE = "That note no longer exists."
