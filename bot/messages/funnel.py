"""The funnel, accounts and drill-down: what admins, marketers and reps read about stages and segments."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.text import escape, truncate

STAGES_USAGE = '`/fieldnotes stages list | map "<CRM stage>" <stage>`'
FUNNEL_USAGE = "`/fieldnotes funnel [<label>] [30d|90d]`"
ACCOUNT_USAGE = '`/fieldnotes account <name>` or `/fieldnotes account <name> note "<text>"`'

UNKNOWN_STAGE = "`{stage}` is not a stage. The stages are: {stages}.{nearest}"
NEAREST = " Did you mean `{name}`?"
MAPPED = "CRM stage *{crm}* now counts as *{stage}*.{applied}"
APPLIED = " {count} earlier {notes} got that stage."
NO_STAGES_SEEN = "No CRM stage names have come in on the call webhook yet."
UNMAPPED_HINT = 'Map one with `/fieldnotes stages map "<CRM stage>" <stage>`.'

NO_ACCOUNT = "No account called *{name}* has notes or calls yet.{nearest}"
ACCOUNT_NEAREST = " Closest: {names}."
NO_LABEL = "`{label}` is not a theme, objection or competitor of this workspace.{nearest}"
EMPTY_MARKETING_NOTE = 'Write the note in quotes: `/fieldnotes account <name> note "logistics campaign in Q1"`.'
MARKETING_NOTE_SAVED = "Pinned to *{target}*: reps see it in their next prompt for {whom}."
MARKETING_NOTE_TOO_LONG = "A marketing note can be at most {limit} characters; nothing was saved."

NOTES_NOT_FOR_GUESTS = "The notes behind the digest are for members of the workspace, not guests."
NOTES_FOR_MARKETERS = "Only marketers and admins can see the notes behind a count."
ASK_AN_ADMIN = " Ask an admin ({mentions}) to add you with `/fieldnotes marketers add`."


def _closest(names: Sequence[str]) -> str:
    return ACCOUNT_NEAREST.format(names=escape(", ".join(names))) if names else ""


def no_account(typed: str, nearest: Sequence[str]) -> str:
    """What was typed (and the known names) escaped: `<!channel>` in a name pings no one."""
    return NO_ACCOUNT.format(name=escape(truncate(typed, 100)), nearest=_closest(nearest))


def no_label(typed: str, nearest: Sequence[str]) -> str:
    return NO_LABEL.format(label=escape(truncate(typed, 100)), nearest=_closest(nearest))


def unknown_stage(typed: str, stages: Sequence[str], nearest: str | None) -> str:
    return UNKNOWN_STAGE.format(
        stage=escape(truncate(typed, 60)),
        stages=", ".join(stages),
        nearest=NEAREST.format(name=nearest) if nearest else "",
    )
