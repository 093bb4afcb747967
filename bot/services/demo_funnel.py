"""The demo's funnel: a segment per account, a deal stage per note (won and lost deals closed), what helped in won
deals, and marketing notes pinned to accounts and a segment, so the demo digest shows *Where it comes up*, the
heatmap and *Why we win*. A random stream of its own, so the notes themselves stay what demo_data makes."""

from __future__ import annotations

import random
from dataclasses import replace

from bot.services.demo_data import ACCOUNTS, DemoNote

__all__ = ["MARKETING_NOTES", "SEGMENTS", "account_segment", "add_funnel"]

SEGMENTS = ("Enterprise", "Mid-market", "SMB")
OPEN_STAGES = (("prospecting", 1), ("discovery", 4), ("demo", 4), ("proposal", 3), ("negotiation", 2))
WORKED = (
    ("The ROI calculator", 3),
    ("The security whitepaper answered their CISO", 2),
    ("A reference call with a customer in their industry", 2),
    ("The live demo of the Salesforce sync", 2),
)
#: (account, or None for a segment; segment; text)
MARKETING_NOTES: tuple[tuple[str | None, str | None, str], ...] = (
    ("Acme Corp", None, "Acme's CFO downloaded the ROI calculator twice: lead with the payback period."),
    (None, "Enterprise", "Enterprise security pack (SOC 2, pen test summary) is ready to share on request."),
)


def account_segment(account: str) -> str:
    return SEGMENTS[ACCOUNTS.index(account) % len(SEGMENTS)] if account in ACCOUNTS else SEGMENTS[1]


def _stage(rng: random.Random, note: DemoNote) -> str:
    if note.outcome == "won":
        return "closed won"
    if note.outcome == "lost":
        return "closed lost"
    # Security questions come up late in the quarter's first weeks and earlier in its last ones: a shift to find.
    if "security" in note.text.lower() or "soc 2" in note.text.lower():
        return rng.choice(("discovery", "demo", "negotiation"))
    return rng.choice([stage for stage, weight in OPEN_STAGES for _ in range(weight)])


def add_funnel(notes: list[DemoNote], *, seed: int = 7) -> list[DemoNote]:
    rng = random.Random(seed + 1)
    worked = [text for text, weight in WORKED for _ in range(weight)]
    out = []
    for note in notes:
        helped = rng.choice(worked) if note.outcome == "won" and rng.random() < 0.6 else None
        out.append(replace(note, stage=_stage(rng, note), segment=account_segment(note.account), worked=helped))
    return out
