"""The answers of `/fieldnotes stages`, `funnel` and `account`, built from their results; every count a marketer
reads has a *See* button that opens the notes behind it. Pure functions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.blocks import kit
from bot.blocks.drilldown import see_notes_button
from bot.blocks.funnel import counted_lines, stage_buttons, where_text
from bot.blocks.text import plain
from bot.messages import funnel as say
from bot.services.admin import funnel_cmds as f
from bot.services.admin.results import Result
from bot.services.drilldown import DrillQuery
from bot.services.stages import DEFAULT_STAGES

__all__ = ["build_funnel_reply"]

KIND_TITLES = {"theme": "Themes", "objection": "Objections", "competitor": "Competitors"}


def build_funnel_reply(result: Result) -> dict[str, Any] | None:
    """`{"text", "blocks"}` for a result of these commands; None for any other result."""
    if isinstance(result, f.StagesListed):
        return {"text": _stages_listed(result), "blocks": None}
    if isinstance(result, f.StageMapped):
        mapped = result.mapped
        applied = say.APPLIED.format(count=mapped.notes_changed, notes="note" if mapped.notes_changed == 1 else "notes")
        text = say.MAPPED.format(
            crm=plain(mapped.crm_name, 200), stage=mapped.stage, applied=applied if mapped.notes_changed else ""
        )
        return {"text": text, "blocks": None}
    if isinstance(result, f.FunnelShown):
        return _funnel(result)
    if isinstance(result, f.LabelFunnelShown):
        return _label_funnel(result)
    if isinstance(result, f.AccountShown):
        return _account(result)
    if isinstance(result, f.AccountNoted):
        whom = "accounts in that segment" if result.segment else "that account"
        return {"text": say.MARKETING_NOTE_SAVED.format(target=plain(result.target, 200), whom=whom), "blocks": None}
    return None


def _stages_listed(result: f.StagesListed) -> str:
    listing = result.listing
    text = "*Deal stages*: " + " → ".join(listing.stages)
    if listing.mapped:
        items = [f"{plain(crm, 100)} → {stage} ({calls} calls)" for crm, stage, calls in listing.mapped]
        text = counted_lines(text + f"\n*CRM names mapped* ({len(items)})", items, 1500)
    if listing.unmapped:
        items = [f"{plain(crm, 100)} ({calls} calls)" for crm, calls in listing.unmapped]
        text = counted_lines(text + f"\n*Not mapped yet* ({len(items)})", items, 2800)
        text += "\n" + say.UNMAPPED_HINT
    if not listing.mapped and not listing.unmapped:
        text += "\n" + say.NO_STAGES_SEEN
    return text


def _funnel(result: f.FunnelShown) -> dict[str, Any]:
    title = f"The funnel, last {result.days} days"
    if not result.funnel.has_stages:
        return {"text": f"*{title}*: no notes with a deal stage yet.", "blocks": None}
    base = DrillQuery(start=result.start, end=result.end)
    blocks = [
        kit.section(f"*{title}*\n" + where_text(result.funnel)),
        stage_buttons(base, [(s.stage, s.notes) for s in result.funnel.stages], "funnel_notes"),
    ]
    return {"text": title, "blocks": blocks}


def _counts(items: tuple[tuple[str, int], ...], none: int, nothing: str) -> str:
    parts = [f"{plain(name, 60)} {n}" for name, n in items] + ([f"{nothing} {none}"] if none else [])
    return " · ".join(parts) or "–"


def _label_funnel(result: f.LabelFunnelShown) -> dict[str, Any]:
    a = result.answer
    head = (
        f"*{plain(a.label, 200)}* ({a.kind}), last {a.days} days: *{a.total:,}* {'note' if a.total == 1 else 'notes'}"
    )
    if not a.total:
        return {"text": head, "blocks": None}
    text = (
        f"{head}\n*By stage*: {_counts(a.stages, a.unstaged, 'no stage')}"
        f"\n*By segment*: {_counts(a.segments, a.unsegmented, 'no segment')}"
    )
    for quote in a.quotes:
        text += f"\n> “{plain(quote, 300)}”"
    base = DrillQuery(start=a.start, end=a.end, kind=a.kind, label=a.label)
    blocks = [
        kit.section(kit.fit(text, kit.SECTION_TEXT)),
        {"type": "actions", "block_id": "funnel_label_all", "elements": [see_notes_button(a.total, base)]},
    ]
    if a.stages:
        blocks.append(stage_buttons(base, list(a.stages), "funnel_label_stages"))
    return {"text": f"{a.label}: {a.total} notes", "blocks": blocks}


def _account(result: f.AccountShown) -> dict[str, Any]:
    view = result.view
    facts = [plain(x, 64) for x in (view.segment, view.industry, view.company_size, view.region) if x]
    text = f"*{plain(view.name, 200)}*" + (f" · {' · '.join(facts)}" if facts else "")
    if view.first and view.last:
        noun = "note" if view.notes == 1 else "notes"
        text += f"\n*{view.notes:,}* {noun}, {view.first:%-d %b %Y} – {view.last:%-d %b %Y}"
    else:
        text += "\nNo notes yet."
    if view.stages:
        text += "\n*Stages*: " + " → ".join(f"{s} {n}" for s, n in view.stages if s in DEFAULT_STAGES)
    for kind, title in KIND_TITLES.items():
        if view.labels.get(kind):
            text += f"\n*{title}*: " + ", ".join(f"{plain(label, 60)} {n}" for label, n in view.labels[kind])
    if view.reps:
        text += "\n*Who spoke to them*: " + ", ".join(f"<@{rep}>" for rep in view.reps)
    sections = [kit.section(kit.fit(text, kit.SECTION_TEXT))]
    if view.recent:
        lines = []
        for at, stage, said, rep in view.recent:
            who = f" — <@{rep}>" if rep else ""
            lines.append(f"{at:%-d %b}{' · ' + stage if stage else ''}: “{plain(said, 400)}”{who}")
        sections.append(kit.section(counted_lines("*Latest notes*", lines, kit.SECTION_TEXT)))
    if view.marketing:
        sections.append(kit.section(counted_lines("*From marketing*", [plain(t, 500) for t in view.marketing])))
    if view.notes and view.first:
        query = DrillQuery(start=view.first, end=result.end + timedelta(seconds=1), account=view.name)
        sections.append(
            {"type": "actions", "block_id": "account_notes", "elements": [see_notes_button(view.notes, query)]}
        )
    return {"text": f"{view.name}: {view.notes} notes", "blocks": sections}
