"""/topics, one command per topic, and the topic buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.button_replies import pressed
from bot.keyboards import TOPIC_PREFIX, topic_keyboard, with_sos
from bot.services import Context, IsobotApp, services
from bot.threads import thread_for
from content import RedFlagFamily, Topic, topic_message

MENU_TEXT = "📚 <b>Topics</b>\nPick one to read about it."


async def send_topic(
    update: Update,
    context: Context,
    topic: Topic,
    flag_pointer: RedFlagFamily | None = None,
    *,
    chat_id: int | None = None,
) -> None:
    """Reply with a topic's text and buttons for its related topics (to `chat_id`, if given)."""
    library = services(context).library
    related = [library.topics[c] for c in topic.related]
    assert update.effective_chat is not None
    markup = topic_keyboard(related)
    chat_id = update.effective_chat.id if chat_id is None else chat_id
    await context.bot.send_message(
        chat_id,
        topic_message(topic, library, flag_pointer=flag_pointer),
        # With a pointer to a warning sign, help is one tap away.
        reply_markup=with_sos(markup) if flag_pointer is not None else markup,
        message_thread_id=thread_for(update, chat_id),
    )


async def topics_menu(update: Update, context: Context) -> None:
    library = services(context).library
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    await context.bot.send_message(
        chat_id,
        MENU_TEXT,
        reply_markup=topic_keyboard(library.topics.values()),
        message_thread_id=thread_for(update, chat_id),
    )


async def topic_command(update: Update, context: Context) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    await send_topic(update, context, services(context).library.topics[name])


async def topic_button(update: Update, context: Context) -> None:
    query, data = pressed(update, TOPIC_PREFIX)
    topic = services(context).library.topics.get(data)
    if topic is None:
        await query.answer("That topic is no longer here. Try /topics.")
        return
    await query.answer()
    await send_topic(update, context, topic)


async def menu_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    await topics_menu(update, context)


def register(app: IsobotApp) -> None:
    library = app.bot_data.services.library
    app.add_handler(CommandHandler("topics", topics_menu))
    app.add_handler(CommandHandler(list(library.topics), topic_command))
    app.add_handler(CallbackQueryHandler(topic_button, pattern=f"^{TOPIC_PREFIX}"))
    app.add_handler(CallbackQueryHandler(menu_button, pattern="^topics$"))
