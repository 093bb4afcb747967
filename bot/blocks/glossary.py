"""Block Kit for the glossary: the list (or one label with quotes), the proposal modal, and the admins' App Home
section with open proposals and vocabulary drift."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain
from bot.services.glossary import MAX_DEFINITION, Drift, Entry, Proposal

__all__ = [
    "DEFINITION_BLOCK",
    "DEFINITION_INPUT",
    "KIND_BLOCK",
    "KIND_INPUT",
    "LABEL_BLOCK",
    "LABEL_INPUT",
    "build_glossary",
    "build_glossary_admin_section",
    "build_propose_modal",
]

KIND_BLOCK, KIND_INPUT = "kind", "kind_input"
LABEL_BLOCK, LABEL_INPUT = "label", "label_input"
DEFINITION_BLOCK, DEFINITION_INPUT = "definition", "definition_input"
KIND_TITLES = {"theme": "Themes", "objection": "Objections"}


def _entry_text(entry: Entry, *, full: bool) -> str:
    text = f"*{plain(entry.name, 150)}* ({entry.kind}): {plain(entry.definition or 'no definition yet', 600)}"
    if full:
        if entry.counts:
            text += f"\n*Counts:* {plain(entry.counts, 600)}"
        if entry.excludes:
            text += f"\n*Does not count:* {plain(entry.excludes, 600)}"
        for quote in entry.quotes:
            text += f"\n> “{plain(quote, 300)}”"
        if not entry.quotes:
            text += "\n_No notes carry it yet._"
    return text


def build_glossary(found: Sequence[Entry], *, single: bool) -> list[dict[str, Any]]:
    """The glossary answer (ephemeral): every label's one-line definition, or one label in full."""
    blocks: list[dict[str, Any]] = []
    if single:
        blocks.extend(kit.section(_entry_text(entry, full=True)) for entry in found[:1])
    else:
        for kind, title in KIND_TITLES.items():
            lines = [_entry_text(e, full=False) for e in found if e.kind == kind]
            if lines:
                blocks.append(kit.section(f"*{title}*\n" + "\n".join(f"• {line}" for line in lines)))
        blocks.append(
            kit.context("More on one label, with what counts and recent quotes: `/fieldnotes glossary &lt;label&gt;`")
        )
    value = f"{found[0].kind}|{found[0].name}" if single and found else ""
    button = kit.button("Propose a definition or a term", ids.ACTION_GLOSSARY_PROPOSE, value)
    blocks.append({"type": "actions", "block_id": "glossary:propose", "elements": [button]})
    return blocks[: kit.MESSAGE_BLOCKS]


def build_propose_modal(label: str = "", kind: str = "theme") -> dict[str, Any]:
    options = [kit.option(title[:-1], kind_) for kind_, title in KIND_TITLES.items()]
    initial = next((o for o in options if o["value"] == kind), options[0])
    label_element: dict[str, Any] = {"type": "plain_text_input", "action_id": LABEL_INPUT, "max_length": 100}
    if label:
        label_element["initial_value"] = label
    return {
        "type": "modal",
        "callback_id": ids.VIEW_GLOSSARY_PROPOSE,
        "title": kit.plain_text("Propose a definition", kit.MODAL_TITLE),
        "submit": kit.plain_text("Propose", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "blocks": [
            kit.section("Admins see your proposal in their App Home and approve it or not."),
            {
                "type": "input",
                "block_id": KIND_BLOCK,
                "label": kit.plain_text("Kind"),
                "element": {
                    "type": "static_select",
                    "action_id": KIND_INPUT,
                    "options": options,
                    "initial_option": initial,
                },
            },
            {"type": "input", "block_id": LABEL_BLOCK, "label": kit.plain_text("Label"), "element": label_element},
            {
                "type": "input",
                "block_id": DEFINITION_BLOCK,
                "label": kit.plain_text("What it means (one line)"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": DEFINITION_INPUT,
                    "multiline": True,
                    "max_length": MAX_DEFINITION,
                },
            },
        ],
    }


def build_glossary_admin_section(proposals: Sequence[Proposal], drift: Sequence[Drift]) -> list[dict[str, Any]]:
    """Open proposals with *Approve* / *Decline*, and the label pairs reps swap most (terms to clarify)."""
    if not proposals and not drift:
        return []
    blocks: list[dict[str, Any]] = [kit.section("*Glossary*")]
    for p in proposals[:10]:
        what = "new " + p.kind if p.new_label else p.kind
        blocks.append(
            kit.section(
                f"<@{p.proposer_user_id}> proposes for the {what} *{plain(p.label, 100)}*: {plain(p.definition, 600)}"
            )
        )
        buttons = [
            kit.button("Approve", ids.ACTION_GLOSSARY_APPROVE, str(p.id), "primary"),
            kit.button("Decline", ids.ACTION_GLOSSARY_REJECT, str(p.id)),
        ]
        blocks.append({"type": "actions", "block_id": f"glossary:proposal:{p.id}", "elements": buttons})
    if drift:
        lines = [
            f"• *{plain(d.first, 100)}* ↔ *{plain(d.second, 100)}* ({d.kind}s): swapped on {d.notes} "
            f"{'note' if d.notes == 1 else 'notes'}"
            for d in drift
        ]
        text = "*Terms to clarify* (labels reps swapped with *Fix tags* in the last 30 days):\n" + "\n".join(lines)
        blocks.append(kit.section(text))
        blocks.append(
            kit.context('Sharpen them with `/fieldnotes themes describe &lt;label&gt; "&lt;definition&gt;"`.')
        )
    return blocks
