"""The texts and buttons of the weekly check-in settings: on or off, the day, the time. Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.checkin_callbacks import Act, encode
from bot.formatting import WEEKDAYS, schedule_words, when_local
from bot.keyboards import Screen, rows
from scheduler.messages import PRESCRIBER
from storage.models import Reminder

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PICKER_TIMES = ("08:00", "09:00", "12:00", "17:00", "18:00", "19:00", "20:00", "21:00")
TITLE = "⏰ <b>Weekly check-in</b>"
WHAT_IT_IS = (
    "Once a week, on a day and at a time you choose, I can ask two questions about your mood and "
    "six about side effects, all by tapping. It stays off unless you switch it on."
)
WHY = (
    "Prescribers are asked to keep an eye on mood and side effects during a course; your "
    "answers, in /history, help you tell them what changed."
)
NEED_ZONE = (
    "First, which timezone are you in? The check-in comes at your local time, so I never guess. "
    "Pick one below or type it, like /timezone Europe/Berlin. Then send /checkin weekly."
)


def weekly_checkin_button(owner: int) -> InlineKeyboardButton:
    """Opens these settings as a new message: from /start, /course and a check-in."""
    return InlineKeyboardButton("📝 Weekly check-in", callback_data=encode(Act.WEEKLY, owner))


def with_weekly_checkin(markup: InlineKeyboardMarkup, owner: int) -> InlineKeyboardMarkup:
    """`markup` with the weekly check-in button as its last row."""
    return InlineKeyboardMarkup([*markup.inline_keyboard, [weekly_checkin_button(owner)]])


def is_on(reminder: Reminder | None) -> bool:
    return reminder is not None and reminder.enabled and reminder.day_of_week is not None


def _state(reminder: Reminder | None, paused: bool, zone: ZoneInfo, now: datetime) -> str:
    if reminder is None or not is_on(reminder):
        return "Weekly check-in: <b>off</b>."
    when = schedule_words(reminder.local_time, None, reminder.day_of_week)
    text = f"Weekly check-in: <b>on</b>, {when} ({zone.key})."
    if paused:
        return f"{text} Your reminders are paused: /resume starts them."
    if reminder.next_fire_at is not None:
        text += f" Next: {when_local(reminder.next_fire_at, zone, now)}."
    return text


def settings_screen(
    reminder: Reminder | None, paused: bool, zone: ZoneInfo, now: datetime, owner: int
) -> Screen:
    lines = [TITLE, WHAT_IT_IS, "", _state(reminder, paused, zone, now), "", WHY, "", PRESCRIBER]
    if is_on(reminder):
        buttons = [
            InlineKeyboardButton("📅 Change day or time", callback_data=encode(Act.DAYS, owner)),
            InlineKeyboardButton("🔕 Switch off", callback_data=encode(Act.OFF, owner)),
        ]
    else:
        buttons = [
            InlineKeyboardButton("📅 Switch on: pick a day", callback_data=encode(Act.DAYS, owner))
        ]
    buttons.append(InlineKeyboardButton("📝 Check in now", callback_data=encode(Act.START, owner)))
    return "\n".join(lines), InlineKeyboardMarkup(rows(buttons, width=1))


def day_picker(owner: int) -> Screen:
    text = f"{TITLE}\n\n<b>Which day of the week?</b>"
    buttons = [
        InlineKeyboardButton(label, callback_data=encode(Act.TIMES, owner, day))
        for day, label in enumerate(DAY_LABELS)
    ]
    return text, InlineKeyboardMarkup(rows(buttons, width=4))


def time_picker(day_of_week: int, owner: int) -> Screen:
    text = f"{TITLE}\n\n{WEEKDAYS[day_of_week]}. <b>At what time?</b> It's your local time."
    buttons = [
        InlineKeyboardButton(
            t, callback_data=encode(Act.SET, owner, day_of_week, t.replace(":", ""))
        )
        for t in PICKER_TIMES
    ]
    keyboard = rows(buttons, width=4)
    keyboard.append([InlineKeyboardButton("⬅️ Another day", callback_data=encode(Act.DAYS, owner))])
    return text, InlineKeyboardMarkup(keyboard)
