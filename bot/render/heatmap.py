"""The PNG heatmap of the week's top themes and objections across deal stages (matplotlib, Agg)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render._figure import png_figure

__all__ = ["render_stage_heatmap"]


def render_stage_heatmap(
    stages: Sequence[str],
    labels: Sequence[tuple[str, str]],
    counts: Sequence[Sequence[int]],
    *,
    title: str = "Where it comes up: notes by deal stage",
) -> bytes:
    """PNG bytes: one row per (kind, label), one column per stage, each cell its count of notes."""
    with png_figure(title, figsize=(9, 1.2 + 0.45 * max(1, len(labels)))) as drawing:
        ax = drawing.ax
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
    return drawing.png
