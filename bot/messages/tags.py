"""*Fix tags* on a stored note."""

from __future__ import annotations

NOT_YOURS = "Only the rep who wrote that note (or an admin) can fix its tags."
FIX_NOT_YOURS = "Only the rep who wrote this note (or an admin) can fix its tags."
NOTE_GONE = "That note no longer exists."
CONFIRM_NOT_YOURS = "Only the rep who wrote this note (or an admin) can add tags to it."
LABEL_GONE = "That label is no longer in this workspace's list, so it was not added. *Fix tags* shows the current ones."
