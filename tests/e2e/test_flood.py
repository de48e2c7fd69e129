"""Flooding: one user sending 100 messages at once is slowed down with one polite notice; other
users are not slowed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from bot.handlers.flood import NOTICE, gate_of
from sandbox import FakeBotApi
from tests.e2e.conftest import BotUnderTest, all_handled, bot_running

DEFAULTS = Settings(_env_file=None)
BURST = DEFAULTS.flood_burst

FLOODER = 5001
OTHER = 5002


class StillTime:
    """The gate's clock, held still while the flood arrives, so the counts do not depend on how
    fast this machine processes updates."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def bot(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    """The bot with the flood limits it ships with."""
    limits: dict[str, Any] = {"flood_burst": BURST, "flood_per_second": DEFAULTS.flood_per_second}
    async with bot_running(fake, sqlite_db_url, **limits) as running_bot:
        yield running_bot


def notices(bot: BotUnderTest, user_id: int) -> int:
    return sum(1 for m in bot.fake.messages(user_id) if m.text == NOTICE)


async def test_100_messages_at_once_get_a_burst_of_answers_and_one_notice(
    bot: BotUnderTest,
) -> None:
    clock = StillTime()
    gate_of(bot.app).clock = clock
    for i in range(100):
        bot.fake.send_text(FLOODER, f"hello {i}")
        if i == 50:
            # Someone else writes in the middle of the flood.
            for _ in range(5):
                bot.fake.send_text(OTHER, "hello")
    bot.fake.send_text(OTHER, "/help")
    await all_handled(bot)
    answered = len(bot.fake.messages(FLOODER)) - notices(bot, FLOODER)
    assert answered == BURST
    assert notices(bot, FLOODER) == 1
    assert notices(bot, OTHER) == 0
    assert len(bot.fake.messages(OTHER)) == 6
    assert not bot.fake.calls_to("sendMessage", ok=False)

    # Still flooding a little later: dropped, and no second notice in the same episode.
    clock.now += 2.0
    for i in range(5):
        bot.fake.send_text(FLOODER, f"again {i}")
    await all_handled(bot)
    refilled = int(2.0 * DEFAULTS.flood_per_second)
    assert len(bot.fake.messages(FLOODER)) == BURST + 1 + refilled
    assert notices(bot, FLOODER) == 1

    # A quiet while later, the flooder is answered as anyone else.
    clock.now += 60.0
    reply = await bot.say("hello", user_id=FLOODER)
    assert reply.text != NOTICE
