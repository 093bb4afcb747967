"""The digest's "In the field" line: ride-alongs held and what marketing learned on them."""

from __future__ import annotations

from bot.blocks.text import plain
from bot.services.digest_learning import LearningLine

__all__ = ["learning_text"]


def learning_text(line: LearningLine | None) -> str:
    if line is None:
        return ""
    parts = []
    if line.ridealongs:
        n = line.ridealongs
        text = f"*In the field*: marketing joined {n} {'call' if n == 1 else 'calls'} with reps (ride-alongs)."
        for quote in line.quotes:
            text += f"\n> “{plain(quote.text, 300)}” (<@{quote.marketer_user_id}>, with {plain(quote.account, 100)})"
        parts.append(text)
    if line.review_answers:
        n, reviews = line.review_answers, line.reviews_answered
        parts.append(
            f"*Reviews*: reps answered {n} {'time' if n == 1 else 'times'} on "
            f"{reviews} of marketing's {'draft' if reviews == 1 else 'drafts'}."
        )
    return "\n".join(parts)
