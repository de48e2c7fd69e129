"""Any command nobody else handled; admin commands answer non-admins through here too."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.services import services
from content import suggest_command


def unknown_command_text(name: str, known: list[str]) -> str:
    text = f"I don't know /{html.escape(name)}."
    suggestion = suggest_command(name, known)
    if suggestion is not None:
        text += f" Did you mean /{suggestion}?"
    return text + " /help lists every command."


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    # Telegram allows at most 32 characters in a command; longer input is cut for the reply.
    name = message.text.split()[0].lstrip("/").split("@")[0][:32]
    known = [c.name for c in services(context).commands]
    await message.reply_text(unknown_command_text(name, known))


def register(app: Application) -> None:  # type: ignore[type-arg]
    # Registered last in group 0 by the composition root: within a group the first matching
    # handler wins, so this sees only commands that nobody else took.
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
