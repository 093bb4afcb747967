"""The digest's "In the field" line: ride-alongs held and what marketing learned on them."""

from __future__ import annotations

from bot.blocks.text import plain
from bot.services.digest_learning import LearningLine

__all__ = ["learning_text"]


def learning_text(line: LearningLine | None) -> str:
    if line is None:
        return ""
    n = line.ridealongs
    text = f"*In the field*: marketing joined {n} {'call' if n == 1 else 'calls'} with reps (ride-alongs)."
    for quote in line.quotes:
        text += f"\n> “{plain(quote.text, 300)}” (<@{quote.marketer_user_id}>, with {plain(quote.account, 100)})"
    return text
