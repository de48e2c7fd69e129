"""Polling (bot/polling.py): an update is confirmed to Telegram only once it has been handled.

The fake Bot API keeps every update until a getUpdates with a later offset confirms it, as
Telegram does, so `fake.pending_updates` shows what a kill at that moment would leave for the
next start. A slow chat (every call about it waits) keeps a handler busy for as long as a test
needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox import FakeBotApi
from tests.e2e.conftest import USER, bot_running

OTHER = 1002
SLOW = 1.5


def served(fake: FakeBotApi, matches: Callable[[dict[str, Any]], bool]) -> bool:
    """Whether some getUpdates answer has carried an update that `matches`."""
    return any(
        call.ok and any(matches(update) for update in call.result)
        for call in fake.calls_to("getUpdates")
    )


def message_is(sent: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    return lambda update: update.get("message", {}).get("message_id") == sent["message_id"]


async def fetched_from_a_slow_chat(fake: FakeBotApi, text: str) -> None:
    """The user, whose chat is slow, sends `text`; back once the bot has fetched it, with its
    handler still at work."""
    fake.slow_chat(USER, SLOW)
    sent = fake.send_text(USER, text)
    await fake.wait_for(lambda: served(fake, message_is(sent)))


async def test_an_update_is_confirmed_only_once_it_has_been_handled(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url) as bot:
        await fetched_from_a_slow_chat(fake, "/start")
        # Fetched, and the bot polls again meanwhile (PTB's Updater confirmed it right there),
        # but a kill now would not lose it.
        polls = len(fake.calls_to("getUpdates"))
        await fake.wait_for(lambda: len(fake.calls_to("getUpdates")) >= polls + 2)
        assert fake.messages(USER) == []
        assert fake.pending_updates == 1
        await fake.wait_for_messages(USER, 1)
        await fake.wait_for(lambda: fake.pending_updates == 0)
        assert " ERROR " not in bot.log.getvalue()


async def test_a_slow_chat_holds_back_confirmation_but_not_other_chats(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url):
        await fetched_from_a_slow_chat(fake, "/start")
        fake.send_text(OTHER, "/start")
        await fake.wait_for_messages(OTHER, 1)
        assert fake.messages(USER) == []
        # The other chat's update is handled, but confirming it would confirm the slow one too.
        assert fake.pending_updates == 2
        await fake.wait_for_messages(USER, 1)
        await fake.wait_for(lambda: fake.pending_updates == 0)


async def test_a_stop_lets_the_update_in_hand_finish_and_confirms_it(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url):
        await fetched_from_a_slow_chat(fake, "/help")
    # Stopped (as on SIGTERM): the reply went out first, then the last poll confirmed it.
    assert len(fake.messages(USER)) == 1
    assert fake.pending_updates == 0
    last = fake.calls_to("getUpdates")[-1]
    assert last.params.get("timeout") == 0


async def test_polling_goes_on_after_errors_and_a_429(fake: FakeBotApi, sqlite_db_url: str) -> None:
    async with bot_running(fake, sqlite_db_url) as bot:
        fake.fail_next("getUpdates", 502, times=2)
        fake.fail_next("getUpdates", 429, retry_after=1)
        fake.send_text(USER, "/start")
        await fake.wait_for_messages(USER, 1, timeout=20)
        await fake.wait_for(lambda: fake.pending_updates == 0)
    refused = [c.status for c in fake.calls_to("getUpdates", ok=False)]
    assert sorted(refused) == [429, 502, 502]
    assert "getUpdates failed" in bot.log.getvalue()
