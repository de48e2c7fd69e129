"""Drawing the cumulative dose chart as a PNG. Runs in the renderer's worker process."""

from __future__ import annotations

from bot.pictures.canvas import canvas, png_of
from bot.pictures.chart_data import ChartData
from bot.pictures.palette import LINE, PROJECTION, TARGET_BAND
from scheduler.cumulative import tenth_down


def draw_course_chart(data: ChartData) -> bytes:
    """The chart as PNG bytes: mg/kg by date against the target band, today's point marked,
    and a dashed line to the projected day the target is reached."""
    # Imported here: only the worker process ever loads matplotlib (see renderer.py).
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num

    fig = canvas(8, 5)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.68))
    # Dates as matplotlib's day numbers; the locator and formatter below show them as dates.
    days = [float(date2num(d)) for d, _ in data.points]
    values = [v for _, v in data.points]
    low, high = data.band
    ax.axhspan(low, high, facecolor=TARGET_BAND, alpha=0.3, hatch="//", edgecolor=TARGET_BAND)
    ax.axhline(data.target, color="#000000", linewidth=1, linestyle=":")
    # Days before tracking began were not logged: a dotted line up to the total the user gave,
    # joined to the first logged day, so it never passes for doses they pressed Taken on.
    split = data.untracked
    if split:
        ax.plot(
            days[: split + 1],
            values[: split + 1],
            color=LINE,
            linewidth=1.8,
            linestyle=":",
            label="taken before isobot (your total, spread evenly)",
        )
    logged = "doses you logged"
    if data.mg_before_tracking > 0:
        logged += ", added to those before"
    ax.plot(
        days[split:],
        values[split:],
        color=LINE,
        linewidth=2.2,
        label=f"cumulative mg/kg ({logged})",
    )
    today_date, now = data.today
    today = float(date2num(today_date))
    ax.plot([today], [now], marker="o", markersize=9, color=LINE, linestyle="none")
    ax.annotate(
        f"today: {tenth_down(now):.1f} mg/kg",
        (today, now),
        xytext=(10, -6),
        textcoords="offset points",
        va="top",
        fontsize=10,
        fontweight="bold",
    )
    right = today
    if data.projected_end is not None:
        end = float(date2num(data.projected_end))
        ax.plot(
            [today, end],
            [now, data.target],
            color=PROJECTION,
            linewidth=2,
            linestyle="--",
            label="projected, if every dose is taken",
        )
        ax.plot([end], [data.target], marker="D", markersize=8, color=PROJECTION)
        ax.annotate(
            f"{data.target} mg/kg ≈ {data.projected_end:%d %b %Y}",
            (end, data.target),
            xytext=(-10, 12),
            textcoords="offset points",
            ha="right",
            fontsize=10,
            color="#000000",
        )
        right = end
    span = max(right - days[0], 14)
    ax.set_xlim(days[0] - 1, right + max(2, span // 20))
    ax.set_ylim(0, max(high + 15, max(values) * 1.1))
    ax.text(
        days[0],
        (low + high) / 2,
        f"  target range {low}–{high} mg/kg",
        va="center",
        fontsize=9,
        color="#000000",
    )
    locator = AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylabel("cumulative mg per kg")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(data.title, fontsize=14, pad=12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False, fontsize=9)
    return png_of(fig)
