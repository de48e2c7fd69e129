"""Photos, stickers, voice notes and files in the private chat: the bot reads typed words only,
and says so rather than staying silent. A caption is read as the message it is."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.handlers.freetext import answer_text
from bot.keyboards import with_sos
from bot.services import Context, IsobotApp, services

TEXT_ONLY = (
    "I can only read typed words: I can't see photos or files, or listen to voice notes. "
    "Type your question and I'll answer it. A doctor or pharmacist can look at a rash or a "
    "change in your skin."
)
CAPTION_ONLY = "I read the words you sent with it, not the picture or file itself."


async def media_message(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    library = services(context).library
    if message.caption and message.caption.strip():
        # Warning signs first, as in any typed message; then what was not read.
        await answer_text(update, context, message.caption)
        await message.reply_text(CAPTION_ONLY)
        return
    await message.reply_text(f"{TEXT_ONLY}\n\n{library.disclaimer_html}", reply_markup=with_sos())


def register(app: IsobotApp) -> None:
    # Anything a person sends that is neither text nor a service note (a member joined, a pin).
    sent = ~filters.TEXT & ~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(sent & filters.ChatType.PRIVATE, media_message))
