"""The canvas every picture is drawn on, and the PNG it becomes. Worker process only."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 110


def canvas(width: float, height: float) -> Figure:
    """A figure of this many inches, on an Agg canvas."""
    # Imported here: only the worker process ever loads matplotlib (see renderer.py).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png_of(fig: Figure) -> bytes:
    """The figure as PNG bytes, on white."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()
