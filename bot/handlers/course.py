"""/course: the start date, daily dose and weight histories, the target and progress toward it.

With no arguments it guides: start date, then dose, then weight, each typed or tapped, with the
step kept in users.awaiting. Typed shortcuts change one thing: /course dose 40.
"""

from __future__ import annotations

import html
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.awaiting import expect_input, reads_as
from bot.button_replies import pressed, show_after_press
from bot.checkin_settings_view import with_weekly_checkin
from bot.commands import COURSE, CommandInfo
from bot.course_args import parse_course_args, parse_start_date, parse_target, typed_value
from bot.course_before import check_before
from bot.course_chart_reply import edit_chart, reply_with_chart
from bot.course_input import Action, CourseInputError, Field, FieldValue
from bot.course_view import (
    PREFIX,
    CourseFacts,
    before_prompt,
    course_keyboard,
    course_screen,
    dose_prompt,
    end_confirmation,
    new_course_prompt,
    start_prompt,
    target_prompt,
    weight_prompt,
    with_note,
    with_prescriber,
)
from bot.day_words import speaks_of_a_day
from bot.keyboards import Screen
from bot.pictures.caption import MAX_CAPTION, visible_length
from bot.pictures.chart_data import ChartData, chart_data
from bot.services import Context, IsobotApp, add_commands, services, user_session
from scheduler.course_series import (
    CourseHistory,
    course_history,
    course_last_day,
    estimated_before,
    progress_of,
    series_of,
    tracked_from,
)
from scheduler.courses import (
    dose_history,
    end_course,
    end_day,
    resume_course,
    set_dose,
    set_summary,
    set_weight,
    settled_course,
    start_course,
    summary_reminder,
    user_zone,
    weight_history,
)
from scheduler.cumulative import CourseProgress, dose_in_effect, next_change
from scheduler.recurrence import local_day
from scheduler.reminders import reminders_of, switch_kind_off
from storage.models import Course, ReminderKind, User

AWAITING = "course:"
# Exactly the buttons of bot/course_view.py: anything else under crs: is forged or out of date,
# and falls through to the catch-all, which refuses it without touching the course.
BUTTON_PATTERN = (
    f"^{PREFIX}(start:.+|ask:(dose|weight|target|start|before)|target:[0-9]{{1,3}}"
    "|end|endyes|resume|sum:(on|off)|show|dosesoff)$"
)
NO_COURSE = "First, the day you started: /course start 2026-03-01, or /course alone to be guided."


async def screen(session: AsyncSession, user: User, course: Course, now: datetime) -> Screen:
    """The progress screen with its buttons, as things stand."""
    zone = user_zone(user)
    today = local_day(now, zone)
    history = await course_history(session, user, course, now)
    summary = await summary_reminder(session, user.id)
    reminders = await reminders_of(session, user.id)
    facts = CourseFacts(
        start=course.start_date,
        today=today,
        current_dose=dose_in_effect(today, history.doses),
        next_dose=next_change(today, history.doses),
        summary_on=summary is not None and summary.enabled,
        has_zone=bool(user.timezone),
        has_dose_reminders=any(r.kind == ReminderKind.DOSE and r.enabled for r in reminders),
        ended_on=end_day(course, zone),
    )
    progress = progress_of(course, history, zone, now)
    return course_screen(progress, facts), with_weekly_checkin(course_keyboard(facts), user.id)


async def next_step(session: AsyncSession, user: User, course: Course, now: datetime) -> Screen:
    """In the guided flow: ask for what is still missing, else show the screen."""
    if not await dose_history(session, user.id, course.start_date):
        user.awaiting = f"{AWAITING}{Field.DOSE}"
        return dose_prompt(course.start_date), None
    if not await weight_history(session, user.id):
        user.awaiting = f"{AWAITING}{Field.WEIGHT}"
        return weight_prompt(), None
    user.awaiting = ""
    return await screen(session, user, course, now)


async def apply_value(
    session: AsyncSession, user: User, value: FieldValue, now: datetime
) -> Course:
    """Store one typed or tapped value; CourseInputError says why it cannot be used."""
    course = await settled_course(session, user, now)
    today = local_day(now, user_zone(user))
    if value.field == Field.START:
        assert value.on is not None
        return await start_course(session, user, value.on, now)
    if course is None:
        raise CourseInputError(NO_COURSE)
    if value.field == Field.DOSE:
        assert value.number is not None
        # The first dose is the one the course started on; later ones are changes from today.
        first = not await dose_history(session, user.id, course.start_date)
        effective = value.on or (course.start_date if first else today)
        if effective < course.start_date:
            raise CourseInputError(
                f"Your course started on {course.start_date:%d %b %Y}; a dose change is on or "
                "after that day."
            )
        # The first dose counts from the start (scheduler/cumulative.py), so it cannot wait.
        if first and effective > today:
            raise CourseInputError(
                "First send the dose you take now, like /course dose 40; then the change, like "
                "/course dose 60 from tomorrow."
            )
        await set_dose(session, course, value.number, effective, now)
    elif value.field == Field.WEIGHT:
        assert value.number is not None
        await set_weight(session, course, value.number, value.on or today, now)
    elif value.field == Field.BEFORE:
        assert value.number is not None
        check_before(value.number, course.start_date, today)
        # 0 clears it: NULL, as on a course that never had one.
        course.mg_before_tracking = value.number or None
        course.updated_at = now
    else:
        assert value.number is not None
        course.target_mg_per_kg = int(value.number)
        course.updated_at = now
    return course


async def apply_action(session: AsyncSession, user: User, action: Action, now: datetime) -> Screen:
    course = await settled_course(session, user, now)
    if course is None:
        raise CourseInputError(NO_COURSE)
    if action == Action.END:
        if course.ended_at is None:
            await end_course(session, user, course, now)
    elif action == Action.RESUME:
        await resume_course(session, user, course, now)
    else:
        await set_summary(session, user, action == Action.SUMMARY_ON, now)
    user.awaiting = ""
    return await screen(session, user, course, now)


async def chart_for(session: AsyncSession, user: User, now: datetime) -> ChartData | None:
    """The cumulative chart as things stand; None without a course, a weight or a day of it."""
    course = await settled_course(session, user, now)
    if course is None:
        return None
    history = await course_history(session, user, course, now)
    progress = progress_of(course, history, user_zone(user), now)
    return course_chart(user, course, history, progress, now)


def course_chart(
    user: User, course: Course, history: CourseHistory, progress: CourseProgress, now: datetime
) -> ChartData | None:
    """The chart of a course from its history and progress, both from the caller."""
    start, last = course.start_date, course_last_day(user, course, now)
    points = series_of(history, start, last, progress.mg_before_tracking)
    return chart_data(progress, points, tracked_from(history, start, last))


async def course_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    now = svc.clock.now()
    chart = None
    async with user_session(svc.db, update) as (session, user):
        reply: Screen
        try:
            reply = await _command_reply(session, user, context.args or [], now)
            # /course alone shows the progress screen: with the chart, the screen its caption.
            if not context.args and not user.awaiting:
                chart = await chart_for(session, user, now)
        except CourseInputError as error:
            reply = with_prescriber(html.escape(str(error))), None
    await reply_with_chart(message, reply, chart)


async def _command_reply(
    session: AsyncSession, user: User, args: list[str], now: datetime
) -> Screen:
    course = await settled_course(session, user, now)
    if not args:
        if course is None:
            user.awaiting = f"{AWAITING}{Field.START}"
            return start_prompt(local_day(now, user_zone(user)), bool(user.timezone))
        user.awaiting = ""
        return await screen(session, user, course, now)
    request = parse_course_args(args, local_day(now, user_zone(user)))
    if isinstance(request, Action):
        return await apply_action(session, user, request, now)
    course = await apply_value(session, user, request, now)
    user.awaiting = ""
    if request.field == Field.START and await _new_course_without_its_dose(session, user, course):
        # The ended course's dose is no dose of this one: ask, as the guided flow does.
        user.awaiting = f"{AWAITING}{Field.DOSE}"
        return new_course_prompt(course.start_date), None
    text, markup = await screen(session, user, course, now)
    return with_note(text, request.note), markup


async def _new_course_without_its_dose(session: AsyncSession, user: User, course: Course) -> bool:
    own = await dose_history(session, user.id, course.start_date)
    return not own and bool(await dose_history(session, user.id))


def _looks_like_an_answer(text: str) -> bool:
    """A short reply, or a day in words ("I started last monday"); anything longer without a
    digit is a question for the other handlers."""
    words = text.split()
    if len(words) > 5:
        return False
    return (
        speaks_of_a_day(text)
        or (len(words) <= 4 and any(ch.isdigit() for ch in text))
        or (len(words) <= 2)
    )


def _reads(awaiting: str, text: str) -> bool:
    """Whether the flow can take `text`: a value it reads, or a day named too vaguely, which it
    asks about ("started last week": which day?)."""
    return _READS_A_VALUE(awaiting, text) or (
        awaiting.endswith(Field.START) and speaks_of_a_day(text)
    )


def _typed(awaiting: str, text: str) -> object:
    # Today's date only bounds which dates are accepted; whether the text is a value is the same.
    return typed_value(Field(awaiting.removeprefix(AWAITING)), text, date.today())


_READS_A_VALUE = reads_as(_typed, CourseInputError, ValueError)


async def typed_input(update: Update, context: Context, awaiting: str) -> bool:
    """A value typed while the flow waits for it; a question goes on to free text (a warning
    sign never reaches here: bot/awaiting.py sends it there first)."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return False
    svc = services(context)
    if not _looks_like_an_answer(message.text):
        return False
    try:
        field = Field(awaiting.removeprefix(AWAITING))
    except ValueError:
        return False
    now = svc.clock.now()
    async with user_session(svc.db, update) as (session, user):
        reply: Screen
        try:
            value = typed_value(field, message.text, local_day(now, user_zone(user)))
            course = await apply_value(session, user, value, now)
            text, markup = await next_step(session, user, course, now)
            reply = with_note(text, value.note), markup
        except CourseInputError as error:
            reply = with_prescriber(html.escape(str(error))), None
    await message.reply_text(reply[0], reply_markup=reply[1])
    return True


async def course_button(update: Update, context: Context) -> None:
    query, data = pressed(update, PREFIX)
    svc = services(context)
    action, _, argument = data.partition(":")
    now = svc.clock.now()
    on_chart = isinstance(query.message, Message) and bool(query.message.photo)
    chart = None
    async with user_session(svc.db, update) as (session, user):
        course = await settled_course(session, user, now)
        outcome: tuple[Screen, bool] | str
        try:
            outcome = await _button_reply(session, user, course, action, argument, now)
            if on_chart and action not in {"end", "ask"}:
                chart = await chart_for(session, user, now)
        except CourseInputError as error:
            outcome = str(error)[:200]
    if isinstance(outcome, str):
        await query.answer(outcome)
        return
    reply, new_message = outcome
    await query.answer()
    if on_chart and not new_message and visible_length(reply[0]) <= MAX_CAPTION:
        await edit_chart(query, reply, chart)
        return
    # A screen too long for a caption goes below the chart as a message of its own.
    await show_after_press(query, context, reply[0], reply[1], new_message=new_message or on_chart)


async def _button_reply(
    session: AsyncSession,
    user: User,
    course: Course | None,
    action: str,
    argument: str,
    now: datetime,
) -> tuple[Screen, bool]:
    """The reply to a button, and whether it is a new message rather than an edit."""
    today = local_day(now, user_zone(user))
    if action == "start":
        if course is not None and user.awaiting != f"{AWAITING}{Field.START}":
            # A start-date button from a question answered long ago must not quietly move
            # the start of a course that has one.
            raise CourseInputError(
                f"That question was answered: your course started on "
                f"{course.start_date:%d %b %Y}. To change it, tap 📅 Start date in /course."
            )
        value = FieldValue(Field.START, on=parse_start_date(argument, today))
        course = await apply_value(session, user, value, now)
        return await next_step(session, user, course, now), False
    if course is None:
        user.awaiting = f"{AWAITING}{Field.START}"
        return start_prompt(today, bool(user.timezone)), False
    if action == "ask":
        return await _ask(session, user, course, argument, now), True
    if action == "target":
        value = FieldValue(Field.TARGET, parse_target(argument))
        await apply_value(session, user, value, now)
        user.awaiting = ""
        return await screen(session, user, course, now), False
    if action == "end":
        return end_confirmation(), False
    if action == "dosesoff":
        await switch_kind_off(session, user, ReminderKind.DOSE, now)
        return await screen(session, user, course, now), False
    named = {
        "endyes": Action.END,
        "resume": Action.RESUME,
        "sum": Action.SUMMARY_ON if argument == "on" else Action.SUMMARY_OFF,
    }
    if action in named:
        return await apply_action(session, user, named[action], now), False
    return await screen(session, user, course, now), False


async def _ask(
    session: AsyncSession, user: User, course: Course, what: str, now: datetime
) -> Screen:
    today = local_day(now, user_zone(user))
    if what == Field.BEFORE:
        user.awaiting = f"{AWAITING}{Field.BEFORE}"
        history = await course_history(session, user, course, now)
        estimate = estimated_before(history, course.start_date, today)
        return before_prompt(course.mg_before_tracking, course.start_date, estimate), None
    if what == Field.TARGET:
        user.awaiting = f"{AWAITING}{Field.TARGET}"
        return target_prompt(course.target_mg_per_kg)
    if what == Field.START:
        user.awaiting = f"{AWAITING}{Field.START}"
        return start_prompt(today, bool(user.timezone))
    if what == Field.WEIGHT:
        user.awaiting = f"{AWAITING}{Field.WEIGHT}"
        return weight_prompt(), None
    user.awaiting = f"{AWAITING}{Field.DOSE}"
    first = not await dose_history(session, user.id, course.start_date)
    return dose_prompt(course.start_date if first else today), None


def register(app: IsobotApp) -> None:
    add_commands(
        app, CommandInfo("course", "Your course: dose, weight and cumulative progress", COURSE)
    )
    app.add_handler(CommandHandler("course", course_command))
    app.add_handler(CallbackQueryHandler(course_button, pattern=BUTTON_PATTERN))
    expect_input(app, AWAITING.rstrip(":"), typed_input, reads=_reads)
