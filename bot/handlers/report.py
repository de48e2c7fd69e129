"""/report: a one-page PDF for the next appointment, built on demand and never stored.

It holds only what the user entered (/course, /checks) and what the bot recorded (the dose
log, the check reminders sent and marked done).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.checkin_history import checkin_line
from bot.commands import COURSE, CommandInfo
from bot.handlers.course import course_chart
from bot.pictures.renderer import PictureError, renderer
from bot.pictures.report_model import (
    CheckLine,
    CourseFigures,
    ReportData,
    file_name,
    missed_days,
    plain_text,
)
from bot.pictures.report_pdf import build_report_pdf
from bot.services import Context, IsobotApp, add_commands, services, user_session
from scheduler.adherence import summarize
from scheduler.check_history import check_occurrences, next_checks
from scheduler.checkin_screen import has_answers
from scheduler.course_series import course_history, course_last_day, progress_of
from scheduler.courses import end_day, settled_course, user_zone
from scheduler.cumulative import doses_from
from scheduler.dose_span import first_dose_day
from scheduler.doses import dose_records
from scheduler.messages import PRESCRIBER
from scheduler.recurrence import local_day
from storage.checkins import checkins_of
from storage.models import ReminderKind, User

CHECK_NAMES = {ReminderKind.LABS: "Blood test", ReminderKind.PREGNANCY_TEST: "Pregnancy test"}
# The report lists the last check-ins, one line each.
CHECKINS_LISTED = 8
NOTHING_YET = (
    "There is nothing to put in a report yet. Set your course with /course, or dose reminders "
    "with /remind dose 08:00, and I will have something to show.\n\n" + PRESCRIBER
)
FAILED = (
    "Sorry, I could not make the report just now. Please try /report again in a minute.\n\n"
    + PRESCRIBER
)


def report_caption(made_on: date) -> str:
    return (
        f"📄 <b>Your summary for your next appointment</b>, {made_on.day} {made_on:%b %Y}.\n"
        "One page: your course, cumulative dose, adherence, missed days and check reminders. "
        "It holds health information, so share it only with people you choose. I do not keep "
        f"a copy.\n\n{PRESCRIBER}"
    )


async def gather(session: AsyncSession, user: User, now: datetime, disclaimer: str) -> ReportData:
    """Everything the report shows, read in the handler's one session."""
    zone = user_zone(user)
    today = local_day(now, zone)
    course = await settled_course(session, user, now)
    figures = None
    chart = None
    first = await first_dose_day(session, user.id, zone)
    if course is not None:
        history = await course_history(session, user, course, now)
        progress = progress_of(course, history, zone, now)
        chart = course_chart(user, course, history, progress, now)
        figures = CourseFigures(
            start=course.start_date,
            ended_on=end_day(course, zone),
            doses=tuple(doses_from(course.start_date, history.doses)),
            progress=progress,
        )
        if course.start_date <= today:
            first = course.start_date
    last = course_last_day(user, course, now) if course is not None else today
    first = first or today
    days = (today - first).days + 1
    records = await dose_records(session, user.id, zone, now, days=max(days, 30))
    if course is not None:
        # The course's doses only: a reminder answered before it began or after it ended is
        # none of its doses, as the missed days and the cumulative mg already say.
        records = [r for r in records if first <= r.local_date <= last]
    adherence = [
        ("Last 7 days", summarize(records, today, 7)),
        ("Last 30 days", summarize(records, today, 30)),
    ]
    if days > 30:
        adherence.append((f"Since {first.day} {first:%b %Y}", summarize(records, today, days)))
    checks = await check_occurrences(session, user.id, zone)
    upcoming = await next_checks(session, user.id, zone)
    return ReportData(
        made_on=today,
        timezone=user.timezone or "UTC (no timezone set)",
        course=figures,
        adherence=tuple(adherence),
        missed=missed_days(records, first, last),
        checks=tuple(CheckLine(CHECK_NAMES[c.kind], c.day, c.done) for c in checks),
        next_checks=tuple((CHECK_NAMES[kind], day) for kind, day in upcoming),
        disclaimer=disclaimer,
        chart=chart,
        # A check-in opened and left without an answer is none: /history does not count it.
        checkin_lines=tuple(
            checkin_line(c)
            for c in await checkins_of(session, user.id, limit=CHECKINS_LISTED)
            if has_answers(c)
        ),
    )


def has_anything(data: ReportData) -> bool:
    return (
        data.course is not None
        or any(a.counted for _, a in data.adherence)
        or bool(data.checks)
        or bool(data.checkin_lines)
    )


async def report_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    disclaimer = " ".join([plain_text(svc.library.disclaimer_html), plain_text(PRESCRIBER)])
    async with user_session(svc.db, update) as (session, user):
        data = await gather(session, user, svc.clock.now(), disclaimer)
    if not has_anything(data):
        await message.reply_text(NOTHING_YET)
        return
    try:
        pdf = await renderer.render(build_report_pdf, data)
    except PictureError:
        await message.reply_text(FAILED)
        return
    await message.reply_document(
        InputFile(pdf, filename=file_name(data.made_on)), caption=report_caption(data.made_on)
    )


def register(app: IsobotApp) -> None:
    add_commands(
        app, CommandInfo("report", "A one-page PDF summary for your next appointment", COURSE)
    )
    app.add_handler(CommandHandler("report", report_command))
