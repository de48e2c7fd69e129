"""/cancel: stop a guided flow (a time, a dose, a date) the bot is waiting to be answered."""

from __future__ import annotations

from telegram import Update

from bot.awaiting import stop_waiting
from bot.commands import START
from bot.services import Context, IsobotApp, add_command


async def cancel_command(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(await stop_waiting(update, context))


def register(app: IsobotApp) -> None:
    add_command(app, cancel_command, "cancel", "Stop what I'm waiting for you to type", START)
