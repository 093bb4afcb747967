"""The PNG chart of the top themes over the last eight weeks (matplotlib, Agg: no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported: servers and CI have no display

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

__all__ = ["render_theme_chart"]


def render_theme_chart(
    weeks: Sequence[date], series: Sequence[tuple[str, Sequence[int]]], *, title: str = "Top themes, last 8 weeks"
) -> bytes:
    """PNG bytes: one line per theme, one point per week (weeks given by their first day)."""
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    try:
        labels = [f"{day:%-d %b}" for day in weeks]
        positions = list(range(len(weeks)))
        for name, counts in series:
            ax.plot(positions, list(counts), marker="o", linewidth=2, label=name)
        if not series:
            ax.text(0.5, 0.5, "No tagged notes yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks(positions, labels)
        ax.set_ylabel("notes")
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if series:
            ax.legend(loc="upper left", fontsize=8, frameon=False, ncol=2)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
