"""A slow chat: every call about one chat waits, and the other chats do not."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import FakeBotApi
from tests.sandbox.helpers import OTHER_USER, USER

DELAY = 1.0


async def test_a_slow_chats_send_takes_effect_late_while_another_chat_is_answered_at_once(
    bot: Bot, fake: FakeBotApi
) -> None:
    fake.send_text(USER, "hello")
    fake.send_text(OTHER_USER, "hello")
    fake.slow_chat(USER, DELAY)
    started = time.monotonic()
    slow = asyncio.create_task(bot.send_message(USER, "slow"))
    await bot.send_message(OTHER_USER, "quick")
    # The other chat's answer came while the slow chat's call was still waiting.
    assert not slow.done()
    assert fake.messages(USER) == []
    await slow
    assert time.monotonic() - started >= DELAY
    assert [m.text for m in fake.messages(USER)] == ["slow"]


async def test_a_callback_answer_is_slow_for_the_chat_where_the_button_was_pressed(
    bot: Bot, fake: FakeBotApi
) -> None:
    fake.send_text(USER, "hello")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await bot.send_message(USER, "press", reply_markup=markup)
    query_id = fake.press_button(USER, sent.message_id, "go")
    fake.slow_chat(USER, DELAY)
    started = time.monotonic()
    await bot.answer_callback_query(query_id)
    assert time.monotonic() - started >= DELAY
    assert query_id in fake.answered_callbacks()


async def test_a_slow_chat_is_normal_again_at_zero_and_survives_clear_faults(
    bot: Bot, fake: FakeBotApi
) -> None:
    fake.send_text(USER, "hello")
    fake.slow_chat(USER, 30.0)
    fake.clear_faults()  # an outage ending does not make a slow path fast
    fake.slow_chat(USER, 0)
    await asyncio.wait_for(bot.send_message(USER, "normal"), 5)
    with pytest.raises(ValueError, match="negative"):
        fake.slow_chat(USER, -1)
