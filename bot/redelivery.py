"""The Bot, but two refusals that only mean "this update came a second time" are taken as done.

The poller confirms an update only once it has been handled (bot/polling.py), so after a kill the
next start may handle an update again. The handlers' effects bear that: unique rows, values set
rather than toggled. Two Bot API calls do not: Telegram refuses them the second time round, and
each refusal ended the handler with an error, and a "Sorry, something went wrong" to a user whose
press had worked. A handler that answers the button first never even reached its effect.

- Answering a callback query already answered (or too late): "query is too old and response
  timeout expired or query ID is invalid". The spinner has stopped either way.
- An edit to what the message already shows (its text, caption, picture or buttons): "message is
  not modified".

Both are logged at INFO, without the message text, and the handler goes on. Any other refusal is
raised as before.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

log = logging.getLogger("isobot.redelivery")
T = TypeVar("T")

# Telegram's descriptions, in lower case; PTB may change their first letter.
QUERY_GONE = ("query is too old", "query id is invalid")
NOT_MODIFIED = ("message is not modified",)


def _says(error: BadRequest, phrases: tuple[str, ...]) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in phrases)


async def _taken_as_done(call: Awaitable[T], phrases: tuple[str, ...], done: T, note: str) -> T:
    """What `call` returns, or `done` (logging `note`) when Telegram refuses it with one of
    `phrases`."""
    try:
        return await call
    except BadRequest as error:
        if not _says(error, phrases):
            raise
        log.info(note)
        return done


async def _shown_already(call: Awaitable[Message | bool], what: str) -> Message | bool:
    """An edit to what the message shows already counts as made."""
    note = f"a message already showed the {what} it was to be edited to"
    return await _taken_as_done(call, NOT_MODIFIED, True, note)


class RedeliverySafeBot(ExtBot[None]):
    """PTB's ExtBot, with the two refusals above taken as done."""

    __slots__ = ()

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        return await _taken_as_done(
            super().answer_callback_query(*args, **kwargs),
            QUERY_GONE,
            False,
            "a button press was answered before, or too late to answer: left as it is",
        )

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Message | bool:
        return await _shown_already(super().edit_message_text(*args, **kwargs), "text")

    async def edit_message_reply_markup(self, *args: Any, **kwargs: Any) -> Message | bool:
        return await _shown_already(super().edit_message_reply_markup(*args, **kwargs), "buttons")

    async def edit_message_caption(self, *args: Any, **kwargs: Any) -> Message | bool:
        return await _shown_already(super().edit_message_caption(*args, **kwargs), "caption")

    async def edit_message_media(self, *args: Any, **kwargs: Any) -> Message | bool:
        return await _shown_already(super().edit_message_media(*args, **kwargs), "picture")
