"""The one error handler: log the failure without private data and tell the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.logs import log_failed_update
from bot.services import Context, IsobotApp
from bot.threads import thread_for

log = logging.getLogger("isobot.errors")

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


async def on_error(update: object, context: Context) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log_failed_update(log, update_id, error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, Forbidden):
        return
    try:
        chat_id = update.effective_chat.id
        await context.bot.send_message(
            chat_id, SORRY, message_thread_id=thread_for(update, chat_id)
        )
    except TelegramError:
        log.warning("could not tell chat about a failed update %s", update_id)


def register(app: IsobotApp) -> None:
    app.add_error_handler(on_error)
