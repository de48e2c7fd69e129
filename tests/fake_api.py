"""The fake Bot API with its users already in it, for tests that send to many chats."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sandbox import FakeBotApi


@asynccontextmanager
async def fake_with_users(token: str, user_ids: Iterable[int]) -> AsyncIterator[FakeBotApi]:
    """A running fake for `token` that knows every user in `user_ids`, so sends to them succeed."""
    async with FakeBotApi(token=token) as server:
        for user_id in user_ids:
            server.add_user(user_id)
        yield server
