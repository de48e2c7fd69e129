"""The Bot, but two refusals that only mean "this update came a second time" are taken as done.

The poller confirms an update only once it has been handled (bot/polling.py), so after a kill the
next start may handle an update again. The handlers' effects bear that: unique rows, values set
rather than toggled. Two Bot API calls do not: Telegram refuses them the second time round, and
each refusal ended the handler with an error, and a "Sorry, something went wrong" to a user whose
press had worked. A handler that answers the button first never even reached its effect.

- Answering a callback query already answered (or too late): "query is too old and response
  timeout expired or query ID is invalid". The spinner has stopped either way.
- An edit to what the message already shows: "message is not modified".

Both are logged at INFO, without the message text, and the handler goes on. Any other refusal is
raised as before.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

log = logging.getLogger("isobot.redelivery")

# Telegram's descriptions, in lower case; PTB may change their first letter.
QUERY_GONE = ("query is too old", "query id is invalid")
NOT_MODIFIED = ("message is not modified",)


def _says(error: BadRequest, phrases: tuple[str, ...]) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in phrases)


class RedeliverySafeBot(ExtBot[None]):
    """PTB's ExtBot, with the two refusals above taken as done."""

    __slots__ = ()

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as error:
            if not _says(error, QUERY_GONE):
                raise
            log.info("a button press was answered before, or too late to answer: left as it is")
            return False

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Message | bool:
        try:
            return await super().edit_message_text(*args, **kwargs)
        except BadRequest as error:
            if not _says(error, NOT_MODIFIED):
                raise
            log.info("a message already showed the text it was to be edited to")
            return True

    async def edit_message_reply_markup(self, *args: Any, **kwargs: Any) -> Message | bool:
        try:
            return await super().edit_message_reply_markup(*args, **kwargs)
        except BadRequest as error:
            if not _says(error, NOT_MODIFIED):
                raise
            log.info("a message already showed the buttons it was to be edited to")
            return True
