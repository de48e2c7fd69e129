"""Updates from different chats are handled at once; updates from one chat, one after another.

PTB handles updates one at a time by default, so at a couple of hundred updates a second each
one waited for every database round trip of the ones before it, and a command's reply took
seconds. Handled all at once, two updates of one chat could race: two taps on one button, or a
guided flow's answer overtaking its question. So each chat keeps its own order, and chats do not
wait for each other. This is PTB's documented extension point for concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class _ChatTurn:
    """The lock that orders one chat's updates, and how many of them hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # first come, first served: the chat's order is kept
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` updates at once, and one at a time per chat."""

    __slots__ = ("_turns",)

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, _ChatTurn] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_of(update)
        if key is None:  # nothing to keep in order with
            await coroutine
            return
        turn = self._turns.get(key)
        if turn is None:
            turn = self._turns[key] = _ChatTurn()
        turn.users += 1
        try:
            async with turn.lock:
                await coroutine
        finally:
            turn.users -= 1
            # Only chats with an update in hand are kept, however many chats there are.
            if turn.users == 0:
                del self._turns[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _chat_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
