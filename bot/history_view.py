"""The texts and the button of /history: adherence in words, as the calendar's caption. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.pictures.calendar_layout import CalendarData
from bot.pictures.palette import DayState
from scheduler.adherence import Adherence, DoseRecord, still_due_today, streak, summarize
from scheduler.messages import PRESCRIBER

PREFIX = "hist:"
RECENT_DAYS = 30
# The whole-course view goes back at most this far: two years make a picture still readable.
LONGEST_DAYS = 731
NO_ANSWER_MEANS = (
    "“No answer” means the reminder was sent but neither Taken nor Skip was pressed that day."
)


@dataclass(frozen=True)
class HistoryView:
    """Which picture: the last 30 days, or the whole course from `first`."""

    whole: bool
    first: date
    today: date
    ended: date | None = None  # the last day of a course that has ended

    @property
    def days(self) -> int:
        return (self.today - self.first).days + 1


def view_for(
    whole: bool, today: date, course_first: date | None, ended: date | None = None
) -> HistoryView:
    """The view asked for; the whole course falls back to 30 days when it is not longer."""
    recent = today - timedelta(days=RECENT_DAYS - 1)
    if whole and course_first is not None and course_first < recent:
        first = max(course_first, today - timedelta(days=LONGEST_DAYS - 1))
        return HistoryView(True, first, today, ended)
    return HistoryView(False, recent, today)


def has_whole_course(today: date, course_first: date | None) -> bool:
    return course_first is not None and course_first < today - timedelta(days=RECENT_DAYS - 1)


def picture_title(view: HistoryView) -> str:
    span = f"{view.first:%d %b %Y} – {view.today:%d %b %Y}"
    return f"Your doses, {'the whole course' if view.whole else 'last 30 days'}: {span}"


def adherence_line(label: str, adherence: Adherence) -> str:
    if adherence.counted == 0:
        return f"<b>{label}</b>: no doses yet."
    return (
        f"<b>{label}</b>: {adherence.percent}% taken ({adherence.taken} of {adherence.counted})\n"
        f"   ⏭ skipped {adherence.skipped} · ❔ no answer {adherence.no_answer} · "
        f"⚠️ not sent {adherence.not_sent}"
    )


def history_text(
    records: list[DoseRecord],
    view: HistoryView,
    calendar: CalendarData,
    checkin_lines: Sequence[str] = (),
    *,
    next_dose_days: Sequence[date] = (),
) -> str:
    """The summary in words: 7 and 30 days (and the course), the streak, and what the picture
    shows, so that a screen reader gets every number the calendar holds.

    `next_dose_days` holds the local day each enabled dose reminder fires next on. Only the
    streak needs it: today's doses not sent yet have no record, and without them a day whose
    first dose is taken would count as complete.
    """
    still_due = still_due_today(next_dose_days, view.today)
    days_in_row = streak([*records, *still_due], view.today)
    lines = [
        "📈 <b>Your dose history</b>",
        adherence_line("Last 7 days", summarize(records, view.today, 7)),
        adherence_line("Last 30 days", summarize(records, view.today, 30)),
    ]
    if view.whole:
        # A course that has ended counts its own days, as the report does, not what came after.
        label = f"Whole course, since {view.first:%d %b %Y}"
        own = records
        if view.ended is not None:
            label = f"Whole course, {view.first:%d %b %Y} – {view.ended:%d %b %Y}"
            own = [r for r in records if r.local_date <= view.ended]
        lines.append(adherence_line(label, summarize(own, view.today, view.days)))
    lines.append(
        f"🔥 Current streak: {days_in_row} day{'s' if days_in_row != 1 else ''} "
        "with every dose taken."
    )
    counts = calendar.counts()
    no_reminder = counts[DayState.NO_REMINDER]
    if no_reminder:
        lines.append(f"📅 Days with no dose reminder in the picture: {no_reminder}.")
    if checkin_lines:
        lines += ["", *checkin_lines]
    lines += ["", NO_ANSWER_MEANS, PRESCRIBER]
    return "\n".join(lines)


def short_caption(view: HistoryView) -> str:
    return f"📈 {picture_title(view)}\n{PRESCRIBER}"


def history_keyboard(view: HistoryView, owner: int, offer: bool) -> InlineKeyboardMarkup | None:
    """The switch to the other view; its data names the owner, so only they can press it."""
    if not offer:
        return None
    if view.whole:
        button = InlineKeyboardButton("📅 Last 30 days", callback_data=f"{PREFIX}30:{owner}")
    else:
        button = InlineKeyboardButton("📅 Whole course", callback_data=f"{PREFIX}all:{owner}")
    return InlineKeyboardMarkup([[button]])


def parse_history_data(data: str) -> tuple[bool, int] | None:
    """(whole course?, owner) from a button's data; None for anything forged."""
    parts = data.removeprefix(PREFIX).split(":")
    if not data.startswith(PREFIX) or len(parts) != 2 or parts[0] not in {"30", "all"}:
        return None
    if not (parts[1].isascii() and parts[1].isdigit()):
        return None
    return parts[0] == "all", int(parts[1])
