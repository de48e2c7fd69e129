"""Drawing the adherence calendar as a PNG. Runs in the renderer's worker process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.pictures.calendar_layout import WEEKDAY_LETTERS, CalendarData, Grid, grid
from bot.pictures.canvas import canvas, png_of
from bot.pictures.palette import EDGE, LOOKS, ORDER, DayState

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_CALENDAR_CELL = 0.8  # inches
_STRIP_CELL = 0.24
_GAP = 0.08  # of a cell


def draw_calendar(data: CalendarData) -> bytes:
    """The calendar as PNG bytes."""
    # Imported here: only the worker process ever loads matplotlib (see renderer.py).
    from matplotlib.patches import Patch

    layout = grid(data)
    cell = _STRIP_CELL if layout.weeks_across else _CALENDAR_CELL
    left, right, top, bottom = 0.95, 0.3, 0.95, 1.05
    width = left + right + layout.columns * cell
    height = top + bottom + layout.rows * cell
    fig = canvas(max(width, 6.4), height)
    fig_w, fig_h = fig.get_size_inches()
    ax = fig.add_axes(
        (left / fig_w, bottom / fig_h, layout.columns * cell / fig_w, layout.rows * cell / fig_h)
    )
    ax.set_xlim(0, layout.columns)
    ax.set_ylim(layout.rows, 0)
    ax.set_axis_off()
    _draw_cells(ax, layout, data, cell)
    _draw_labels(ax, layout)
    fig.text(0.5, 1 - 0.35 / fig_h, data.title, ha="center", va="center", fontsize=14)
    counts = data.counts()
    handles = [
        Patch(
            facecolor=LOOKS[s].face,
            hatch=LOOKS[s].hatch,
            edgecolor=EDGE,
            label=f"{LOOKS[s].symbol} {LOOKS[s].label}: {counts[s]}".strip(),
        )
        for s in ORDER
        if counts[s] or s not in (DayState.WAITING,)
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=3,
        frameon=False,
        fontsize=10,
        handlelength=1.6,
        handleheight=1.2,
        bbox_to_anchor=(0.5, 0.02 / fig_h),
    )
    return png_of(fig)


def _draw_cells(ax: Axes, layout: Grid, data: CalendarData, cell: float) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    size = 1 - _GAP
    big = not layout.weeks_across
    # One collection per state and one for the outlines: a few artists instead of one per
    # cell, which is what keeps a year of days within the time a picture may take.
    stripes: dict[DayState, list[Rectangle]] = {state: [] for state in ORDER}
    outlines: list[Rectangle] = []
    for c in layout.cells:
        x, y = c.column + _GAP / 2, c.row + _GAP / 2
        width = size / len(c.states)
        for i, state in enumerate(c.states):
            stripes[state].append(Rectangle((x + i * width, y), width, size))
            look = LOOKS[state]
            # Weeks across, cells are too small for a symbol: the hatches carry the state.
            if look.symbol and big:
                ax.text(
                    x + (i + 0.5) * width,
                    y + size * 0.58,
                    look.symbol,
                    ha="center",
                    va="center",
                    color=look.ink,
                    fontsize=18 if len(c.states) == 1 else 13,
                    fontweight="bold",
                )
        if c.day == data.today:
            waiting = DayState.WAITING in c.states
            ax.add_patch(
                Rectangle(
                    (x, y),
                    size,
                    size,
                    fill=False,
                    edgecolor="#000000",
                    linewidth=2.4 if big else 1.4,
                    linestyle="--" if waiting else "-",
                    zorder=3,
                )
            )
        else:
            outlines.append(Rectangle((x, y), size, size))
        if big:
            ink = LOOKS[c.states[0]].ink
            ax.text(x + 0.06, y + 0.06, str(c.day.day), ha="left", va="top", color=ink, fontsize=9)
    for state, rectangles in stripes.items():
        if rectangles:
            look = LOOKS[state]
            ax.add_collection(
                PatchCollection(
                    rectangles,
                    facecolor=look.face,
                    hatch=look.hatch or None,
                    edgecolor="#00000066",
                    linewidth=0,
                )
            )
    ax.add_collection(
        PatchCollection(outlines, facecolor="none", edgecolor=EDGE, linewidth=0.6, zorder=2)
    )


def _draw_labels(ax: Axes, layout: Grid) -> None:
    if layout.weeks_across:
        for row in (0, 2, 4, 6):
            ax.text(-0.4, row + 0.5, WEEKDAY_LETTERS[row], ha="right", va="center", fontsize=8)
        for week, label in layout.months:
            ax.text(week, -0.35, label, ha="left", va="bottom", fontsize=9)
        return
    for column, name in enumerate(WEEKDAY_LETTERS):
        ax.text(column + 0.5, -0.12, name, ha="center", va="bottom", fontsize=10)
    for week, label in layout.months:
        ax.text(-0.12, week + 0.5, label.replace(" ", "\n"), ha="right", va="center", fontsize=10)
