"""The weekly summary: the week's adherence, course progress and one tip, rendered at send time.

It is a reminder of its own kind on the ordinary engine; the sender asks this renderer for its
text, because the text needs the user's figures and the content library, which the scheduler does
not import.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.course_view import PRESCRIBER_DECIDES, long_date
from bot.formatting import grouped_number
from content import Library, Tip
from scheduler.adherence import Adherence, summarize
from scheduler.clock import Clock
from scheduler.course_series import load_progress
from scheduler.courses import course_of, user_zone
from scheduler.cumulative import CourseProgress, progress_bar
from scheduler.doses import dose_records
from scheduler.messages import Outgoing
from scheduler.recurrence import local_day
from scheduler.sender import Renderer
from storage.models import Delivery, User

# The article's early "purge" is what the first month most needs explaining.
PURGE_TIP = "purge_patience"
FIRST_MONTH_DAYS = 31
TIP_AUDIENCES = frozenset({"in_treatment", "all"})


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


def _adherence_line(adherence: Adherence) -> str:
    if adherence.counted == 0:
        return (
            "💊 No dose reminders this week. Only doses marked Taken on a dose reminder count "
            "toward your total: /remind dose 08:00 sets one."
        )
    return (
        f"💊 Doses this week: {adherence.taken} of {adherence.counted} taken "
        f"({adherence.percent}%) · ⏭ skipped {adherence.skipped} · "
        f"❔ no answer {adherence.no_answer} · ⚠️ not sent {adherence.not_sent}"
    )


def _progress_lines(progress: CourseProgress) -> list[str]:
    lines = [f"📈 Cumulative: {grouped_number(progress.cumulative_mg)} mg"]
    if progress.mg_per_kg is not None and progress.percent is not None:
        lines[0] += (
            f" = {progress.mg_per_kg:.1f} mg/kg of your {progress.target_mg_per_kg} mg/kg target"
        )
        lines.append(f"{progress_bar(progress.percent)} {progress.percent}%")
    else:
        lines.append("Add your weight with /course weight 68.5 to see mg/kg.")
    if progress.projected_end is not None and progress.mg_per_day is not None:
        lines.append(
            f"🏁 At {grouped_number(progress.mg_per_day)} mg a day, every dose taken, you would "
            f"reach the target around {long_date(progress.projected_end)}."
        )
    return lines


def summary_text(progress: CourseProgress, adherence: Adherence, tip: Tip | None) -> str:
    lines = [
        f"📊 <b>Your week</b>, day {progress.day} of your course",
        _adherence_line(adherence),
        *_progress_lines(progress),
    ]
    if tip is not None:
        lines += ["", f"💡 <b>{html.escape(tip.title, quote=False)}</b>", tip.html.strip()]
    lines += [
        "",
        "/course shows the details and switches this summary off.",
        "",
        PRESCRIBER_DECIDES,
    ]
    return "\n".join(lines)


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
        progress = await load_progress(session, user, course, now)
        records = await dose_records(session, user.id, zone, now, days=7)
        adherence = summarize(records, local_day(now, zone), 7)
        return Outgoing(summary_text(progress, adherence, pick_tip(library, progress.day)))

    return render
