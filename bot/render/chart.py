"""The PNG chart of the top themes over the last eight weeks (matplotlib, Agg: no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from matplotlib.ticker import MaxNLocator

from bot.render._figure import png_figure

__all__ = ["render_theme_chart"]


def render_theme_chart(
    weeks: Sequence[date], series: Sequence[tuple[str, Sequence[int]]], *, title: str = "Top themes, last 8 weeks"
) -> bytes:
    """PNG bytes: one line per theme, one point per week (weeks given by their first day)."""
    with png_figure(title, figsize=(8, 4.2)) as drawing:
        ax = drawing.ax
        labels = [f"{day:%-d %b}" for day in weeks]
        positions = list(range(len(weeks)))
        for name, counts in series:
            ax.plot(positions, list(counts), marker="o", linewidth=2, label=name)
        if not series:
            ax.text(0.5, 0.5, "No tagged notes yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks(positions, labels)
        ax.set_ylabel("notes")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if series:
            ax.legend(loc="upper left", fontsize=8, frameon=False, ncol=2)
    return drawing.png
