"""/timezone: set the IANA zone that reminders follow."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.awaiting import expect_input
from bot.button_replies import pressed, show_after_press
from bot.commands import REMINDERS, CommandInfo
from bot.keyboards import rows
from bot.services import Context, IsobotApp, add_commands, services, user_session
from scheduler.courses import settled_course
from scheduler.reminders import set_timezone
from scheduler.zones import COMMON_ZONES, ZoneLookup, lookup_zone

PREFIX = "tz:"
SET_ZONE_FIRST = "Set your timezone first: /timezone"
HOW_TO_TYPE = "Or type where you are, like London, Texas or Europe/Berlin."
# Waiting for a place typed in answer to the buttons' question.
AWAITING = "timezone:pick"


def zone_keyboard(names: tuple[str, ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        rows([InlineKeyboardButton(n, callback_data=f"{PREFIX}{n}") for n in names])
    )


PAUSED_STILL = "⏸ Your reminders are paused: /resume starts them again, at your new local times."


def local_clock(zone: ZoneInfo, now: datetime) -> str:
    return now.astimezone(zone).strftime("%H:%M")


async def apply_zone(update: Update, context: Context, zone: ZoneInfo) -> str:
    svc = services(context)
    assert update.effective_user is not None
    now = svc.clock.now()
    async with user_session(svc.db, update) as (session, user):
        if user.awaiting.startswith(AWAITING):
            user.awaiting = ""  # answered, by a tap or in words
        same = user.timezone == zone.key
        next_dose = await set_timezone(session, user, zone, now)
        # A course set up before the zone has UTC dates, maybe a day after the user's today.
        # Settled here, the weekly summary (which settles nothing) counts the first day too,
        # even if /course is never opened before it.
        await settled_course(session, user, now)
        paused = user.reminders_paused
    if next_dose is not None:
        after = next_dose_line(next_dose, zone, now)
    else:
        after = PAUSED_STILL if paused else "Next: /remind"
    return (
        f"✅ Your timezone {'stays' if same else 'is now'} <b>{zone.key}</b>. "
        f"It is {local_clock(zone, now)} there. "
        f"Reminders follow your local time, also when the clocks change.\n{after}"
    )


def next_dose_line(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """ "Next dose reminder: now", "today at 08:00", "tomorrow at 08:00" or a date, locally."""
    if at <= now:
        return "💊 Next dose reminder: <b>now</b>."
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    days = (local.date() - today).days
    day = {0: "today", 1: "tomorrow"}.get(days, local.strftime("%a %d %b"))
    return f"💊 Next dose reminder: <b>{day} at {local:%H:%M}</b>."


async def timezone_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    wanted = " ".join(context.args or [])
    if not wanted:
        async with user_session(svc.db, update) as (_, user):
            current = user.timezone
            user.awaiting = AWAITING
        intro = (
            f"Your timezone is <b>{current}</b> ({local_clock(ZoneInfo(current), svc.clock.now())} "
            "there now). Pick another below to change it."
            if current
            else "Which timezone are you in? Pick one below."
        )
        await message.reply_text(
            f"{intro}\n{HOW_TO_TYPE}", reply_markup=zone_keyboard(COMMON_ZONES)
        )
        return
    found = lookup_zone(wanted, now=services(context).clock.now())
    if found.zone is not None:
        await message.reply_text(await apply_zone(update, context, found.zone))
        return
    shown = html.escape(wanted[:64])
    if found.suggestions:
        await message.reply_text(
            f"I don't know the timezone “{shown}”. Did you mean one of these?",
            reply_markup=zone_keyboard(found.suggestions),
        )
    else:
        await message.reply_text(
            f"I don't know the timezone “{shown}”. Send a city or country, like London or Texas, "
            "or a zone, like Europe/Berlin."
        )


async def zone_button(update: Update, context: Context) -> None:
    query, data = pressed(update, PREFIX)
    found = lookup_zone(data)
    if found.zone is None:
        await query.answer("That timezone is not available. Try /timezone again.")
        return
    await query.answer()
    text = await apply_zone(update, context, found.zone)
    await show_after_press(query, context, text, None)


async def typed_zone(update: Update, context: Context, _awaiting: str) -> bool:
    """A place typed in answer to "Which timezone are you in?": "London", "I'm in Texas"."""
    message = update.effective_message
    assert message is not None
    found = _typed_place(message.text or "", services(context).clock.now())
    if found.zone is not None:
        await message.reply_text(await apply_zone(update, context, found.zone))
        return True
    if not found.suggestions:
        return False  # no place: a question, say, which free text answers
    await message.reply_text(
        "Did you mean one of these?", reply_markup=zone_keyboard(found.suggestions)
    )
    return True


def _typed_place(text: str, now: datetime | None) -> ZoneLookup:
    return lookup_zone(text, now=now, strict=True)


def _reads_a_place(_flow: str, text: str) -> bool:
    found = _typed_place(text, None)
    return found.zone is not None or bool(found.suggestions)


def register(app: IsobotApp) -> None:
    expect_input(app, AWAITING.partition(":")[0], typed_zone, reads=_reads_a_place)
    add_commands(app, CommandInfo("timezone", "Set your timezone", REMINDERS))
    app.add_handler(CommandHandler("timezone", timezone_command))
    app.add_handler(CallbackQueryHandler(zone_button, pattern=f"^{PREFIX}"))
