"""Reading a button press, and answering it with a message, also when the pressed message is
gone.

Telegram hands a callback query an InaccessibleMessage when the bot can no longer see the message
that carried the button (deleted, for example). It can be neither edited nor replied to, so the
answer goes to the chat as a new message instead.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update

from bot.services import Context


def pressed(update: Update, prefix: str) -> tuple[CallbackQuery, str]:
    """The press an update carries, and its data after the handler's `prefix`."""
    query = update.callback_query
    # A button handler is registered for presses whose data starts with its prefix.
    assert query is not None and query.data is not None
    return query, query.data.removeprefix(prefix)


async def show_after_press(
    query: CallbackQuery,
    context: Context,
    text: str,
    markup: InlineKeyboardMarkup | None,
    *,
    new_message: bool = False,
) -> None:
    """Edit the pressed message in place, or send `text` below it when `new_message`."""
    pressed = query.message
    visible = _visible(query)
    if visible and not new_message:
        await query.edit_message_text(text, reply_markup=markup)
    elif visible and isinstance(pressed, Message):
        await pressed.reply_text(text, reply_markup=markup)
    else:
        chat_id = pressed.chat.id if pressed is not None else query.from_user.id
        await context.bot.send_message(chat_id, text, reply_markup=markup)


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message, when the bot can still see it."""
    if _visible(query):
        await query.edit_message_reply_markup(reply_markup=None)


def _visible(query: CallbackQuery) -> bool:
    # PTB gives a message the bot cannot see as a Message dated 0 or as an InaccessibleMessage.
    return isinstance(query.message, Message) and query.message.is_accessible
