"""The course's figures across a trip, with two doses a day (40 mg a day, so 20 mg a dose): a dose
keeps the local day it was sent for, and each dose taken counts as one dose, however many a day
cut short or stretched by the trip had."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sandbox.state import BotMessage
from storage.models import DoseLog
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_reminders import button, fire


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


async def twice_a_day_in_berlin(bot: BotUnderTest) -> None:
    """From Mon 2 March, 40 mg a day at 08:00 and 20:00 Berlin time (UTC+1), 80 kg."""
    for text in [
        "/timezone Europe/Berlin",
        "/remind dose 08:00 20:00",
        "/course start 2026-03-02",
        "/course dose 40",
        "/course weight 80",
    ]:
        await bot.say(text)


async def taken_at(bot: BotUnderTest, at: datetime) -> None:
    reminder = await fire(bot, at)
    await bot.press(reminder, button(bot, reminder, "Taken"))


async def morning_taken_evening_sent(bot: BotUnderTest) -> BotMessage:
    """Monday: the 08:00 dose taken, and the 20:00 reminder just sent."""
    await twice_a_day_in_berlin(bot)
    await taken_at(bot, utc(2, 7))
    return await fire(bot, utc(2, 19))


async def cumulative(bot: BotUnderTest) -> str:
    [line] = [s for s in (await bot.say("/course")).text.splitlines() if s.startswith("Cumul")]
    return line


async def test_a_new_timezone_alone_changes_no_figure_of_the_days_before(
    bot: BotUnderTest,
) -> None:
    await morning_taken_evening_sent(bot)  # the evening dose left unanswered
    follow_up = await fire(bot, utc(2, 21))  # before /course, so its reply is the last message
    assert "Checking in" in follow_up.text
    assert await cumulative(bot) == "Cumulative: 20 mg from 1 dose taken"
    await bot.say("/timezone Asia/Tokyo")
    assert await cumulative(bot) == "Cumulative: 20 mg from 1 dose taken"
    # Monday's 20:00 in Berlin was Tuesday 04:00 in Tokyo: it stays Monday's.
    assert "04:00" not in (await bot.say("/today")).text


async def test_a_snoozed_dose_taken_after_flying_east_counts_for_its_own_day(
    bot: BotUnderTest,
) -> None:
    evening = await morning_taken_evening_sent(bot)
    await bot.press(evening, button(bot, evening, "Snooze"))
    bot.clock.set(utc(2, 19, 5))
    await bot.say("/timezone Asia/Tokyo")
    await taken_at(bot, utc(2, 19, 15))  # the snoozed reminder, answered in Tokyo
    logs = await bot.rows(DoseLog)
    assert [log.local_date for log in logs] == [date(2026, 3, 2)] * 2
    assert await cumulative(bot) == "Cumulative: 40 mg from 2 doses taken"


@pytest.mark.parametrize(
    ("zone", "moved_at", "then_taken"),
    [
        # At Monday lunchtime to Tokyo: Monday's 20:00 never comes; Tuesday 08:00 and 20:00 there.
        pytest.param("Asia/Tokyo", utc(2, 12), (utc(2, 23), utc(3, 11)), id="east_day_cut_short"),
        # At 09:00 Berlin to New York: Monday 08:00 and 20:00 there too, three doses on Monday.
        pytest.param("America/New_York", utc(2, 8), (utc(2, 13), utc(3, 1)), id="west_stretched"),
    ],
)
async def test_each_dose_taken_on_a_day_a_trip_changed_counts_as_one_dose(
    bot: BotUnderTest, zone: str, moved_at: datetime, then_taken: tuple[datetime, ...]
) -> None:
    await twice_a_day_in_berlin(bot)
    await taken_at(bot, utc(2, 7))
    bot.clock.set(moved_at)
    await bot.say(f"/timezone {zone}")
    for at in then_taken:
        await taken_at(bot, at)
    assert await cumulative(bot) == "Cumulative: 60 mg from 3 doses taken"


async def test_a_day_counts_one_days_dose_at_most_when_the_times_change_before_an_answer(
    bot: BotUnderTest,
) -> None:
    evening = await morning_taken_evening_sent(bot)
    bot.clock.set(utc(2, 19, 5))
    await bot.say("/remind dose 20:00")  # one dose a day from now on
    await bot.press(evening, button(bot, evening, "Taken"))
    assert await cumulative(bot) == "Cumulative: 40 mg from 2 doses taken"
