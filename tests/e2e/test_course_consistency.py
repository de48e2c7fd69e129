"""A course over months, as users change it: a second course after an ended one, a corrected
start, a dose change entered ahead, the target reached, reminders before the first capsule.
/course, the weekly summary and /report must agree with each other and with what was taken."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.handlers.report import gather
from storage.models import User
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import button, fire

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A wall time in Berlin in 2026, as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


async def answer_dose(bot: BotUnderTest, at: datetime, label: str) -> None:
    reminder = await fire(bot, at)
    assert "dose" in reminder.text, reminder.text
    await bot.press(reminder, button(bot, reminder, label))


async def test_a_new_course_after_an_ended_one_is_not_shown_as_ended_with_negative_days(
    bot: BotUnderTest,
) -> None:
    """A first course ran 2–10 March and was marked ended. Months later the user starts a second
    course and sends /course start with its first day, exactly as /course's own error texts tell
    them to. The bot must show a running course on day 1 (or at least never claim a course that
    "ran -174 days"); today it keeps the old end, shows the start after the end and counts a
    negative length, and nothing the user can type starts the new course."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/course start 2026-03-02")
    await bot.say("/course dose 40")
    await bot.say("/course weight 70")
    bot.clock.set(berlin(10, 10))
    ended = await bot.say("/course end")
    assert "A new course? Send /course start" in ended.text, ended.text
    bot.clock.set(berlin(1, 10, month=9))

    started = await bot.say("/course start 2026-09-01")

    assert "ran -" not in started.text, started.text
    # The new course asks for its own dose: the ended one's is not this one's.
    assert "A new course, from Tue 1 Sep 2026" in started.text, started.text
    assert "What is your daily dose?" in started.text
    screen = await bot.say("40")
    assert "Day 1, started Tue 1 Sep 2026" in screen.text, screen.text


async def test_weekly_summary_projection_names_the_dose_change_it_counts_on(
    bot: BotUnderTest,
) -> None:
    """The prescriber raised the dose from 40 to 60 mg from 1 April, and the user entered it
    ahead (/course dose 60 from 2026-04-01). /course says the projected end is "if every dose is
    taken at 40 mg a day, then 60 mg from Wed 1 Apr 2026". The Sunday summary computes the same
    date (Sun 2 Aug 2026, with the 60 mg) but says "At 40 mg a day, every dose taken, you would
    reach the target around Sun 2 Aug 2026": at 40 mg a day it would be Sat 3 Oct. The summary
    must not state arithmetic that is false; it has to name the change, as /course does (or give
    the 40 mg date)."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/course start 2026-03-02")
    await bot.say("/course dose 40")
    await bot.say("/course weight 70")
    await bot.say("/course dose 60 from 2026-04-01")

    summary = await fire(bot, berlin(8, 18))

    [projection] = [line for line in summary.text.splitlines() if "Projected end" in line]
    assert "60 mg" in projection, projection


async def test_report_adherence_does_not_count_doses_from_before_the_course_started(
    bot: BotUnderTest,
) -> None:
    """Dose reminders were set on Mon 2 March, a few days before the first capsule; the user
    pressed Skip on them until the course began on Thu 5 March, then took every dose. /report,
    the page for the prescriber, says the course started 5 March and lists no missed day, yet
    its 7-day adherence reads 50% with 3 doses skipped: the skipped reminders from before the
    course. The report has to agree with itself: the skips it counts are the skips it lists
    (and the weekly summary, "day 4 of your course", has the same 3 skips in it)."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    for day in (2, 3, 4):
        await answer_dose(bot, berlin(day, 8), "Skip")
    first = await fire(bot, berlin(5, 8))
    await bot.say("/course start 2026-03-05")
    await bot.say("/course dose 40")
    await bot.say("/course weight 70")
    await bot.press(first, button(bot, first, "Taken"))
    for day in (6, 7):
        await answer_dose(bot, berlin(day, 8), "Taken")
    bot.clock.set(berlin(7, 12))

    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        data = await gather(session, user, bot.clock.now(), "disclaimer")

    assert data.course is not None and data.course.start.isoformat() == "2026-03-05"
    [(_, week), *_] = data.adherence
    skipped_listed = [day for day, what in data.missed if what == "skipped"]
    assert (week.taken, week.skipped) == (3, len(skipped_listed)), (week, data.missed)


async def test_weekly_summary_on_the_day_the_target_is_reached_says_it_is_reached(
    bot: BotUnderTest,
) -> None:
    """A course from 1 Dec 2025 at 40 mg a day, 50 kg (target 120 mg/kg = 6,000 mg), with
    5,970 mg taken before tracking. Sunday's 08:00 dose is taken: 6,010 mg, 120.2 mg/kg, 100%.
    /course then says "You have reached the target. Your prescriber decides when the course
    ends." The Sunday summary, sent the same evening with the same 100% bar, instead says "At
    40 mg a day, every dose taken, you would reach the target around Sun 8 Mar 2026", as if
    more doses were still needed to get there. Once the target is reached the summary must say
    so and leave the end to the prescriber, never talk of reaching it by taking more."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/course start 2025-12-01")
    await bot.say("/course dose 40")
    await bot.say("/course weight 50")
    await bot.say("/course before 5970")
    bot.clock.set(berlin(7, 20))
    await bot.say("/remind dose 08:00")
    await answer_dose(bot, berlin(8, 8), "Taken")
    screen = await bot.say("/course")
    assert "You have reached the target" in screen.text, screen.text

    summary = await fire(bot, berlin(8, 18))

    assert "100%" in summary.text, summary.text
    assert "You have reached the target" in summary.text, summary.text
    assert "Projected end" not in summary.text, summary.text


async def test_moving_the_start_earlier_keeps_the_daily_dose_from_the_start(
    bot: BotUnderTest,
) -> None:
    """Set up through the guided flow (start 2 March, 40 mg, 70 kg), the user finds they really
    began on 23 February and corrects the start date, as the 📅 Start date button and
    /course start invite. The cumulative dose already counts every day from 23 February at
    40 mg, but /course now says "Daily dose: 40 mg, since Mon 2 Mar 2026" and /report tells
    the prescriber "Daily dose: 40 mg/day from 2 Mar 2026" under "Course start: 23 Feb 2026":
    a first week with no dose, which is not what was prescribed or counted. The dose the course
    started on has to move with the start (as settle_dates already does for its own case)."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/course")
    for typed in ("2026-03-02", "40", "70"):
        await bot.say(typed)
    bot.clock.set(berlin(5, 12))

    screen = await bot.say("/course start 2026-02-23")

    assert "Day 11, started Mon 23 Feb 2026" in screen.text, screen.text
    assert "since Mon 2 Mar 2026" not in screen.text, screen.text
    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        data = await gather(session, user, bot.clock.now(), "disclaimer")
    assert data.course is not None
    assert [c.effective_from.isoformat() for c in data.course.doses] == ["2026-02-23"]
