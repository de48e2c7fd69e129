"""Which forum topic a reply belongs in."""

from __future__ import annotations

from telegram import Update


def thread_for(update: Update, chat_id: int) -> int | None:
    """The topic `update` came from, when the reply goes back to its chat: in a forum, a
    message sent without it lands in General, where the person who asked is not reading."""
    message = update.effective_message
    if message is None or not message.is_topic_message or message.chat_id != chat_id:
        return None
    return message.message_thread_id
