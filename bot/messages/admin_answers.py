"""What `/fieldnotes` answers after a command ran: one function per result (bot/services/admin/results.py).

mrkdwn: names and phrases people typed are escaped here; mentions and channels are Slack's own references.
"""

from __future__ import annotations

from bot.blocks.text import escape, truncate
from bot.services.admin import results as r
from bot.services.admin.values import WEEKDAYS, format_days
from bot.services.schedule import zone
from bot.services.vendors import Retagged, VendorCandidate
from bot.services.workspaces import QuestionDef

__all__ = [
    "checkin_set",
    "competitor_added",
    "competitor_removed",
    "competitors_listed",
    "digest_added",
    "digest_already_scheduled",
    "digest_removed",
    "digests_listed",
    "label_added",
    "label_removed",
    "labels_listed",
    "my_stats",
    "nudge_set",
    "people_added",
    "people_listed",
    "people_removed",
    "prompt_delay_set",
    "prompts_shown",
    "question_added",
    "question_moved",
    "question_removed",
    "questions_listed",
    "quotes_set",
    "replies_set",
    "retention_set",
    "settings_shown",
    "webhook_rotated",
    "webhook_shown",
]

DIGEST_PREVIEW = "Digest preview (last 7 days)"


def _plural(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"


def my_stats(s: r.MyStats) -> str:
    if not s.logged:
        return "You haven't logged any feedback yet. Try `/feedback` after your next call."
    lines = [
        "*Your Field Notes*",
        f"• Notes: {s.this_week} this week · {s.last_30_days} in the last 30 days · {s.total} in all",
        f"• Streak: {s.streak} {_plural(s.streak, 'week')} in a row with a note",
    ]
    if s.top:
        lines.append("• You hear most about: " + ", ".join(f"{escape(label)} ({n})" for label, n in s.top))
    return "\n".join(lines)


# ---- questions -------------------------------------------------------------------------------------------
def _questions_text(items: tuple[QuestionDef, ...]) -> str:
    lines = ["*Questions in the feedback form*"]
    for i, q in enumerate(items, start=1):
        extra = f" ({escape(truncate(', '.join(q.options), 120))})" if q.options else ""
        optional = ", optional" if q.optional else ""
        lines.append(f"{i}. {escape(q.label)} — {q.type}{optional}{extra}")
    lines.append("Change with `/fieldnotes questions add | remove <n> | move <n> <m>`.")
    return "\n".join(lines)


def questions_listed(s: r.QuestionsListed) -> str:
    return _questions_text(s.items)


def question_added(s: r.QuestionAdded) -> str:
    return f"Added question {s.position}: “{escape(s.label)}” ({s.type}). The next feedback form shows it."


def question_removed(s: r.QuestionRemoved) -> str:
    return f"Removed question {s.position}: “{escape(s.label)}”. Notes already saved keep their answers."


def question_moved(s: r.QuestionMoved) -> str:
    return f"Moved “{escape(s.label)}” to place {s.to}.\n" + _questions_text(s.items)


# ---- prompts and settings ---------------------------------------------------------------------------------
def prompts_shown(s: r.PromptsShown) -> str:
    nudge = f"after {s.nudge_hours} h" if s.nudge_hours else "off"
    checkin = f"{format_days(s.checkin_days)} at {s.checkin_time} (each rep's local time)" if s.checkin_days else "off"
    return (
        f"*Prompts*\n• After a call: {s.delay_minutes} min (never 18:00–08:00 the rep's time)\n"
        f"• Nudge: {nudge}\n• Expires after: {s.expiry_hours} h\n• End-of-day check-in: {checkin}"
    )


def prompt_delay_set(s: r.PromptDelaySet) -> str:
    return f"Reps are now asked {s.minutes} min after a call ends."


def nudge_set(s: r.NudgeSet) -> str:
    return "Nudges are off." if s.hours is None else f"Unanswered prompts get one nudge after {s.hours} h."


def checkin_set(s: r.CheckinSet) -> str:
    if not s.days:
        return "End-of-day check-ins are off."
    return (
        f"End-of-day check-ins: {format_days(s.days)} at {s.time}, each rep's local time, "
        "for reps who logged nothing that day."
    )


def settings_shown(s: r.SettingsShown) -> str:
    keep = f"{s.retention_days} days" if s.retention_days else "forever"
    replies = "marketers, admins and digest channel members" if s.replies_by_channel_members else "marketers and admins"
    return f"*Settings*\n• Quotes in digests: {s.quotes}\n• Notes are kept: {keep}\n• Replies to reps from: {replies}"


def quotes_set(s: r.QuotesSet) -> str:
    who = "with the rep's name" if s.mode == "attributed" else "without names"
    return f"Digest quotes are now {s.mode} ({who})."


def retention_set(s: r.RetentionSet) -> str:
    if s.days is None:
        return "Notes are now kept forever."
    return f"Notes older than {s.days} days will be deleted (with their tags and answers) every night."


def replies_set(s: r.RepliesSet) -> str:
    if s.channel_members:
        return "Members of a digest's channel may now reply to and ask reps from it, as marketers and admins can."
    return "Only marketers and admins may now reply to and ask reps from a digest."


# ---- digests ---------------------------------------------------------------------------------------------
def _when(s: r.DigestSchedule) -> str:
    return f"{WEEKDAYS[s.weekday].capitalize()} {s.hour:02d}:{s.minute:02d} {s.tz}"


def digests_listed(s: r.DigestsListed) -> str:
    if not s.schedules:
        return "No digests are scheduled. Add one: `/fieldnotes digests add #channel [mon 09:00 [Europe/London]]`."
    lines = ["*Digest schedules*"]
    for row in s.schedules:
        nxt = row.next_at.astimezone(zone(row.tz))
        lines.append(f"• {row.id}: <#{row.channel_id}> every {_when(row)} — next {nxt:%a %d %b %H:%M}")
    return "\n".join(lines)


def digest_added(s: r.DigestAdded) -> str:
    row = s.schedule
    first = row.next_at.astimezone(zone(row.tz))
    return (
        f"Scheduled digest {row.id}: <#{row.channel_id}> every {_when(row)}. "
        f"The first one comes {first:%a %d %b %Y %H:%M %Z}, covering the week before."
    )


def digest_already_scheduled(s: r.DigestAlreadyScheduled) -> str:
    return f"That digest is already scheduled (schedule {s.schedule_id})."


def digest_removed(s: r.DigestRemoved) -> str:
    return f"Removed digest schedule {s.schedule_id}."


# ---- taxonomy --------------------------------------------------------------------------------------------
def labels_listed(s: r.LabelsListed) -> str:
    lines = [f"*{s.kind.capitalize()}s* ({len(s.labels)})"]
    for label in s.labels:
        phrases = f" — {escape(truncate(', '.join(label.items), 150))}" if label.items else ""
        lines.append(f"• {escape(label.name)}{phrases}")
    return "\n".join(lines)


def label_added(s: r.LabelAdded) -> str:
    said = f" matching “{escape(', '.join(s.phrases))}”" if s.phrases else ""
    if s.existing is not None:
        return f"The {s.kind} “{escape(s.existing)}” now also matches{said or ' nothing new'}."
    return f"Added the {s.kind} “{escape(s.name)}”{said}. New notes are tagged with it from now on."


def label_removed(s: r.LabelRemoved) -> str:
    return f"Removed the {s.kind} “{escape(s.name)}”. Notes already tagged keep the tag."


def competitors_listed(s: r.CompetitorsListed) -> str:
    lines = [f"*Competitors* ({len(s.competitors)})"]
    for c in s.competitors:
        aliases = f" — {escape(truncate(', '.join(c.items), 150))}" if c.items else ""
        lines.append(f"• {escape(c.name)}{aliases}")
    return "\n".join([*lines, *_candidates_lines(s.candidates)])


def _candidates_lines(found: tuple[VendorCandidate, ...]) -> list[str]:
    """Vendors notes compare with, not on the list."""
    if not found:
        return []
    lines = ["", f"*Candidates* ({len(found)}): named in notes with a comparison, not on the list"]
    for c in found:
        quote = escape(truncate(c.quote, 150))
        lines.append(f"• {escape(truncate(c.name, 100))} — {c.notes} {_plural(c.notes, 'note')}, latest: “{quote}”")
    lines.append("Add one with `/fieldnotes competitors add <name>`: past notes that name it are re-tagged.")
    return lines


def _retagged_text(retagged: Retagged) -> str:
    if not retagged.looked_at:
        return ""
    notes = _plural(retagged.tagged, "note")
    return f" Re-tagged the past notes that name it: {retagged.tagged} {notes} now count it."


def competitor_added(s: r.CompetitorAdded) -> str:
    aka = f" (also “{escape(', '.join(s.aliases))}”)" if s.aliases else ""
    past = _retagged_text(s.retagged)
    if s.existing is not None:
        return f"Competitor “{escape(s.existing)}” updated{aka}.{past}"
    return f"Added competitor “{escape(s.name)}”{aka}. New notes that mention it are tagged.{past}"


def competitor_removed(s: r.CompetitorRemoved) -> str:
    return f"Removed competitor “{escape(s.name)}”. Notes already tagged keep the tag."


# ---- people and the webhook -------------------------------------------------------------------------------
_ROLE_DOES = {
    "rep": "Reps get post-call prompts and check-ins.",
    "admin": "Admins can change everything with /fieldnotes (Slack workspace admins and owners can too).",
    "marketer": "Marketers can reply to reps from the digest.",
}


def _mentions(user_ids: tuple[str, ...]) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids)


def people_listed(s: r.PeopleListed) -> str:
    plural = f"{s.role}s"
    if not s.user_ids:
        return f"No {plural} yet. Add some: `/fieldnotes {plural} add @someone`. {_ROLE_DOES[s.role]}"
    return f"*{plural.capitalize()}* ({len(s.user_ids)}): {_mentions(s.user_ids)}\n{_ROLE_DOES[s.role]}"


def people_added(s: r.PeopleAdded) -> str:
    text = f"Added to {s.role}s: {_mentions(s.added)}." if s.added else ""
    if s.already:
        text += f" Already {s.role}s: {_mentions(s.already)}."
    return text.strip()


def people_removed(s: r.PeopleRemoved) -> str:
    text = f"Removed from {s.role}s: {_mentions(s.removed)}." if s.removed else ""
    if s.missing:
        text += f" Not {s.role}s: {_mentions(s.missing)}."
    return text.strip()


def webhook_shown(s: r.WebhookShown) -> str:
    return "\n".join(
        [
            "*Call webhook* (keep the secret private)",
            f"URL: `{s.url}`",
            f"Secret: `{s.secret}`",
            "Sign each POST with the headers `X-Fieldnotes-Timestamp: <unix seconds>` and "
            "`X-Fieldnotes-Signature: v1=<hex>`, the HMAC-SHA256 of `v1:<timestamp>:<body>` with the secret.",
            "`/fieldnotes webhook rotate` makes a new secret; the old one works 24 hours more.",
        ]
    )


def webhook_rotated(s: r.WebhookRotated) -> str:
    return (
        f"New webhook secret: `{s.secret}`\nThe old one keeps working until {s.old_until:%Y-%m-%d %H:%M} UTC: switch "
        "your CRM or dialer over before then. Keep the secret private."
    )
