"""Block Kit rendered as a standalone HTML page that looks like the Slack message (for previews)."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.render._mrkdwn import transform

__all__ = ["mrkdwn_to_html", "render_html"]

_EMOJI = {":rotating_light:": "🚨", ":seedling:": "🌱", ":bar_chart:": "📊"}
_STYLES = [
    (re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])"), r"<i>\1</i>"),
    (re.compile(r"(?<![\w~])~([^~\n]+)~(?![\w~])"), r"<s>\1</s>"),
    (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>"),
]

_CSS = """
body{margin:0;background:#f8f8f8;color:#1d1c1d;
font:15px/1.46668 -apple-system,BlinkMacSystemFont,"Segoe UI",Lato,Helvetica,Arial,sans-serif}
.channel{max-width:820px;margin:24px auto;background:#fff;border:1px solid #ddd;border-radius:8px}
.bar{padding:12px 20px;border-bottom:1px solid #ddd;font-weight:900}
.msg{display:flex;gap:10px;padding:16px 20px}
.avatar{width:36px;height:36px;border-radius:6px;background:#2eb67d;color:#fff;font-weight:900;
display:flex;align-items:center;justify-content:center;flex:none}
.who{font-weight:900}
.app{font-size:10px;background:#e8e8e8;color:#616061;padding:1px 3px;border-radius:2px;margin-left:4px}
.time{color:#616061;font-size:12px;margin-left:6px}
h2{font-size:18px;margin:6px 0}
.section{margin:6px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 24px;margin:6px 0}
.context{color:#616061;font-size:13px;margin:6px 0}hr{border:0;border-top:1px solid #ddd;margin:12px 0}
blockquote{margin:2px 0;padding-left:10px;border-left:4px solid #ddd;color:#454245}
.actions{display:flex;gap:8px;margin:6px 0}
.btn{border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-size:13px;font-weight:700;
background:#fff;cursor:default}
code{background:#f6f6f6;border:1px solid #e0e0e0;border-radius:3px;padding:0 3px;font-size:12px;color:#e01e5a}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
"""


def mrkdwn_to_html(text: str) -> str:
    """Slack mrkdwn (already &-escaped, as Slack expects it) as HTML."""

    def angle(sigil: str, target: str, label: str | None) -> str:
        shown = html.escape(html.unescape(label or target))
        if sigil in "@#!" and sigil:
            prefix = "#" if sigil == "#" else "@"
            return f'<span class="mention">{prefix}{shown}</span>'
        return f'<a href="{html.escape(html.unescape(target), quote=True)}">{shown}</a>'

    def rest(chunk: str) -> str:
        # Between links, mrkdwn escaping (& < >) is already HTML escaping; quotes matter only in attributes.
        for pattern, replacement in _STYLES:
            chunk = pattern.sub(replacement, chunk)
        for code, char in _EMOJI.items():
            chunk = chunk.replace(code, char)
        return chunk

    out: list[str] = []
    quote: list[str] = []
    for line in text.split("\n"):
        if line.startswith("&gt; ") or line.startswith("> "):
            quote.append(transform(line.split(" ", 1)[1], angle, rest))
            continue
        if quote:
            out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote = []
        out.append(transform(line, angle, rest) + "<br>")
    if quote:
        out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
    body = "".join(out)
    return body[: -len("<br>")] if body.endswith("<br>") else body


def render_html(blocks: list[dict[str, Any]], *, channel: str = "marketing", title: str = "Field Notes digest") -> str:
    parts: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            parts.append(f"<h2>{html.escape(block['text']['text'])}</h2>")
        elif kind == "divider":
            parts.append("<hr>")
        elif kind == "section":
            if "text" in block:
                parts.append(f'<div class="section">{mrkdwn_to_html(block["text"]["text"])}</div>')
            if block.get("fields"):
                cells = "".join(f"<div>{mrkdwn_to_html(f['text'])}</div>" for f in block["fields"])
                parts.append(f'<div class="fields">{cells}</div>')
        elif kind == "context":
            texts = " ".join(mrkdwn_to_html(e["text"]) for e in block.get("elements", []) if "text" in e)
            parts.append(f'<div class="context">{texts}</div>')
        elif kind == "actions":
            buttons = "".join(
                f'<button class="btn" title="{html.escape(e.get("value", ""), quote=True)}">'
                f"{html.escape(e['text']['text'])}</button>"
                for e in block.get("elements", [])
                if e.get("type") == "button"
            )
            parts.append(f'<div class="actions">{buttons}</div>')
        elif kind == "image":
            parts.append(
                f'<img src="{html.escape(block["image_url"], quote=True)}" alt="{html.escape(block["alt_text"])}">'
            )
    body = "\n".join(parts)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<div class="channel"><div class="bar"># {html.escape(channel)}</div>'
        '<div class="msg"><div class="avatar">FN</div><div><div><span class="who">Field Notes</span>'
        '<span class="app">APP</span><span class="time">9:00 AM</span></div>'
        f"{body}</div></div></div></body></html>\n"
    )
