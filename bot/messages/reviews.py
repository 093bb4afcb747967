"""Reviews: marketers asking reps to review a draft."""

from __future__ import annotations

WRITE_QUESTION = "Ask the reps a question about the draft."
GIVE_DRAFT = "Share the draft: paste its text, give a link, or attach a file."
PICK_REPS = "Pick reps, or a segment whose reps should review it."
NO_REPS = "Nobody to ask: pick reps, or a segment reps have written notes about in the last 90 days."
PICK_RATING = "Pick a rating from 1 to 5."
REVIEW_GONE = "That review no longer exists."
NOT_ASKED = "This review was asked of other reps: only they can answer it."
ALREADY_ANSWERED = "You already answered this review: thanks!"
OPENING = "Opening the review form…"


def sent(n: int) -> str:
    return f"Sent to {n} {'rep' if n == 1 else 'reps'}: their answers collect in this message's thread."
