"""/reminders (list, switch on or off, delete), /pause and /resume."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.button_replies import pressed, show_after_press
from bot.commands import REMINDERS
from bot.formatting import schedule_words, when_local
from bot.keyboards import Screen
from bot.reminder_args import KIND_LABELS
from bot.services import Context, IsobotApp, add_command, services, user_session
from scheduler.callbacks import row_id
from scheduler.reminders import delete_reminder, reminders_of, set_enabled, set_paused
from storage.models import Reminder, User

PREFIX = "rm:"
MOVED = "That reminder is at another time now: here is the list as it is, nothing changed."
EMPTY = "You have no reminders yet. Set one with /remind, for example /remind dose 08:00."


def listing(user: User, reminders: list[Reminder], now: datetime) -> Screen:
    if not reminders:
        return EMPTY, None
    lines = ["⏰ <b>Your reminders</b>"]
    if user.timezone:
        lines[0] += f" ({user.timezone})"
    keyboard = []
    for r in reminders:
        when = schedule_words(r.local_time, r.day_of_month, r.day_of_week)
        label = f"{KIND_LABELS[r.kind]} {when}"
        if not r.enabled:
            state = "off"
        elif user.reminders_paused:
            state = "paused"
        elif r.next_fire_at is not None and user.timezone:
            state = f"next {when_local(r.next_fire_at, ZoneInfo(user.timezone), now)}"
        else:
            state = "on"
        lines.append(f"{label} — {state}")
        toggle = ("Switch off", "off") if r.enabled else ("Switch on", "on")
        keyboard.append([_button(*toggle, r), _button("🗑 Delete", "del", r)])
    if user.reminders_paused:
        lines.append("\nAll reminders are paused. /resume starts them again.")
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def _button(label: str, action: str, reminder: Reminder) -> InlineKeyboardButton:
    """A button naming the reminder by its kind's sign and its time, which the press checks with
    its day: a moved time or day keeps its row, and a list shown before the move must not act
    on the new one. The sign tells a dose at 09:00 from a pregnancy test at 09:00."""
    sign = KIND_LABELS[reminder.kind].split()[0]
    return InlineKeyboardButton(
        f"{label} {sign} {reminder.local_time}",
        callback_data=f"{PREFIX}{action}:{reminder.id}:{_when(reminder)}",
    )


def _when(reminder: Reminder) -> str:
    """ "0900", "0900d15" (monthly, on the 15th) or "0900w6" (weekly, on Sunday)."""
    day = "" if reminder.day_of_month is None else f"d{reminder.day_of_month}"
    day += "" if reminder.day_of_week is None else f"w{reminder.day_of_week}"
    return reminder.local_time.replace(":", "") + day


def _moved(reminder: Reminder, shown: str) -> bool:
    """Whether the reminder is no longer when the button shown says; buttons from before the
    day was part of them say the time alone."""
    now = _when(reminder)
    return bool(shown) and shown != (now if len(shown) > 4 else now[:4])


async def reminders_command(update: Update, context: Context) -> None:
    svc = services(context)
    assert update.effective_user is not None and update.effective_message is not None
    async with user_session(svc.db, update) as (session, user):
        text, markup = listing(user, await reminders_of(session, user.id), svc.clock.now())
    await update.effective_message.reply_text(text, reply_markup=markup)


async def reminder_button(update: Update, context: Context) -> None:
    query, data = pressed(update, PREFIX)
    svc = services(context)
    action, _, target = data.partition(":")
    # Buttons from before the time was part of them name the row alone.
    raw_id, _, shown_time = target.partition(":")
    now = svc.clock.now()
    async with user_session(svc.db, update) as (session, user):
        reminder = await session.get(Reminder, row_id(raw_id) or -1)
        notice = "Done."
        if reminder is None or reminder.user_id != user.id:
            relist = False
        elif _moved(reminder, shown_time):
            notice, relist = MOVED, True
        elif action == "del":
            relist = await delete_reminder(session, user, reminder.id, now)
        elif action in {"on", "off"}:
            relist = await set_enabled(session, user, reminder.id, action == "on", now) is not None
        else:
            relist = False
        shown = None
        if relist:
            await session.flush()
            shown = listing(user, await reminders_of(session, user.id), now)
    if shown is None:
        await query.answer("That reminder no longer exists.")
        return
    await query.answer(notice)
    await show_after_press(query, context, *shown)


async def _pause_or_resume(update: Update, context: Context, paused: bool) -> None:
    svc = services(context)
    assert update.effective_user is not None and update.effective_message is not None
    async with user_session(svc.db, update) as (session, user):
        count = await set_paused(session, user, paused, svc.clock.now())
    if count == 0:
        reply = EMPTY
    elif paused:
        reply = "⏸ All your reminders are paused. /resume starts them again."
    else:
        reply = "▶️ Your reminders are back on, from now on. /reminders shows them."
    await update.effective_message.reply_text(reply)


async def pause_command(update: Update, context: Context) -> None:
    await _pause_or_resume(update, context, paused=True)


async def resume_command(update: Update, context: Context) -> None:
    await _pause_or_resume(update, context, paused=False)


def register(app: IsobotApp) -> None:
    add_command(app, reminders_command, "reminders", "List and change your reminders", REMINDERS)
    add_command(app, pause_command, "pause", "Pause all reminders", REMINDERS)
    add_command(app, resume_command, "resume", "Start reminders again", REMINDERS)
    app.add_handler(CallbackQueryHandler(reminder_button, pattern=f"^{PREFIX}"))
