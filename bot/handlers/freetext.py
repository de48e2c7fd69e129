"""Plain messages: urgent guidance for red flags first, otherwise the best-matching topics."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.handlers.topics import send_topic
from bot.keyboards import topic_keyboard
from bot.services import services
from content import find_flag_subject, find_red_flag, match_topics, urgent_message

NO_MATCH = (
    "I'm not sure which topic that is about. Try /topics for the full menu, or /help for "
    "everything I can do."
)
CHOICE = "That could be one of these. Which would you like to read?"


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    library = services(context).library
    family = find_red_flag(message.text, library)
    if family is not None:
        await message.reply_text(urgent_message(family, library))
        return
    topics = match_topics(message.text, library)
    subject = find_flag_subject(message.text, library)
    if subject is not None:
        # A general question about a warning sign always gets the pointer to urgent guidance.
        topic = topics[0] if len(topics) == 1 else library.topics[subject.topic]
        await send_topic(update, context, topic, subject)
        return
    if not topics:
        await message.reply_text(f"{NO_MATCH}\n\n{library.disclaimer_html}")
        return
    if len(topics) == 1:
        await send_topic(update, context, topics[0])
        return
    await message.reply_text(
        f"{CHOICE}\n\n{library.disclaimer_html}", reply_markup=topic_keyboard(topics, width=1)
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, free_text)
    )
