"""Notes typed in the app's DM (Messages tab)."""

from __future__ import annotations

NOT_A_NOTE = (
    "Type what the customer said and I'll save it as a note, e.g. `Acme: they think we cost twice what Gong does`."
)
REMOVED = ":wastebasket: You deleted that message, so I removed its note."
TOO_LATE_TO_EDIT = (
    "That note was saved more than 10 minutes ago, so editing the message no longer changes it. "
    "To correct its tags, use *Fix tags*; to add something, send a new message."
)
TOO_LATE_TO_DELETE = (
    "That note was saved more than 10 minutes ago, so deleting the message no longer removes it. "
    "If its tags are wrong, *Fix tags* corrects them; an admin can tell you how to remove it."
)
EDIT_REFUSED = "I kept the note as it was: {why}"
