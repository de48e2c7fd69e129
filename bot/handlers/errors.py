"""The one error handler: log the failure without private data and tell the user."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.services import Context, IsobotApp

log = logging.getLogger("isobot.errors")

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


async def on_error(update: object, context: Context) -> None:
    error = context.error
    # Only the update id, the exception's type and the frames go to the log: an exception's message
    # can quote what a user wrote or what was sent, and that may be health information.
    update_id = update.update_id if isinstance(update, Update) else None
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("update %s failed with %s\n%s", update_id, type(error).__name__, frames)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, Forbidden):
        return
    try:
        await context.bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError:
        log.warning("could not tell chat about a failed update %s", update_id)


def register(app: IsobotApp) -> None:
    app.add_error_handler(on_error)
