"""One matplotlib figure drawn into PNG bytes (Agg: servers and CI have no display)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported

import matplotlib.pyplot as plt

__all__ = ["png_figure"]


class Drawing:
    """The figure and axes to draw on; `png` is set when the block ends without an error."""

    def __init__(self, fig: Any, ax: Any) -> None:
        self.fig, self.ax = fig, ax
        self.png = b""


@contextmanager
def png_figure(title: str, *, figsize: tuple[float, float]) -> Iterator[Drawing]:
    """Draw on `.ax` inside the block; after it the title is set and `.png` holds the image. The figure is
    closed whatever happens (pyplot keeps every open figure in memory)."""
    fig, ax = plt.subplots(figsize=figsize, dpi=110)
    drawing = Drawing(fig, ax)
    try:
        yield drawing
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        drawing.png = buffer.getvalue()
    finally:
        plt.close(fig)
