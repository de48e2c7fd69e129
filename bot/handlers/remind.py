"""/remind: set a kind's times by command, or through a guided flow with buttons."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.awaiting import ShortAnswer, expect_short_answer, reads_as
from bot.button_replies import pressed, show_after_press
from bot.commands import REMINDERS, CommandInfo
from bot.formatting import join_words, when_local
from bot.handlers.timezone import SET_ZONE_FIRST, zone_keyboard
from bot.handlers.users import seen_user_session, takes_own_sighting
from bot.keyboards import Screen, rows
from bot.reminder_args import (
    KIND_LABELS,
    MAX_TIMES,
    ReminderArgsError,
    check_dose_spacing,
    parse_remind_args,
    parse_times,
)
from bot.services import (
    Context,
    IsobotApp,
    add_commands,
    note_last_message,
    services,
    user_session,
)
from scheduler.recurrence import parse_hhmm
from scheduler.reminders import (
    Read,
    format_hhmm,
    read_user_and_kind,
    reminders_of,
    set_times,
    switch_kind_off,
)
from scheduler.schedules import DAILY_KINDS
from scheduler.zones import COMMON_ZONES
from storage.models import Reminder, ReminderKind, User, UserStatus

KIND_PREFIX = "rk:"
TIME_PREFIX = "rt:"
AWAITING = "remind:"
PICKER_TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00", "21:00", "22:00")
NEED_ZONE = (
    "First, which timezone are you in? Reminders come at your local time, so I never guess. "
    "Pick one below or type it, like /timezone Europe/Berlin. Then send /remind again."
)


def daily_kind(name: str) -> ReminderKind:
    """The daily kind a button names; ValueError for monthly and weekly ones, set elsewhere."""
    kind = ReminderKind(name)
    if kind not in DAILY_KINDS:
        raise ValueError(f"{kind} is not set with /remind")
    return kind


def kind_times(reminders: list[Reminder], kind: ReminderKind) -> list[str]:
    """The kind's times that are on: the ones the picker shows as chosen."""
    return sorted(r.local_time for r in reminders if r.kind == kind and r.enabled)


def summary(
    kind: ReminderKind, reminders: list[Reminder], user: User, now: datetime, owed: bool = False
) -> str:
    """The kind's times and when the next reminder comes: at once when `owed`, a reminder for a
    time just passed that the change left due."""
    label = KIND_LABELS[kind]
    times = [r for r in reminders if r.kind == kind and r.enabled]
    if not times:
        return f"{label} reminders are off."
    zone = ZoneInfo(user.timezone)
    text = f"✅ {label} reminders at {join_words([r.local_time for r in times])} ({user.timezone})."
    upcoming = [r.next_fire_at for r in times if r.next_fire_at is not None]
    if user.reminders_paused:
        text += " They are paused: /resume starts them."
    elif owed:
        text += " Next: now, for the time just passed."
    elif upcoming:
        text += f" Next: {when_local(min(upcoming), zone, now)}."
    return text


_WANTED = {True: "on", False: "off"}


def picker(kind: ReminderKind, chosen: list[str], replacing: str = "") -> Screen:
    """The time buttons. With `replacing`, a time was tapped away and is still kept: the next
    time tapped takes its place (a move, which keeps what it owes and any snooze), and Finish
    removes it."""
    label = KIND_LABELS[kind]
    chosen_text = join_words(chosen) if chosen else "none yet"
    text = (
        f"{label}: at what time? Tap up to {MAX_TIMES} times (tap again to remove one), "
        f"or type them, like 08:30 or 08:00 20:00.\nChosen: <b>{chosen_text}</b>"
    )
    if replacing:
        text += f"\nTap the time that takes the place of {replacing}, or Finish to remove it."
    swap = f":{replacing.replace(':', '')}" if replacing else ""
    # Each button says what it wants, not "toggle": a tap handled twice (after a crash, the
    # same update comes again) must not undo itself.
    buttons = [
        InlineKeyboardButton(
            f"✓ {t}" if t in chosen else t,
            callback_data=(
                f"{TIME_PREFIX}{kind}:{t.replace(':', '')}:{_WANTED[t not in chosen]}{swap}"
            ),
        )
        for t in PICKER_TIMES
    ]
    keyboard = rows(buttons, width=4)
    finish = f"{TIME_PREFIX}{kind}:done:off{swap}" if swap else f"{TIME_PREFIX}{kind}:done"
    keyboard.append([InlineKeyboardButton("✔️ Finish", callback_data=finish)])
    return text, InlineKeyboardMarkup(keyboard)


async def remind_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    args = context.args or []
    if not args:
        async with seen_user_session(update, context) as (session, user):
            user.awaiting = ""
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(KIND_LABELS[k], callback_data=f"{KIND_PREFIX}{k}")]
                for k in DAILY_KINDS
            ]
        )
        await message.reply_text("Which reminder would you like to set?", reply_markup=keyboard)
        return
    try:
        request = parse_remind_args(args)
        check_dose_spacing(request.kind, request.times, svc.policy.dose_grace)
    except ReminderArgsError as error:
        await message.reply_text(html.escape(str(error)))
        return
    now = svc.clock.now()
    async with _kind_session(update, context, request.kind) as (session, user, read):
        if not user.timezone:
            reply, markup = NEED_ZONE, zone_keyboard(COMMON_ZONES)
        elif request.times:
            changed, owed = await set_times(
                session, user, request.kind, request.times, now, read=read
            )
            reply, markup = summary(request.kind, changed, user, now, owed), None
        else:
            await switch_kind_off(session, user, request.kind, now)
            reply = f"{KIND_LABELS[request.kind]} reminders are off. /reminders shows the rest."
            markup = None
    await message.reply_text(reply, reply_markup=markup)


@asynccontextmanager
async def _kind_session(
    update: Update, context: Context, kind: ReminderKind
) -> AsyncIterator[tuple[AsyncSession, User, Read | None]]:
    """The session of `/remind <kind> ...`, its user, and the kind's reminders if read with them.

    A known, active user in their private chat is read with the kind's reminders in one
    statement, and this update's sighting stays noted (bot/sightings.py) for the next write of
    noted ones, a second later at most, as a topic's does: that write, or any update of theirs
    that cannot wait, still forgets a flow left too long. Anyone else (new, blocked, in a group)
    takes `seen_user_session`, which records them first.
    """
    sender, chat = update.effective_user, update.effective_chat
    assert sender is not None and chat is not None
    if chat.type == ChatType.PRIVATE:
        async with services(context).db.session() as session:
            user, read = await read_user_and_kind(session, sender.id, kind)
            if user is not None and user.status == UserStatus.ACTIVE:
                yield session, user, read
                note_last_message(user, update)
                return
    async with seen_user_session(update, context) as (session, user):
        yield session, user, None


async def _kind_named(query: CallbackQuery, name: str) -> ReminderKind | None:
    """The daily kind a button names; None, once the press is told, for a button out of date."""
    try:
        return daily_kind(name)
    except ValueError:
        await query.answer("That button is out of date. Send /remind again.")
        return None


async def kind_button(update: Update, context: Context) -> None:
    query, data = pressed(update, KIND_PREFIX)
    svc = services(context)
    if (kind := await _kind_named(query, data)) is None:
        return
    async with user_session(svc.db, update) as (session, user):
        if user.timezone:
            user.awaiting = f"{AWAITING}{kind}"
            screen = picker(kind, kind_times(await reminders_of(session, user.id), kind))
        else:
            screen = NEED_ZONE, zone_keyboard(COMMON_ZONES)
    await query.answer()
    await show_after_press(query, context, *screen)


async def time_button(update: Update, context: Context) -> None:
    query, data = pressed(update, TIME_PREFIX)
    svc = services(context)
    kind_name, _, value = data.partition(":")  # "0800:on", "done"
    if (kind := await _kind_named(query, kind_name)) is None:
        return
    async with user_session(svc.db, update) as (session, user):
        outcome = await _pick_time(
            session, user, kind, value, svc.clock.now(), svc.policy.dose_grace
        )
    if isinstance(outcome, str):
        await query.answer(outcome)
        return
    await query.answer()
    await show_after_press(query, context, *outcome)


async def _pick_time(
    session: AsyncSession,
    user: User,
    kind: ReminderKind,
    value: str,
    now: datetime,
    grace: timedelta,
) -> str | Screen:
    """Apply a tap on a time, or on Finish: the new screen, or a notice to show instead."""
    if not user.timezone:
        return SET_ZONE_FIRST
    reminders = await reminders_of(session, user.id)
    chosen = kind_times(reminders, kind)
    hhmm, _, rest = value.partition(":")
    wanted, _, swap = rest.partition(":")
    try:
        replacing = _hhmm(swap) if swap else ""
        picked = "" if hhmm == "done" else _hhmm(hhmm)
    except ValueError:
        return "That button is out of date. Send /remind again."
    # A time tapped away is kept until the next tap says whether it moves or goes: anything
    # else, and the button is older.
    replacing = replacing if replacing in chosen else ""
    shown = [t for t in chosen if t != replacing]
    if hhmm == "done":
        if replacing:
            await set_times(session, user, kind, [parse_hhmm(t) for t in shown], now)
            reminders = await reminders_of(session, user.id)
        user.awaiting = ""
        return summary(kind, reminders, user, now), None
    # "on" or "off" from the button; a button from before they said so toggles.
    add = picked not in shown if wanted not in {"on", "off"} else wanted == "on"
    if add == (picked in shown):
        # Already so: the same tap again changes nothing.
        return picker(kind, sorted(shown), replacing=replacing)
    if not add:
        if replacing:  # a second time tapped away: the first one goes
            await set_times(session, user, kind, [parse_hhmm(t) for t in shown], now)
        return picker(kind, sorted(t for t in shown if t != picked), replacing=picked)
    if len(shown) >= MAX_TIMES:
        return f"At most {MAX_TIMES} times. Tap one to remove it first."
    # With a time held, the new one takes its place: a move, which keeps any snooze.
    chosen = [*shown, picked]
    times = [parse_hhmm(t) for t in chosen]
    try:
        check_dose_spacing(kind, times, grace)
    except ReminderArgsError as error:
        return str(error)[:200]
    await set_times(session, user, kind, times, now)
    return picker(kind, sorted(chosen))


def _hhmm(digits: str) -> str:
    """ "0800" from a button as "08:00"; ValueError if it is no time."""
    return format_hhmm(parse_hhmm(f"{digits[:2]}:{digits[2:]}"))


async def typed_times(answer: ShortAnswer, context: Context) -> None:
    """Times typed during the guided flow."""
    kind, now = ReminderKind(answer.flow.removeprefix(AWAITING)), answer.now
    try:
        times = parse_times(answer.words, kind)
        check_dose_spacing(kind, times, services(context).policy.dose_grace)
    except ReminderArgsError as error:
        await answer.message.reply_text(html.escape(str(error)))
        return
    async with user_session(services(context).db, answer.update) as (session, user):
        user.awaiting = ""
        changed, owed = await set_times(session, user, kind, times, now)
        reply = summary(kind, changed, user, now, owed)
    await answer.message.reply_text(reply)


def register(app: IsobotApp) -> None:
    add_commands(app, CommandInfo("remind", "Set dose, moisturiser or sunscreen times", REMINDERS))
    app.add_handler(CommandHandler("remind", remind_command))
    # Its user is recorded in its own transaction, not in one before it.
    takes_own_sighting(app, "remind")
    app.add_handler(CallbackQueryHandler(kind_button, pattern=f"^{KIND_PREFIX}"))
    app.add_handler(CallbackQueryHandler(time_button, pattern=f"^{TIME_PREFIX}"))
    reads = reads_as(lambda _flow, text: parse_times(text.split()), ReminderArgsError, ValueError)
    expect_short_answer(app, AWAITING.rstrip(":"), typed_times, reads=reads)
