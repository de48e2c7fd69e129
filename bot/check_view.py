"""The texts and buttons of /checks: the overview, the day and time pickers, the confirmation. Pure.

The wording sends people to their prescriber and local programme for the actual schedule; no
interval is stated here.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.check_args import USAGE
from bot.course_view import with_prescriber
from bot.formatting import schedule_words, when_local
from bot.keyboards import rows
from bot.reminder_args import KIND_LABELS
from scheduler.checks import CHECK_KINDS
from scheduler.messages import SCHEDULE_SET_BY
from storage.models import Reminder, ReminderKind

PREFIX = "chk:"
PICKER_TIMES = ("07:00", "08:00", "09:00", "10:00", "12:00", "15:00", "18:00", "20:00")
WHAT_IS_CHECKED = {
    ReminderKind.LABS: "liver enzymes and lipids",
    ReminderKind.PREGNANCY_TEST: "for those who can become pregnant",
}
PREGNANCY_WARNING = (
    "⚠️ Isotretinoin can cause serious birth defects. If you can become pregnant, use reliable "
    "contraception throughout your course and for at least a month after your last dose, as your "
    "prescriber says, and keep up the pregnancy tests. If you think you might be pregnant, stop "
    "taking it and contact your prescriber the same day."
)
SHORT_MONTHS = (
    "A day past the end of a short month falls on its last day: the 31st comes on 28 or 29 "
    "February and on 30 April."
)
NUDGE_ONLY = f"{SCHEDULE_SET_BY} These reminders only nudge you."


def _state(reminder: Reminder | None, paused: bool, zone: ZoneInfo, now: datetime) -> str:
    if reminder is None or not reminder.enabled or reminder.day_of_month is None:
        return "off"
    when = schedule_words(reminder.local_time, reminder.day_of_month, None)
    if paused:
        return f"{when}, paused (/resume)"
    if reminder.next_fire_at is None:
        return when
    return f"{when}, next {when_local(reminder.next_fire_at, zone, now)}"


def overview(
    checks: dict[ReminderKind, Reminder], paused: bool, zone: ZoneInfo, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    lines = ["🩺 <b>Monthly checks</b>"]
    for kind in CHECK_KINDS:
        state = _state(checks.get(kind), paused, zone, now)
        lines.append(f"{KIND_LABELS[kind]} ({WHAT_IS_CHECKED[kind]}): {state}.")
    lines += ["", SHORT_MONTHS, NUDGE_ONLY, USAGE]
    buttons = [
        InlineKeyboardButton(f"Set {KIND_LABELS[k]}", callback_data=f"{PREFIX}k:{k}")
        for k in CHECK_KINDS
    ]
    buttons += [
        InlineKeyboardButton(f"Switch off {KIND_LABELS[k]}", callback_data=f"{PREFIX}off:{k}")
        for k in CHECK_KINDS
        if (r := checks.get(k)) is not None and r.enabled
    ]
    return with_prescriber(*lines), InlineKeyboardMarkup(rows(buttons, width=1))


def _kind_intro(kind: ReminderKind) -> list[str]:
    if kind == ReminderKind.PREGNANCY_TEST:
        return [f"{KIND_LABELS[kind]}, for those who can become pregnant.", PREGNANCY_WARNING]
    return [
        f"{KIND_LABELS[kind]}: isotretinoin can raise liver enzymes and blood fats (lipids), so "
        "blood tests are part of a course."
    ]


def day_picker(kind: ReminderKind) -> tuple[str, InlineKeyboardMarkup]:
    text = with_prescriber(
        *_kind_intro(kind),
        "",
        "<b>Which day of the month?</b> Tap one, or type the day and time, like 15 09:00.",
        SHORT_MONTHS,
    )
    buttons = [
        InlineKeyboardButton(str(day), callback_data=f"{PREFIX}d:{kind}:{day}")
        for day in range(1, 32)
    ]
    return text, InlineKeyboardMarkup(rows(buttons, width=7))


def time_picker(kind: ReminderKind, day: int) -> tuple[str, InlineKeyboardMarkup]:
    text = with_prescriber(
        f"{KIND_LABELS[kind]} on day {day} of each month. <b>At what time?</b>",
        "Tap one, or type a time, like 10:30.",
    )
    buttons = [
        InlineKeyboardButton(t, callback_data=f"{PREFIX}t:{kind}:{day}:{t.replace(':', '')}")
        for t in PICKER_TIMES
    ]
    return text, InlineKeyboardMarkup(rows(buttons, width=4))


def confirmation(reminder: Reminder, zone: ZoneInfo, paused: bool, now: datetime) -> str:
    when = schedule_words(reminder.local_time, reminder.day_of_month, None)
    lines = [f"✅ {KIND_LABELS[reminder.kind]}: {when} ({zone.key})."]
    if paused:
        lines.append("Your reminders are paused: /resume starts them.")
    elif reminder.next_fire_at is not None:
        lines.append(f"Next: {when_local(reminder.next_fire_at, zone, now)}.")
    if reminder.kind == ReminderKind.PREGNANCY_TEST:
        lines.append(PREGNANCY_WARNING)
    lines += [NUDGE_ONLY, "/checks shows both checks."]
    return with_prescriber(*lines)


def switched_off(kind: ReminderKind) -> str:
    return with_prescriber(f"{KIND_LABELS[kind]} reminders are off. /checks shows both checks.")
