"""A dose answered after its day is over counts at that day's own number of dose times, not at
the number the user has by the time they answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.models import DoseLog
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import button, fire, settle

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=BERLIN).astimezone(UTC)


async def course_with_one_dose_a_day(bot: BotUnderTest) -> None:
    bot.clock.set(berlin(2, 7))
    for text in ["/timezone Europe/Berlin", "/course start 2026-03-02", "/course dose 40"]:
        await bot.say(text)
    await bot.say("/course weight 80")
    await bot.say("/remind dose 08:00")


async def test_yesterdays_only_dose_counts_whole_after_a_second_time_was_added(
    bot: BotUnderTest,
) -> None:
    await course_with_one_dose_a_day(bot)
    monday = await fire(bot, berlin(2, 8))
    bot.clock.set(berlin(3, 7))
    await bot.say("/remind dose 08:00 20:00")
    await bot.press(monday, button(bot, monday, "Taken"))
    [log] = await bot.rows(DoseLog)
    assert log.share == 1
    assert "Cumulative: 40 mg from 1 dose taken" in (await bot.say("/course")).text


async def test_todays_dose_counts_at_todays_number_of_times(bot: BotUnderTest) -> None:
    await course_with_one_dose_a_day(bot)
    await bot.say("/remind dose 08:00 20:00")
    monday = await fire(bot, berlin(2, 8))
    await bot.press(monday, button(bot, monday, "Taken"))
    [log] = await bot.rows(DoseLog)
    assert log.share == 0.5


async def test_a_time_added_in_the_morning_sends_no_reminder_for_the_evening_before(
    bot: BotUnderTest,
) -> None:
    """Monday had one dose time, 08:00. Adding 20:00 on Tuesday at 07:00 owes no "20:00 dose":
    sent at once, an hour before the 08:00 one, it invited two doses within the hour. The next
    reminder is Tuesday's 08:00."""
    await course_with_one_dose_a_day(bot)
    monday = await fire(bot, berlin(2, 8))
    await bot.press(monday, button(bot, monday, "Taken"))
    bot.clock.set(berlin(3, 7))
    reply = await bot.say("/remind dose 08:00 20:00")
    assert "Next: today at 08:00" in reply.text, reply.text
    await settle(bot)
    assert bot.fake.messages(USER)[-1].message_id == reply.message_id
    tuesday = await fire(bot, berlin(3, 8))
    assert "08:00" in tuesday.text and "20:00" not in tuesday.text, tuesday.text


async def test_a_time_moved_behind_now_says_the_owed_reminder_comes_now(bot: BotUnderTest) -> None:
    """Monday's 08:00 taken; on Tuesday at 07:30 the dose moves to 06:00, already past: that
    day's reminder is owed and goes out at once, and the reply says so rather than naming
    Wednesday's 06:00 as the next."""
    await course_with_one_dose_a_day(bot)
    monday = await fire(bot, berlin(2, 8))
    await bot.press(monday, button(bot, monday, "Taken"))
    bot.clock.set(berlin(3, 7) + timedelta(minutes=30))
    # The reply and the owed reminder, in whichever order they arrive.
    await bot.say("/remind dose 06:00", replies=2)
    reply, owed = sorted(bot.fake.messages(USER)[-2:], key=lambda m: "reminders at" not in m.text)
    assert "Next: now, for the time just passed." in reply.text, reply.text
    assert "06:00" in owed.text and "dose" in owed.text, owed.text
