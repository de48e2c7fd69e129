"""The weekly summary as a user lives with it, week after week: its tip closes with the
disclaimer, each dose is counted in exactly one summary (a Sunday-evening one in the next), the
message says which days it covers, and a course set up before the timezone counts its first day.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from content import load_library
from storage.models import Delivery, DeliveryStatus, ReminderKind
from tests.e2e.conftest import USER, BotUnderTest, eventually
from tests.e2e.test_reminders import button, fire, press_and_edit

BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
DISCLAIMER = "no substitute for advice from your prescriber"
LIBRARY = load_library()


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Berlin in March 2026, as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def los_angeles(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Los Angeles in March 2026, as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=LOS_ANGELES).astimezone(UTC)


async def answer_dose(bot: BotUnderTest, when: datetime, label: str, user_id: int = USER) -> None:
    reminder = await fire(bot, when, user_id)
    assert "dose" in reminder.text, reminder.text
    await bot.press(reminder, button(bot, reminder, label), user_id)


async def course_in_berlin(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")  # Mon 2 Mar, 07:00 there
    await bot.say("/course start 2026-03-02")
    await bot.say("/course dose 40")


async def two_weeks_summarised(bot: BotUnderTest) -> str:
    """Every dose taken from Tuesday 10 March; the 15 March summary, which counts two weeks (the
    first with a Taken and a Skip), and the week after it, a week again. Returns the summary."""
    for day in range(10, 16):
        await answer_dose(bot, berlin(day, 8), "Taken")
    summary = await fire(bot, berlin(15, 18))
    assert "Your last 2 weeks" in summary.text, summary.text
    assert "from Sun 1 Mar, 18:00 to Sun 15 Mar, 18:00" in summary.text, summary.text
    assert "Doses in these 2 weeks: 7 of " in summary.text, summary.text
    assert "⏭ skipped 1" in summary.text, summary.text
    await answer_dose(bot, berlin(16, 8), "Taken")
    following = await fire(bot, berlin(22, 18))
    assert "Your week" in following.text and "from Sun 15 Mar, 18:00" in following.text
    return summary.text


async def test_the_weekly_summary_tip_carries_the_information_disclaimer(
    bot: BotUnderTest,
) -> None:
    """Every tip closes with the short disclaimer line (content/texts.yaml), the one in the
    Sunday summary too."""
    await course_in_berlin(bot)
    summary = await fire(bot, berlin(8, 18))
    assert "Your week" in summary.text
    tip = LIBRARY.tips["purge_patience"]
    assert tip.title in summary.text
    assert DISCLAIMER in summary.text, summary.text
    # It closes the tip: after the tip's text, before the summary's own closing lines.
    assert summary.text.index(tip.title) < summary.text.index(DISCLAIMER)
    assert summary.text.index(DISCLAIMER) < summary.text.index("/course shows")


async def test_an_evening_dose_on_sunday_is_counted_in_some_weekly_summary(
    any_bot: BotUnderTest,
) -> None:
    """Doses at 08:00 and 20:00, the summary on Sunday at 18:00. The Sunday 20:00 dose skipped
    in week one is still to come at the first summary, so it is in the second: each summary
    counts the doses due since the previous one, and says so. On SQLite and PostgreSQL, since
    the second summary reads when the first was due. The days between go by unanswered."""
    bot = any_bot
    await course_in_berlin(bot)
    await bot.say("/remind dose 08:00 20:00")
    await answer_dose(bot, berlin(8, 8), "Taken")
    first = await fire(bot, berlin(8, 18))
    await answer_dose(bot, berlin(8, 20), "Skip")  # Sunday 8 March, evening: skipped
    await answer_dose(bot, berlin(15, 8), "Taken")
    second = await fire(bot, berlin(15, 18))
    assert "skipped 0" in first.text and "⏭ skipped 1" in second.text, second.text
    assert "from Sun 1 Mar, 18:00 to Sun 8 Mar, 18:00" in first.text
    assert "Later ones count in next week's summary" in first.text
    assert "from Sun 8 Mar, 18:00 to Sun 15 Mar, 18:00" in second.text
    history = await bot.say("/history")
    assert "skipped 1" in history.text, history.text


async def test_a_dose_still_open_at_the_summary_is_named_in_it(bot: BotUnderTest) -> None:
    """Sunday's 08:00 dose not answered by 18:00 is no "no answer" yet (/history does not count
    it either), and no later summary will have it: this one says it is still open."""
    await course_in_berlin(bot)
    await bot.say("/remind dose 08:00")
    for day in range(2, 8):
        await answer_dose(bot, berlin(day, 8), "Taken")
    await fire(bot, berlin(8, 8))  # Sunday's reminder, left unanswered
    summary = await fire(bot, berlin(8, 18))
    assert "Doses this week: 6 of 6 taken (100%)" in summary.text, summary.text
    assert "⏳ still open 1" in summary.text
    history = await bot.say("/history")
    assert "100% taken (6 of 6)" in history.text, history.text


async def test_a_course_set_up_before_the_timezone_counts_its_first_day_in_the_summary(
    bot: BotUnderTest,
) -> None:
    """22:00 on Sun 1 Mar in Los Angeles is Mon 2 Mar in UTC: "Today", tapped before the zone
    was set, is 2 Mar. Setting the zone settles the course on 1 Mar, so the first summary counts
    that evening's dose, with no /course, /today or /history in between."""
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    await bot.say("40")
    await bot.say("70")
    await bot.say("/timezone America/Los_Angeles")
    await bot.say("/remind dose 22:30")
    for day in range(1, 8):  # Sun 1 to Sat 7 March, every evening dose taken
        await answer_dose(bot, los_angeles(day, 22, 30), "Taken")
    summary = await fire(bot, los_angeles(8, 18))
    assert "day 8 of your course" in summary.text, summary.text
    assert "Doses this week: 7 of 7 taken (100%)" in summary.text
    assert "Cumulative: 280 mg" in summary.text, summary.text
    assert "from Sun 1 Mar, 18:00 to Sun 8 Mar, 18:00" in summary.text


async def test_a_summary_missed_while_the_bot_was_down_leaves_its_week_to_the_next(
    any_bot: BotUnderTest,
) -> None:
    """The bot is down over Sunday 8 March's summary, back the next day past its grace: that
    summary is not sent, so the next one counts both weeks and says so. Before, its week's
    doses (a Taken on Tuesday, a Skip on Wednesday) were in no summary at all."""
    bot = any_bot
    await course_in_berlin(bot)
    await bot.say("/remind dose 08:00")
    await answer_dose(bot, berlin(3, 8), "Taken")
    await answer_dose(bot, berlin(4, 8), "Skip")
    bot.clock.set(berlin(9, 12))

    async def summary_missed() -> bool:
        rows = await bot.rows(Delivery, Delivery.kind == ReminderKind.WEEKLY_SUMMARY)
        return [r.status for r in rows] == [DeliveryStatus.MISSED]

    await eventually(summary_missed, what="the 8 March summary to be missed")
    summary = await two_weeks_summarised(bot)
    assert "could not be sent while I was offline" in summary, summary


async def test_a_summary_paused_over_leaves_its_week_to_the_next(any_bot: BotUnderTest) -> None:
    """Reminders paused from Saturday to Monday, over Sunday 8 March's summary: nothing goes out
    while paused, so the next summary counts both weeks. Before, the first week's doses (a Taken
    on Tuesday, a Skip on Wednesday) were in no summary at all."""
    bot = any_bot
    await course_in_berlin(bot)
    await bot.say("/remind dose 08:00")
    await answer_dose(bot, berlin(3, 8), "Taken")
    await answer_dose(bot, berlin(4, 8), "Skip")
    bot.clock.set(berlin(7, 12))
    await bot.say("/pause")
    bot.clock.set(berlin(9, 12))
    await bot.say("/resume")
    summary = await two_weeks_summarised(bot)
    assert "no summary went out in between" in summary and "offline" not in summary, summary


async def test_a_first_summary_paused_over_leaves_its_week_to_the_next(
    bot: BotUnderTest,
) -> None:
    """No summary has gone out yet when the reminders are paused over the first one: the next
    counts from the course's set-up, two weeks back, not the last seven days alone."""
    await course_in_berlin(bot)
    await bot.say("/remind dose 08:00")
    await answer_dose(bot, berlin(3, 8), "Taken")
    bot.clock.set(berlin(7, 12))
    await bot.say("/pause")
    bot.clock.set(berlin(9, 12))
    await bot.say("/resume")
    summary = await fire(bot, berlin(15, 18))
    assert "Your last 2 weeks" in summary.text, summary.text
    assert "from Sun 1 Mar, 18:00 to Sun 15 Mar, 18:00" in summary.text, summary.text
    assert "no summary went out in between" in summary.text
