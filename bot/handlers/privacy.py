"""/privacy, /export and /delete: what is stored, a copy of it, and erasing it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.broadcast_progress import show_stopped_by_erasure
from bot.button_replies import pressed, show_after_press
from bot.commands import PRIVACY
from bot.formatting import plural
from bot.handlers.users import sightings_of
from bot.services import Context, IsobotApp, add_command, services
from storage.models import User
from storage.personal_data import (
    broadcasts_going_out,
    erase_user,
    export_document,
    rows_of,
)
from storage.users import get_user

log = logging.getLogger("isobot.privacy")

PREFIX = "erase:"
EXPORT_FILENAME = "isobot-export.json"
# An old confirmation tapped by accident weeks later must not erase anything.
CONFIRM_FOR = timedelta(minutes=30)

PRIVACY_TEXT = "\n".join(
    [
        "🔒 <b>Your data</b>",
        "",
        "<b>What I store, and why</b>",
        "• Your Telegram user and chat ids, language setting and timezone, and when you first "
        "and last wrote: to answer you and to remind you at your local time.",
        "• Your reminders and monthly checks, and each reminder message sent with what became of "
        "it: so that each goes out once and never twice.",
        "• Your answers to reminders (Taken, Skipped, Done): for /today, /history and /course.",
        "• Your course: start date, daily doses, weights, target and end: for /course and the "
        "weekly summary.",
        "• Your check-ins (/checkin): every answer you tap about mood and side effects, and about "
        "self-harm when that question is asked, with the date: so that you can see in /history "
        "how you have been over time, and tell your prescriber. They are a screen, not a "
        "diagnosis.",
        "• If you are an admin, the broadcasts you wrote.",
        "",
        "<b>What I do not store</b>: your name, your username, or the questions you write. They "
        "are answered and forgotten. Logs hold ids and error types, never what you write.",
        "",
        "<b>For how long</b>: until you delete it. Blocking the bot stops your reminders and "
        "keeps your data, so you can come back.",
        "",
        "<b>A copy</b>: /export sends all of it as a JSON file.",
        "<b>Erase it</b>: /delete erases every record about you, after you confirm.",
    ]
)
CONFIRM_TEXT = (
    "🗑 <b>Delete all your data?</b>\n\n"
    "This erases your profile, reminders and checks, the record of messages sent to you, your "
    "dose log, your course and your check-ins. Pending reminders stop at once. It cannot be "
    "undone.\n\n"
    "Want a copy first? Send /export before you confirm."
)
KEPT = "Nothing was deleted. /privacy says what I store."
ALREADY_GONE = "Your data was already deleted: nothing of it was kept."
EXPIRED = "This button has expired. Send /delete again."


def confirm_keyboard(now: datetime, data_of: str) -> InlineKeyboardMarkup:
    """`data_of`: which of the user's records the question is about (`generation`), so that a
    second tap after an erasure does not erase the fresh start, nor say nothing was deleted."""
    asked = int(now.timestamp())
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, delete everything", callback_data=f"{PREFIX}{asked}.{data_of}"
                )
            ],
            [InlineKeyboardButton("Keep my data", callback_data=f"{PREFIX}no.{data_of}")],
        ]
    )


def generation(user: User | None) -> str:
    """When the user's records began, to the microsecond: an erasure and a fresh start begin
    new ones. Only their own chat sees it."""
    return "0" if user is None else str(int(user.created_at.timestamp() * 1_000_000))


def erased_text(count: int) -> str:
    return (
        f"✅ Deleted. Everything I stored about you is gone ({plural(count, 'record')}).\n\n"
        "If you write to me again, I start fresh, as with someone new."
    )


async def privacy_command(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    disclaimer = services(context).library.disclaimer_html
    await update.effective_message.reply_text(f"{PRIVACY_TEXT}\n\n{disclaimer}")


async def export_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    now = svc.clock.now()
    async with svc.db.session() as session:
        rows = await rows_of(session, update.effective_user.id)
    count = sum(len(found) for found in rows.values())
    await message.reply_document(
        InputFile(export_document(update.effective_user.id, rows, now), filename=EXPORT_FILENAME),
        caption=(
            f"📦 Everything I store about you: {plural(count, 'record')}, table by table, as JSON. "
            "It holds health information, so keep it somewhere safe."
        ),
    )


async def delete_command(update: Update, context: Context) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    svc = services(context)
    async with svc.db.session() as session:
        data_of = generation(await get_user(session, update.effective_user.id))
    markup = confirm_keyboard(svc.clock.now(), data_of)
    await update.effective_message.reply_text(CONFIRM_TEXT, reply_markup=markup)


async def delete_button(update: Update, context: Context) -> None:
    query, data = pressed(update, PREFIX)
    svc = services(context)
    answer, _, data_of = data.partition(".")
    if answer == "no":
        async with svc.db.session() as session:
            current = generation(await get_user(session, query.from_user.id))
        await query.answer()
        # A Keep tapped after the Yes beside it: saying nothing was deleted would be untrue.
        gone = data_of and data_of != current
        await show_after_press(query, context, ALREADY_GONE if gone else KEPT, None)
        return
    now = svc.clock.now()
    asked = _asked_at(answer, now)
    if asked is None or not timedelta(0) <= now - asked <= CONFIRM_FOR:
        await query.answer(EXPIRED)
        return
    # After any sighting being written: committed later, it would bring the user back.
    async with sightings_of(context).write_lock, svc.db.session() as session:
        # Locked: the second of a double tap on another instance waits, then finds it gone.
        user = await get_user(session, query.from_user.id, lock=True)
        # The button is for the data there was when it was asked: after an erasure and a fresh
        # start (or the second of a double tap), it must not erase what came since. A button
        # from before it named its data has only the time it was asked, in whole seconds.
        if data_of:
            fresh = data_of != generation(user)
        else:
            fresh = user is not None and user.created_at >= asked + timedelta(seconds=1)
        going = [] if fresh else await broadcasts_going_out(session, query.from_user.id)
        count = None if fresh else await erase_user(session, query.from_user.id, now)
    if count is None:
        await query.answer(EXPIRED)
        return
    await show_stopped_by_erasure(context, going)
    # No id: after an erasure even the log should not say who it was.
    log.info("a user erased their data: %d rows", count)
    await query.answer("Deleted.")
    await show_after_press(query, context, erased_text(count), None)


def _asked_at(answer: str, now: datetime) -> datetime | None:
    """When the confirmation was asked, from its button; None for anything forged: other digits
    than ASCII ones, or a time no clock can show."""
    if not (answer.isascii() and answer.isdigit()):
        return None
    try:
        return datetime.fromtimestamp(int(answer), now.tzinfo)
    except (OverflowError, OSError, ValueError):
        return None


def register(app: IsobotApp) -> None:
    add_command(app, privacy_command, "privacy", "What I store about you, and why", PRIVACY)
    add_command(app, export_command, "export", "A copy of all your data, as a JSON file", PRIVACY)
    add_command(app, delete_command, "delete", "Erase all your data", PRIVACY)
    app.add_handler(CallbackQueryHandler(delete_button, pattern=f"^{PREFIX}"))
