"""Injected faults, blocked users and the rate limiter."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from sandbox import FakeBotApi
from tests.sandbox.helpers import OTHER_USER, USER, FakeClock, RawApi, last_error, make_bot


async def test_fail_next_429_raises_retry_after_and_sends_nothing(
    bot: Bot, fake: FakeBotApi, raw: RawApi, user: int
) -> None:
    fake.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user, "hi")
    assert caught.value.retry_after in (7, timedelta(seconds=7))  # int or timedelta by PTB setting
    assert fake.messages(user) == []
    assert fake.rate_limit_hits == 0  # injected, not produced by the limiter
    call = fake.calls_to("sendMessage", user, ok=False)[0]
    assert (call.status, call.description) == (429, "Too Many Requests: retry after 7")
    # The raw answer carries parameters.retry_after, like Telegram's.
    fake.fail_next("sendMessage", 429, retry_after=3)
    status, body = await raw.post_json("sendMessage", {"chat_id": user, "text": "hi"})
    assert status == 429
    assert body["parameters"] == {"retry_after": 3}
    assert body["error_code"] == 429
    # The fault was used up: the next call goes through.
    await bot.send_message(user, "hi")
    assert len(fake.messages(user)) == 1


async def test_fail_next_500_and_502_are_network_errors(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    fake.fail_next("sendMessage", 500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(user, "hi")
    fake.fail_next("sendmessage", 502)  # method names are case-insensitive here too
    with pytest.raises(NetworkError):
        await bot.send_message(user, "hi")
    assert fake.messages(user) == []
    await bot.send_message(user, "hi")


async def test_fail_next_can_target_one_chat_and_other_methods(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    fake.send_text(OTHER_USER, "hello")
    fake.fail_next("sendMessage", 400, "Bad Request: custom", chat_id=OTHER_USER)
    await bot.send_message(user, "to user")  # another chat: untouched
    with pytest.raises(BadRequest, match="Custom"):
        await bot.send_message(OTHER_USER, "to other")
    assert last_error(fake) == "Bad Request: custom"
    sent = await bot.send_message(user, "edit me")
    fake.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
    with pytest.raises(BadRequest):
        await bot.edit_message_text("edited", chat_id=user, message_id=sent.message_id)
    assert fake.messages(user)[-1].text == "edit me"
    fake.fail_next("getUpdates", 502)
    with pytest.raises(NetworkError):
        await bot.get_updates()


async def test_blocked_chat_is_forbidden_until_unblocked(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_message(user, "before")
    fake.block_chat(user)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(user, "hi")
    assert last_error(fake) == "Forbidden: bot was blocked by the user"
    with pytest.raises(Forbidden):
        await bot.edit_message_text("x", chat_id=user, message_id=sent.message_id)
    with pytest.raises(Forbidden):
        await bot.send_document(user, b"x", filename="a.txt")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(user, "typing")
    assert [m.text for m in fake.messages(user)] == ["before"]
    fake.unblock_chat(user)
    await bot.send_message(user, "after")
    assert [m.text for m in fake.messages(user)] == ["before", "after"]


async def test_hang_makes_the_client_time_out_without_effect(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    fake.hang_next("sendMessage", 2.0)
    with pytest.raises(TimedOut):
        await bot.send_message(user, "lost", read_timeout=0.3)
    assert fake.messages(user) == []
    await bot.send_message(user, "next")
    assert [m.text for m in fake.messages(user)] == ["next"]


async def test_hang_then_apply_delivers_although_the_client_gave_up(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    fake.hang_next("sendMessage", 2.0, then_apply=True)
    with pytest.raises(TimedOut):
        await bot.send_message(user, "uncertain", read_timeout=0.3)
    assert [m.text for m in fake.messages(user)] == ["uncertain"]
    assert fake.calls_to("sendMessage", user)[0].params["text"] == "uncertain"


async def test_a_patient_client_gets_the_answer_after_the_hang(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    fake.hang_next("sendMessage", 0.3, then_apply=True, chat_id=user)
    sent = await bot.send_message(user, "slow", read_timeout=5)
    assert sent.text == "slow"
    fake.hang_next("sendMessage", 0.3)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(user, "dropped", read_timeout=5)
    assert [m.text for m in fake.messages(user)] == ["slow"]


async def test_stop_cuts_a_hang_short() -> None:
    fake = FakeBotApi()
    await fake.start()
    fake.send_text(USER, "hi")
    fake.hang_next("sendMessage", 30)
    async with make_bot(fake) as bot:
        pending = asyncio.create_task(bot.send_message(USER, "x", read_timeout=10))
        await asyncio.sleep(0.2)
        await asyncio.wait_for(fake.stop(), 5)
        with pytest.raises(NetworkError):
            await asyncio.wait_for(pending, 5)


async def test_rate_limits_are_off_by_default(bot: Bot, fake: FakeBotApi, user: int) -> None:
    for n in range(40):
        await bot.send_message(user, f"m{n}")
    assert len(fake.messages(user)) == 40
    assert fake.rate_limit_hits == 0


async def test_per_chat_limit_with_a_fake_clock() -> None:
    clock = FakeClock()
    async with (
        FakeBotApi(enforce_rate_limits=True, clock=clock) as fake,
        make_bot(fake) as bot,
    ):
        fake.send_text(USER, "hi")
        fake.send_text(OTHER_USER, "hi")
        await bot.send_message(USER, "one")
        await bot.send_message(OTHER_USER, "other chat is fine")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER, "too soon")
        assert caught.value.retry_after in (1, timedelta(seconds=1))
        assert fake.rate_limit_hits == 1
        clock.advance(0.99)
        with pytest.raises(RetryAfter):
            await bot.send_document(USER, b"x", filename="a.txt")
        assert fake.rate_limit_hits == 2
        # Edits do not count as sends.
        first = fake.messages(USER)[0]
        await bot.edit_message_text("one, edited", chat_id=USER, message_id=first.message_id)
        clock.advance(0.01)
        await bot.send_message(USER, "two")
        assert [m.text for m in fake.messages(USER)] == ["one, edited", "two"]


async def test_global_limit_per_trailing_second() -> None:
    clock = FakeClock()
    users = list(range(100, 106))
    async with (
        FakeBotApi(
            enforce_rate_limits=True, global_per_second=5, per_chat_interval=0.0, clock=clock
        ) as fake,
        make_bot(fake) as bot,
    ):
        for user_id in users:
            fake.send_text(user_id, "hi")
        for user_id in users[:5]:
            await bot.send_message(user_id, "news")
        with pytest.raises(RetryAfter):
            await bot.send_message(users[5], "news")
        clock.advance(0.5)
        with pytest.raises(RetryAfter):
            await bot.send_message(users[5], "news")
        clock.advance(0.5)  # the first five are now a full second old
        await bot.send_message(users[5], "news")
        assert fake.rate_limit_hits == 2
        assert len(fake.calls_to("sendMessage", ok=False)) == 2


async def test_wait_for_explains_a_timeout(fake: FakeBotApi, bot: Bot, user: int) -> None:
    await bot.send_message(user, "only one")
    with pytest.raises(TimeoutError, match="has 1 bot message"):
        await fake.wait_for_messages(user, 2, timeout=0.2)
    with pytest.raises(TimeoutError, match="still false"):
        await fake.wait_for(lambda: None, timeout=0.1)
    assert await fake.wait_for(lambda: fake.last_message(user)) == fake.last_message(user)
    assert [m.text for m in await fake.wait_for_messages(user, 1)] == ["only one"]


async def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    clock = FakeClock()
    group = -100123
    async with (
        FakeBotApi(enforce_rate_limits=True, clock=clock) as fake,
        make_bot(fake) as bot,
    ):
        fake.add_group(group, members=[USER])
        fake.add_bot_to_group(group, by_user_id=USER)
        fake.send_text(USER, "hi")
        for n in range(20):
            await bot.send_message(group, f"g{n}")
            await bot.send_message(USER, f"p{n}")
            clock.advance(1.5)  # past the one-second rule, so only the minute rule is left
        # 20 sends in the last 30 s: the oldest leaves the minute in 30 s.
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(group, "g20")
        assert caught.value.retry_after in (30, timedelta(seconds=30))
        assert fake.rate_limit_hits == 1
        await bot.send_message(USER, "p20")  # a private chat has no minute limit
        clock.advance(29.9)
        with pytest.raises(RetryAfter):
            await bot.send_message(group, "g20")
        clock.advance(0.2)
        await bot.send_message(group, "g20")
        assert len(fake.messages(group)) == 21
        assert len(fake.messages(USER)) == 21


async def test_the_minute_limit_is_off_unless_limits_are_enforced(
    bot: Bot, fake: FakeBotApi
) -> None:
    fake.add_group(-100123, members=[USER])
    fake.add_bot_to_group(-100123, by_user_id=USER)
    for n in range(25):
        await bot.send_message(-100123, f"g{n}")
    assert len(fake.messages(-100123)) == 25
