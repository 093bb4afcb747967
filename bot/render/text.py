"""Block Kit rendered for a terminal: what `fieldnotes digest preview` and `fieldnotes demo` print."""

from __future__ import annotations

import textwrap
from typing import Any

from bot.render._mrkdwn import to_plain

__all__ = ["render_text"]

WIDTH = 100


def render_text(blocks: list[dict[str, Any]], *, width: int = WIDTH) -> str:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += ["", title, "=" * min(width, len(title))]
        elif kind == "divider":
            lines.append("-" * width)
        elif kind == "section":
            if "text" in block:
                lines += _wrap(to_plain(block["text"]["text"]), width)
            if block.get("fields"):
                cells = [to_plain(f["text"]).replace("\n", ": ", 1) for f in block["fields"]]
                lines += _wrap("   ".join(cells), width)
        elif kind == "context":
            for element in block.get("elements", []):
                if "text" in element:
                    lines += _wrap(to_plain(element["text"]), width, indent="  ")
        elif kind == "actions":
            buttons = [f"[{e['text']['text']}]" for e in block.get("elements", []) if e.get("type") == "button"]
            lines.append("  " + " ".join(buttons))
    return "\n".join(lines).strip("\n") + "\n"


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    out: list[str] = []
    for raw in text.split("\n"):
        prefix = indent + ("  " if raw.startswith(">") else "")
        wrapped = textwrap.wrap(raw, width=width - len(prefix)) or [""]
        out += [prefix + line for line in wrapped]
    return out
