"""The weekly summary: the week's adherence, course progress and one tip, rendered at send time.

Its week runs from the previous summary to this one (scheduler/adherence.py summary_span), so
each dose is counted in exactly one summary; the message says which days it covers.

It is a reminder of its own kind on the ordinary engine; the sender asks this renderer for its
text, because the text needs the user's figures and the content library, which the scheduler does
not import.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.course_view import PRESCRIBER_DECIDES, projection_line
from bot.formatting import grouped_number
from content import Library, Tip
from scheduler.adherence import FURTHEST_PREVIOUS, Adherence, Span, summary_span, tally
from scheduler.clock import Clock
from scheduler.course_series import course_history, progress_of
from scheduler.courses import course_of, user_zone
from scheduler.cumulative import (
    CourseProgress,
    DoseChange,
    next_change,
    progress_bar,
)
from scheduler.doses import dose_occurrences
from scheduler.messages import Outgoing
from scheduler.recurrence import local_day, occurrence_on
from scheduler.sender import Renderer
from storage.models import (
    Course,
    Delivery,
    DeliveryStatus,
    Purpose,
    Reminder,
    ReminderKind,
    User,
)

# The article's early "purge" is what the first month most needs explaining.
PURGE_TIP = "purge_patience"
FIRST_MONTH_DAYS = 31
TIP_AUDIENCES = frozenset({"in_treatment", "all"})

# A summary covers at most this many weeks, however long the bot was down.
MOST_WEEKS = 4


def pick_tip(library: Library, course_day: int) -> Tip | None:
    """The purge in the first month; after it, a different in-treatment tip each week."""
    if course_day <= FIRST_MONTH_DAYS and PURGE_TIP in library.tips:
        return library.tips[PURGE_TIP]
    tips: Sequence[Tip] = [
        t for t in library.tips.values() if t.audience in TIP_AUDIENCES and t.id != PURGE_TIP
    ]
    if not tips:
        return None
    return tips[(max(course_day, 1) // 7) % len(tips)]


def _adherence_line(adherence: Adherence, when: str) -> str:
    if adherence.counted == 0 and adherence.still_open == 0:
        return (
            f"💊 No dose reminders {when}. Only doses marked Taken on a dose reminder count "
            "toward your total: /remind dose 08:00 sets one."
        )
    line = f"💊 Doses {when}: "
    if adherence.counted:
        line += (
            f"{adherence.taken} of {adherence.counted} taken ({adherence.percent}%) · "
            f"⏭ skipped {adherence.skipped} · ❔ no answer {adherence.no_answer} · "
            f"⚠️ not sent {adherence.not_sent}"
        )
    else:
        line += "none answered yet"
    if adherence.still_open:
        # Today's unanswered doses: no later summary counts them, so this one names them.
        line += f" · ⏳ still open {adherence.still_open} (Taken or Skip still records it)"
    return line


def _short(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%a %d %b, %H:%M").replace(" 0", " ")


def span_line(span: Span, zone: ZoneInfo, *, offline: bool = True) -> str:
    """Which days the week is: a Sunday-evening dose is in the next summary, not lost."""
    which = "This week"
    if span.weeks > 1:
        why = "a summary could not be sent while I was offline"
        which = f"These {span.weeks} weeks ({why if offline else 'no summary went out in between'})"
    return (
        f"🗓 {which}: doses due from {_short(span.start, zone)} to {_short(span.end, zone)}. "
        "Later ones count in next week's summary."
    )


def _progress_lines(progress: CourseProgress, coming: DoseChange | None) -> list[str]:
    lines = [f"📈 Cumulative: {grouped_number(progress.cumulative_mg)} mg"]
    if progress.mg_before_tracking:
        before = grouped_number(progress.mg_before_tracking)
        lines[0] += f" (with {before} mg taken before tracking)"
    if progress.mg_per_kg is not None and progress.percent is not None:
        lines[0] += (
            f" = {progress.mg_per_kg:.1f} mg/kg of your {progress.target_mg_per_kg} mg/kg target"
        )
        lines.append(f"{progress_bar(progress.percent)} {progress.percent}%")
    else:
        lines.append("Add your weight with /course weight 68.5 to see mg/kg.")
    projection = projection_line(progress, coming)
    if projection is not None:
        lines.append(projection)
    return lines


def summary_text(
    progress: CourseProgress,
    adherence: Adherence,
    tip: Tip | None,
    disclaimer_html: str,
    *,
    span: tuple[Span, ZoneInfo] | None = None,
    offline: bool = True,
    coming: DoseChange | None = None,
) -> str:
    """The summary; `disclaimer_html` is the library's, which closes the tip as it closes every
    tip (content/texts.yaml)."""
    weeks = span[0].weeks if span is not None else 1
    lines = [
        f"📊 <b>{'Your week' if weeks == 1 else f'Your last {weeks} weeks'}</b>, "
        f"day {progress.day} of your course",
        _adherence_line(adherence, "this week" if weeks == 1 else f"in these {weeks} weeks"),
    ]
    if span is not None:
        lines.append(span_line(*span, offline=offline))
    lines += _progress_lines(progress, coming)
    if tip is not None:
        lines += [
            "",
            f"💡 <b>{html.escape(tip.title, quote=False)}</b>",
            tip.html.strip(),
            "",
            disclaimer_html,
        ]
    lines += [
        "",
        "/course shows the details and switches this summary off.",
        "",
        PRESCRIBER_DECIDES,
    ]
    return "\n".join(lines)


WEEK = timedelta(weeks=1)

# A summary that went out, or may have, or still may: the doses before it are its to count.
_BOUNDARIES = (
    DeliveryStatus.SENT,
    DeliveryStatus.UNCERTAIN,
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
)


@dataclass(frozen=True)
class Previous:
    """The summary before the one due: when it was due (None if none is near), how many weeks
    the one due covers, and whether the weeks between were missed while the bot was down."""

    at: datetime | None
    weeks: int
    offline: bool


async def previous_summary(
    session: AsyncSession, user_id: int, before: datetime, since: datetime
) -> Previous:
    """The summary before the one due at `before`, no further back than `since` (when this
    course's summaries began). The one due covers a week, and one more for each week since with
    no summary sent: the bot was down, the reminders paused or the summary off. No summary
    counted those weeks' doses, so this one does, back at most MOST_WEEKS."""
    reach = FURTHEST_PREVIOUS + timedelta(weeks=MOST_WEEKS - 1)
    rows = await session.execute(
        select(Delivery.occurrence, Delivery.status)
        .where(
            Delivery.user_id == user_id,
            Delivery.kind == ReminderKind.WEEKLY_SUMMARY,
            Delivery.purpose == Purpose.FIRST,
            Delivery.occurrence < before,
            Delivery.occurrence >= max(before - reach, since),
        )
        .order_by(Delivery.occurrence.desc())
    )
    missed = 0
    for occurrence, status in rows:
        if occurrence is not None and status in _BOUNDARIES:
            weeks = min(max(round((before - occurrence) / WEEK), 1), MOST_WEEKS)
            return Previous(occurrence, weeks, offline=missed == weeks - 1)
        missed += status == DeliveryStatus.MISSED
    weeks = min(max(math.ceil((before - since) / WEEK), 1), MOST_WEEKS)
    return Previous(None, weeks, offline=missed == weeks - 1)


def summaries_since(course: Course, summary: Reminder | None, zone: ZoneInfo) -> datetime:
    """When this course's summaries began: the course's first day, or the summary's creation
    if later (a course dated back before the user found the bot)."""
    # Its local midnight, the spring gap's end where midnight is skipped (Beirut, Santiago).
    start = occurrence_on(time(0), zone, course.start_date) or datetime.combine(
        course.start_date, time(0), tzinfo=UTC
    )
    return max(start, summary.created_at) if summary is not None else start


async def week_adherence(
    session: AsyncSession, user: User, course: Course, summary: Delivery, now: datetime
) -> tuple[Adherence, Span, bool]:
    """The course's doses of the summary, in the states /history gives them now (a reminder
    answered before the course began is no dose of it), its span, and whether the weeks before
    it were missed while the bot was down. The week ends when the summary was due, not when it
    went out: a late one still ends where the next one begins."""
    zone = user_zone(user)
    end = summary.occurrence or now
    reminder = await session.get(Reminder, summary.reminder_id) if summary.reminder_id else None
    since = summaries_since(course, reminder, zone)
    previous = await previous_summary(session, user.id, end, since)
    span = summary_span(end, zone, previous.at, previous.weeks)
    found = await dose_occurrences(session, user.id, zone, now, since=span.start)
    counted = (d.state for d in found if d.occurrence in span and d.day >= course.start_date)
    return tally(counted, days=7 * span.weeks), span, previous.offline


def summary_renderer(library: Library, clock: Clock) -> Renderer:
    """The sender's renderer for weekly summary deliveries."""

    async def render(session: AsyncSession, delivery: Delivery) -> Outgoing | None:
        user = await session.get(User, delivery.user_id)
        course = await course_of(session, delivery.user_id)
        # Nothing to sum up without a running course: the delivery is cancelled.
        if user is None or course is None or course.ended_at is not None:
            return None
        now: datetime = clock.now()
        zone = user_zone(user)
        history = await course_history(session, user, course, now)
        progress = progress_of(course, history, zone, now)
        adherence, span, offline = await week_adherence(session, user, course, delivery, now)
        text = summary_text(
            progress,
            adherence,
            pick_tip(library, progress.day),
            library.disclaimer_html,
            span=(span, zone),
            offline=offline,
            coming=next_change(local_day(now, zone), history.doses),
        )
        return Outgoing(text)

    return render
