"""/checks typed answers after a day was tapped: the time alone, an hour, another day and time."""

from __future__ import annotations

import pytest

from sandbox.state import BotMessage
from storage.models import Reminder, User
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import press_and_edit


async def blood_tests_on_day(bot: BotUnderTest, day: str) -> BotMessage:
    """/checks, "Set 🩸 Blood tests" and the day `day` tapped; returns the time picker."""
    await bot.say("/timezone Europe/Berlin")
    overview = await bot.say("/checks")
    days = await press_and_edit(bot, overview, "Set 🩸 Blood tests")
    return await press_and_edit(bot, days, day)


async def checks_set(bot: BotUnderTest) -> list[tuple[int | None, str]]:
    return [
        (c.day_of_month, c.local_time) for c in await bot.rows(Reminder, Reminder.user_id == USER)
    ]


@pytest.mark.parametrize(
    ("typed", "day", "at"),
    [
        pytest.param("10:30", 15, "10:30", id="a_time_for_the_day_tapped"),
        # A bare number answers "At what time?": an hour, not another day.
        pytest.param("9", 15, "09:00", id="an_hour"),
        pytest.param("20 07:45", 20, "07:45", id="another_day_and_time"),
    ],
)
async def test_an_answer_typed_after_tapping_a_day_sets_the_check(
    bot: BotUnderTest, typed: str, day: int, at: str
) -> None:
    times = await blood_tests_on_day(bot, "15")
    assert "day 15 of each month" in times.text and "At what time?" in times.text
    # The prompt asks for what is taken: a time, not the day again.
    assert "type a time, like 10:30" in times.text and "type the day and time" not in times.text
    reply = await bot.say(typed)
    assert f"day {day} of each month at {at} (Europe/Berlin)" in reply.text, reply.text
    assert await checks_set(bot) == [(day, at)]
    [user] = await bot.rows(User, User.id == USER)
    assert user.awaiting == ""  # set: the next message is an ordinary one


async def test_a_number_that_is_no_hour_after_tapping_a_day_asks_again_and_sets_nothing(
    bot: BotUnderTest,
) -> None:
    await blood_tests_on_day(bot, "15")
    reply = await bot.say("30")
    # Says how to give a time for day 15, and how to pick day 30 instead.
    assert "day 15" in reply.text and "10:30" in reply.text and "30 10:30" in reply.text
    assert await checks_set(bot) == []
    # Still waiting for the time of day 15.
    reply = await bot.say("18:45")
    assert "day 15 of each month at 18:45" in reply.text, reply.text
    assert await checks_set(bot) == [(15, "18:45")]


async def test_a_pregnancy_test_time_typed_after_tapping_a_day_is_taken(
    bot: BotUnderTest,
) -> None:
    """The longer kind fits users.awaiting with its day, as a message id grows large."""
    await bot.say("/timezone Europe/Berlin")
    overview = await bot.say("/checks")
    days = await press_and_edit(bot, overview, "Set 🧪 Pregnancy test")
    await press_and_edit(bot, days, "31")
    [user] = await bot.rows(User, User.id == USER)
    assert len(user.awaiting.partition("@")[0]) + len("@2147483647") <= 32, user.awaiting
    reply = await bot.say("08:15")
    assert "day 31 of each month at 08:15" in reply.text, reply.text
    assert await checks_set(bot) == [(31, "08:15")]
