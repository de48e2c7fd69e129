"""Any command nobody else handled; admin commands answer non-admins through here too."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.services import Context, IsobotApp, services
from content import suggest_command

STALE_BUTTON = "That button is out of date. Send the command again."


def unknown_command_text(name: str, known: list[str]) -> str:
    text = f"I don't know /{html.escape(name)}."
    suggestion = suggest_command(name, known)
    if suggestion is not None:
        text += f" Did you mean /{suggestion}?"
    return text + " /help lists every command."


def other_bot_text(name: str, addressee: str) -> str:
    return (
        f"That /{html.escape(name)} was addressed to @{html.escape(addressee)}, not to me. "
        f"Send it without the @ part: /{html.escape(name)}"
    )


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    name, addressee = typed_command(message.text), addressed_to(message.text)
    known = [c.name for c in services(context).commands]
    if addressee is not None and addressee.lower() != context.bot.username.lower():
        # PTB leaves a command for another bot to us. In a group it is that bot's business;
        # in the private chat it can only have been meant for us, under a wrong name.
        if message.chat.type != ChatType.PRIVATE:
            return
        if name.lower() in known:
            await message.reply_text(other_bot_text(name, addressee))
            return
    await message.reply_text(unknown_command_text(name, known))


def addressed_to(text: str) -> str | None:
    """The bot a command names after its @ ("/remind@isobot"), or None."""
    _, at, bot_name = text.split()[0].partition("@")
    return bot_name[:32] if at and bot_name else None


def typed_command(text: str) -> str:
    """The command's name as typed, without @bot; Telegram allows at most 32 characters."""
    return text.split()[0].lstrip("/").split("@")[0][:32]


async def stale_button(update: Update, context: Context) -> None:
    """A press no area recognises (an old keyboard, or forged data): answered, so the user's
    button stops spinning, and otherwise ignored."""
    assert update.callback_query is not None
    await update.callback_query.answer(STALE_BUTTON)


def register(app: IsobotApp) -> None:
    # Registered last in group 0 by the composition root: within a group the first matching
    # handler wins, so these see only commands and presses that nobody else took.
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
