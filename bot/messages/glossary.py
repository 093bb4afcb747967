"""The glossary: labels' definitions, proposals and vocabulary drift."""

from __future__ import annotations

from collections.abc import Iterable

from bot.blocks.text import escape, truncate

WRITE_DEFINITION = "Write the definition: one line saying what the label means."
NAME_THE_LABEL = "Name the label (a theme or an objection)."
PROPOSAL_GONE = "That proposal no longer exists."
ALREADY_DECIDED = "That proposal was already decided."
PROPOSED = "Thanks: your proposal is with the admins, who approve it from their App Home."
GLOSSARY_HINT = "What do these labels mean? `/fieldnotes glossary &lt;label&gt;`"


def no_such_term(term: str, names: Iterable[str]) -> str:
    some = escape(", ".join(sorted(names)[:12]))
    shown = escape(truncate(term, 100))
    return f"No label called “{shown}” in the glossary. Try one of: {some}. Or propose it with the button below."


def too_long(limit: int) -> str:
    return f"Keep it under {limit:,} characters."


def decided(approved: bool, kind: str, label: str) -> str:
    verb = "approved" if approved else "declined"
    return f"An admin {verb} your proposed definition of the {kind} “{escape(label)}”."
