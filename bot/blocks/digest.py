"""The weekly digest as a Slack message: a pure function from DigestData to Block Kit dicts.

Slack's limits are kept by construction: lines are added to a section only while they fit (the rest
becomes "and N more"), and if the message would exceed 50 blocks the longest top lists are shortened
until it fits.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.drilldown import see_notes_button
from bot.blocks.funnel import build_funnel_blocks, counted_lines
from bot.blocks.learning import learning_text
from bot.blocks.text import escape, plain
from bot.messages.glossary import GLOSSARY_HINT
from bot.services.digest import DigestData, LabelLine
from bot.services.drilldown import DrillQuery
from nlp.taxonomy import KINDS

__all__ = ["build_digest", "button_value", "period_title"]

QUOTE_CHARS = 280

TITLES = {"theme": "Top themes", "objection": "Top objections", "competitor": "Competitors mentioned"}
NOUNS = {"theme": "themes", "objection": "objections", "competitor": "competitors"}


def period_title(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{first:%-d %b %Y} – {last:%-d %b %Y}"
    if first.month != last.month:
        return f"{first:%-d %b} – {last:%-d %b %Y}"
    return f"{first:%-d}–{last:%-d %b %Y}"


def button_value(data: DigestData, kind: str, label: str) -> str:
    """What the Reply/Ask buttons carry: the run, the label and the period ("e" is exclusive)."""
    end = data.period.last_day + timedelta(days=1)
    payload: dict[str, object] = {
        "r": data.run_id,
        "k": kind,
        "l": label,
        "s": data.period.first_day.isoformat(),
        "e": end.isoformat(),
    }
    if data.period.tz != "UTC":  # the dates are days in the schedule's timezone
        payload["z"] = data.period.tz
    value = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    if len(value) > kit.BUTTON_VALUE:  # only a pathological label gets here
        payload["l"] = label[: max(1, len(label) - (len(value) - kit.BUTTON_VALUE) - 1)]
        value = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return value


def build_digest(data: DigestData) -> dict[str, Any]:
    """{"text": notification fallback, "blocks": [...]} for chat.postMessage."""
    limits = {kind: len(data.top.get(kind, ())) for kind in KINDS}
    blocks = _assemble(data, limits)
    while len(blocks) > kit.MESSAGE_BLOCKS and any(limits.values()):
        biggest = max(KINDS, key=lambda k: (limits[k], -KINDS.index(k)))
        limits[biggest] -= 1
        blocks = _assemble(data, limits)
    return {"text": _fallback_text(data), "blocks": blocks[: kit.MESSAGE_BLOCKS]}


# ---- assembly ----------------------------------------------------------------------------------------
def _assemble(data: DigestData, limits: dict[str, int]) -> list[dict[str, Any]]:
    title = period_title(data.period.first_day, data.period.last_day)
    blocks: list[dict[str, Any]] = [kit.header(f"Field Notes digest · {title}")]
    if data.notes == 0:
        blocks.append(kit.section(_empty_text(data)))
        if data.learning is not None:
            blocks.append(kit.section(learning_text(data.learning)))
        blocks.append(kit.context(_footer(data)))
        return blocks
    blocks.append(_summary(data))
    for kind in KINDS:
        lines = data.top.get(kind, ())
        if not lines:
            continue
        blocks.append({"type": "divider"})
        blocks.append(kit.section(f"*{TITLES[kind]}*"))
        shown = lines[: limits[kind]]
        for index, line in enumerate(shown):
            blocks.append(kit.section(_label_text(line), block_id=f"digest:{kind}:{index}"))
            blocks.append(_buttons(data, kind, line, index))
        hidden = len(lines) - len(shown) + data.more.get(kind, 0)
        if hidden:
            noun = NOUNS[kind] if hidden > 1 else NOUNS[kind][:-1]
            blocks.append(kit.context(f"and {hidden} more {noun}"))
    funnel = build_funnel_blocks(
        data.funnel,
        lost=data.lost_objections,
        wanted_total=data.content_total,
        wanted=data.content_requests,
        base=_everything(data),
    )
    present = [text for text in (_spikes(data), _emerging(data), _loop(data), learning_text(data.learning)) if text]
    if funnel or present:
        blocks.append({"type": "divider"})
        blocks.extend(funnel)
        blocks.extend(kit.section(text) for text in present)
    blocks.append(kit.context(_footer(data)))
    return blocks


def _summary(data: DigestData) -> dict[str, Any]:
    fields = [
        f"*Notes*\n{data.notes}",
        f"*Reps reporting*\n{data.reps}",
    ]
    rate = data.response_rate
    if rate is not None:
        fields.append(f"*Response rate*\n{rate:.0%} ({data.prompts_answered} of {data.prompts_sent} prompts)")
    if data.outcomes:
        shown = data.outcomes[:6]
        text = " · ".join(f"{escape(name)} {count}" for name, count in shown)
        if len(data.outcomes) > len(shown):
            text += f" · and {len(data.outcomes) - len(shown)} more"
        fields.append(f"*Outcomes*\n{text}")
    return {"type": "section", "fields": [kit.mrkdwn(f, kit.FIELD_TEXT) for f in fields[: kit.FIELDS]]}


def _change(line: LabelLine) -> str:
    if line.change > 0:
        return f"▲ +{line.change} vs last week"
    if line.change < 0:
        return f"▼ −{-line.change} vs last week"
    return "= same as last week"


def _label_text(line: LabelLine) -> str:
    text = f"*{plain(line.label, 200)}*  {line.count}  {_change(line)}"
    if line.spike:
        text += f"  :rotating_light: spike ({_ratio(line)})"
    for quote in line.quotes:
        said = plain(quote.text, QUOTE_CHARS)
        who = f" — <@{quote.author}>" if quote.author else ""
        text += f"\n> “{said}”{who}"
    return text


def _ratio(line: LabelLine) -> str:
    if not line.average:
        return "new this week"
    return f"{line.count / line.average:.1f}× the 4-week average of {line.average:.1f}"


def _buttons(data: DigestData, kind: str, line: LabelLine, index: int) -> dict[str, Any]:
    value = button_value(data, kind, line.label)
    return {
        "type": "actions",
        "block_id": f"digest_actions:{kind}:{index}",
        "elements": [
            kit.button("Reply to reps", ids.ACTION_REPLY_TO_REPS, value),
            kit.button("Ask reps", ids.ACTION_ASK_REPS, value),
            see_notes_button(line.count, replace(_everything(data), kind=kind, label=line.label)),
        ],
    }


def _everything(data: DigestData) -> DrillQuery:
    """The drill-down query of every note of the digest's period; buttons narrow it."""
    return DrillQuery(start=data.period.start, end=data.period.end, tz=data.period.tz)


def _spikes(data: DigestData) -> str:
    if not data.spikes:
        return ""
    items = [f"*{plain(ln.label, 200)}* ({ln.kind}): {ln.count} this week, {_ratio(ln)}" for ln in data.spikes]
    return counted_lines(":rotating_light: *Spikes*", items)


def _emerging(data: DigestData) -> str:
    if not data.emerging:
        return ""
    return kit.fit("*Emerging terms*: " + ", ".join(f"`{plain(term, 60)}`" for term in data.emerging), kit.SECTION_TEXT)


def _loop(data: DigestData) -> str:
    if data.loop is None:
        return ""
    loop = data.loop
    text = (
        f"*Closing the loop*: {loop.replies_sent} {'reply' if loop.replies_sent == 1 else 'replies'} sent to reps, "
        f"{loop.labels_answered} {'topic' if loop.labels_answered == 1 else 'topics'} answered."
    )
    if loop.open_rising:
        rising = ", ".join(f"{plain(label, 100)} ({kind})" for kind, label in loop.open_rising[:10])
        text += f"\nRising with no answer yet: {rising}"
    return text


def _empty_text(data: DigestData) -> str:
    text = "No feedback was logged this week, so there is nothing to sum up. :seedling:"
    if data.prompts_sent:
        text += f"\n{data.prompts_sent} prompts went out and {data.prompts_answered} were answered."
    return text + "\nReps can log a note any time with `/feedback`, or answer the prompt after their calls."


def _footer(data: DigestData) -> str:
    first, last = data.period.first_day, data.period.last_day
    text = f"Covers {first:%a %-d %b} – {last:%a %-d %b %Y} ({escape(data.period.tz)})"
    if data.chart_series:
        text += " · theme chart in the thread"
    if data.notes:
        text += f" · {GLOSSARY_HINT}"
    return text


def _fallback_text(data: DigestData) -> str:
    title = period_title(data.period.first_day, data.period.last_day)
    if data.notes == 0:
        return f"Field Notes digest for {title}: no feedback this week."
    text = f"Field Notes digest for {title}: {data.notes} notes from {data.reps} reps"
    themes = data.top.get("theme", ())
    if themes:
        text += f"; top theme {escape(themes[0].label)} ({themes[0].count})"
    return text + "."
