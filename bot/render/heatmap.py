"""The PNG heatmap of the week's top themes and objections across deal stages (matplotlib, Agg)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported: servers and CI have no display

import matplotlib.pyplot as plt

__all__ = ["render_stage_heatmap"]


def render_stage_heatmap(
    stages: Sequence[str],
    labels: Sequence[tuple[str, str]],
    counts: Sequence[Sequence[int]],
    *,
    title: str = "Where it comes up: notes by deal stage",
) -> bytes:
    """PNG bytes: one row per (kind, label), one column per stage, each cell its count of notes."""
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.45 * max(1, len(labels))), dpi=110)
    try:
        matrix = [list(row) for row in counts] or [[0] * len(stages)]
        ax.imshow(matrix, cmap="Oranges", aspect="auto", vmin=0)
        ax.set_xticks(range(len(stages)), list(stages), rotation=30, ha="right", fontsize=8)
        names = [f"{label} ({'objection' if kind == 'objection' else kind})" for kind, label in labels]
        ax.set_yticks(range(len(names)), names, fontsize=8)
        peak = max((max(row) for row in matrix), default=0)
        for y, row in enumerate(counts):
            for x, value in enumerate(row):
                if value:
                    colour = "white" if value > peak * 0.6 else "black"
                    ax.text(x, y, str(value), ha="center", va="center", fontsize=8, color=colour)
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
