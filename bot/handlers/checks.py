"""/checks: monthly reminders for blood tests and pregnancy tests, by command or with buttons."""

from __future__ import annotations

import html
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.awaiting import ShortAnswer, expect_short_answer, reads_as
from bot.button_replies import pressed, show_after_press
from bot.check_args import (
    CheckArgsError,
    parse_check_args,
    parse_check_kind,
    parse_day_and_time,
    parse_day_of_month,
    parse_time_for_day,
)
from bot.check_view import (
    PREFIX,
    confirmation,
    day_picker,
    overview,
    switched_off,
    time_picker,
)
from bot.commands import COURSE, CommandInfo
from bot.course_view import with_prescriber
from bot.handlers.timezone import SET_ZONE_FIRST, zone_keyboard
from bot.keyboards import Screen
from bot.services import Context, IsobotApp, add_commands, services, user_session
from scheduler.checks import CHECK_KINDS, checks_of, set_check
from scheduler.recurrence import parse_hhmm
from scheduler.reminders import switch_kind_off
from scheduler.zones import COMMON_ZONES
from storage.models import ReminderKind, User

AWAITING = "checks:"
# The kind's name in users.awaiting (parse_check_kind reads it back). That column holds 32
# characters, and "@<message id>" (up to 10 digits) is added to it: "checks:pregnancy_test:31@"
# and an id would not fit, "checks:ptest:31@" does.
_AWAITING_NAMES = {ReminderKind.LABS: "labs", ReminderKind.PREGNANCY_TEST: "ptest"}
NEED_ZONE = (
    "First, which timezone are you in? Checks come at your local time, so I never guess. "
    "Pick one below or type it, like /timezone Europe/Berlin. Then send /checks again."
)


async def _overview(session: AsyncSession, user: User, now: datetime) -> Screen:
    checks = await checks_of(session, user.id)
    return overview(checks, user.reminders_paused, ZoneInfo(user.timezone), now)


async def _set(
    session: AsyncSession, user: User, kind: ReminderKind, day: int, local: time, now: datetime
) -> str:
    reminder = await set_check(session, user, kind, day, local, now)
    user.awaiting = ""
    return confirmation(reminder, ZoneInfo(user.timezone), user.reminders_paused, now)


async def checks_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    now = svc.clock.now()
    async with user_session(svc.db, update) as (session, user):
        reply = await _command_reply(session, user, context.args or [], now)
    await message.reply_text(reply[0], reply_markup=reply[1])


async def _command_reply(
    session: AsyncSession, user: User, args: list[str], now: datetime
) -> Screen:
    if not user.timezone:
        return with_prescriber(NEED_ZONE), zone_keyboard(COMMON_ZONES)
    if not args:
        user.awaiting = ""
        return await _overview(session, user, now)
    try:
        request = parse_check_args(args)
    except CheckArgsError as error:
        return with_prescriber(html.escape(str(error))), None
    if request.day_of_month is None:
        await switch_kind_off(session, user, request.kind, now)
        return switched_off(request.kind), None
    return await _set(session, user, request.kind, request.day_of_month, request.local, now), None


async def check_button(update: Update, context: Context) -> None:
    query, data = pressed(update, PREFIX)
    svc = services(context)
    parts = data.split(":")
    now = svc.clock.now()
    reply: Screen | None = None
    notice = SET_ZONE_FIRST
    async with user_session(svc.db, update) as (session, user):
        if user.timezone:
            try:
                reply = await _button_reply(session, user, parts, now)
            except (CheckArgsError, ValueError, IndexError):
                notice = "That button is out of date. Send /checks again."
    if reply is None:
        await query.answer(notice)
        return
    await query.answer()
    await show_after_press(query, context, *reply)


async def _button_reply(
    session: AsyncSession, user: User, parts: list[str], now: datetime
) -> Screen:
    """`k:<kind>` day picker, `d:<kind>:<day>` time picker, `t:<kind>:<day>:<hhmm>` set,
    `off:<kind>` switch off. Malformed data raises, and the caller says it is out of date."""
    action, kind = parts[0], ReminderKind(parts[1])
    if kind not in CHECK_KINDS:
        raise ValueError(f"{kind} is not a check")
    if action == "k" and len(parts) == 2:
        user.awaiting = _awaiting(kind)
        return day_picker(kind)
    if action == "d" and len(parts) == 3:
        day = parse_day_of_month(parts[2])
        # The day tapped is kept, so a time typed next is that day's: the screen asks for it.
        user.awaiting = _awaiting(kind, day)
        return time_picker(kind, day)
    if action == "t" and len(parts) == 4 and len(parts[3]) == 4:
        day, local = parse_day_of_month(parts[2]), parse_hhmm(f"{parts[3][:2]}:{parts[3][2:]}")
        return await _set(session, user, kind, day, local, now), None
    if action == "off" and len(parts) == 2:
        await switch_kind_off(session, user, kind, now)
        return await _overview(session, user, now)
    raise ValueError("unknown check button")


def _awaiting(kind: ReminderKind, day: int | None = None) -> str:
    """ "checks:labs" while the day is asked for, "checks:labs:15" once day 15 was tapped."""
    return f"{AWAITING}{_AWAITING_NAMES[kind]}" + (f":{day}" if day is not None else "")


def _typed_when(flow: str, words: list[str]) -> tuple[ReminderKind, int, time]:
    """The check, the day and the time that `words` typed in `flow` ask for."""
    name, _, tapped = flow.removeprefix(AWAITING).partition(":")
    kind = parse_check_kind(name)
    if tapped:
        return kind, *parse_time_for_day(words, parse_day_of_month(tapped))
    return kind, *parse_day_and_time(words)


async def typed_day_and_time(answer: ShortAnswer, context: Context) -> None:
    """`15 09:00` typed after tapping a check; `10:30` after tapping its day too."""
    async with user_session(services(context).db, answer.update) as (session, user):
        try:
            kind, day, local = _typed_when(answer.flow, answer.words)
        except CheckArgsError as error:
            reply = with_prescriber(html.escape(str(error)))
        else:
            reply = await _set(session, user, kind, day, local, answer.now)
    await answer.message.reply_text(reply)


def register(app: IsobotApp) -> None:
    add_commands(
        app, CommandInfo("checks", "Monthly blood test and pregnancy test reminders", COURSE)
    )
    app.add_handler(CommandHandler("checks", checks_command))
    app.add_handler(CallbackQueryHandler(check_button, pattern=f"^{PREFIX}"))
    reads = reads_as(lambda flow, text: _typed_when(flow, text.split()), CheckArgsError, ValueError)
    expect_short_answer(app, AWAITING.rstrip(":"), typed_day_and_time, reads=reads)
