"""A guided flow can be left: "cancel", "never mind" or /cancel ends the wait for an answer,
and what is typed next is read as a message of its own."""

from __future__ import annotations

import pytest

from bot.awaiting import NOTHING_TO_STOP, STOPPED
from storage.models import CourseDose, Reminder
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_reminders import press_and_edit


@pytest.mark.parametrize(
    "typed",
    ["cancel", "Never mind!", "stop", "/cancel", "cancel please", "stop it", "I want to cancel"],
)
async def test_a_flow_left_midway_takes_no_answer_after(bot: BotUnderTest, typed: str) -> None:
    await bot.say("/timezone Europe/London")
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")  # now it waits for the mg a day
    assert (await bot.say(typed)).text == STOPPED
    await bot.say("40")
    assert await bot.rows(CourseDose) == []


async def test_cancel_with_nothing_waiting_says_so(bot: BotUnderTest) -> None:
    assert (await bot.say("/cancel")).text == NOTHING_TO_STOP


async def test_a_time_flow_stopped_sets_no_time(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/London")
    kinds = await bot.say("/remind")
    await bot.press(kinds, "rk:dose")
    assert (await bot.say("forget it")).text == STOPPED
    await bot.say("08:00")
    assert await bot.rows(Reminder) == []


@pytest.mark.parametrize("typed", ["stop", "cancel"])
async def test_stop_typed_with_nothing_waiting_points_to_pause(
    bot: BotUnderTest, typed: str
) -> None:
    await bot.say("/start")
    assert (await bot.say(typed)).text == NOTHING_TO_STOP
