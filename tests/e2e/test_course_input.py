"""/course as people type it, end to end: units after a number, a dose change from tomorrow, a
course set up before the timezone, the figures near the target, and /today's prescriber line.
The last test settles a course's dates on both SQLite and PostgreSQL (the `db` fixture)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduler.courses import (
    dose_history,
    set_dose,
    set_weight,
    settled_course,
    start_course,
    weight_history,
)
from storage import Database
from storage.models import Course, CourseDose, CourseWeight
from storage.users import Sighting, record_seen
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_course import assert_all_in
from tests.e2e.test_reminders import button, fire, press_and_edit

DATE_HINT = "Please send the date like"
PRESCRIBER = "Your prescriber decides your dose and length of treatment."
BERLIN_0800 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Mon 2 Mar, the tests' first day


async def take_dose(bot: BotUnderTest, at: datetime) -> None:
    reminder = await fire(bot, at)
    await bot.press(reminder, button(bot, reminder, "Taken"))


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("/course weight 154 lb", "Weight: 69.9 kg, on Mon 2 Mar 2026"),
        ("/course weight 154 lbs", "✅ Recorded: 154 lb = 69.9 kg."),
        ("/course weight 70 kilos", "Weight: 70 kg, on Mon 2 Mar 2026"),
        ("/course weight 70 kg yesterday", "Weight: 70 kg, on Sun 1 Mar 2026"),
        ("/course dose 40 mg daily", "Daily dose: 40 mg"),
        ("/course dose 40 mg a day", "Daily dose: 40 mg"),
        ("/course dose 40 per day", "Daily dose: 40 mg"),
        ("/course dose 40mg/day from 2026-03-01", "Daily dose: 40 mg"),
    ],
)
async def test_a_unit_after_the_number_is_understood(
    bot: BotUnderTest, typed: str, shown: str
) -> None:
    await bot.say("/course start 2026-03-01")
    reply = await bot.say(typed)
    assert DATE_HINT not in reply.text
    assert_all_in(reply.text, shown, PRESCRIBER)


async def test_pounds_typed_in_the_guided_flow_are_recorded_in_kg_and_said_so(
    bot: BotUnderTest,
) -> None:
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    assert "pounds" in (await bot.say("40 mg a day")).text
    screen = await bot.say("154 lb")
    assert_all_in(screen.text, "✅ Recorded: 154 lb = 69.9 kg.", "Weight: 69.9 kg")
    [weight] = await bot.rows(CourseWeight)
    assert weight.kg == 69.9


async def test_an_unknown_word_after_the_number_asks_for_the_number_not_a_date(
    bot: BotUnderTest,
) -> None:
    await bot.say("/course start 2026-03-01")
    reply = await bot.say("/course weight 11 stone")
    assert DATE_HINT not in reply.text
    assert "as a number" in reply.text and "154 lb" in reply.text
    assert await bot.rows(CourseWeight) == []


async def test_a_course_ended_on_its_first_day_ran_one_day(bot: BotUnderTest) -> None:
    await bot.say("/course start today")
    ended = await bot.say("/course end")
    assert "It ran 1 day, from Mon 2 Mar 2026 to Mon 2 Mar 2026." in ended.text


async def test_a_course_set_up_before_the_timezone_counts_the_first_dose_west_of_utc(
    bot: BotUnderTest,
) -> None:
    """22:00 on Sun 1 Mar in Los Angeles is Mon 2 Mar in UTC. "Today", tapped before the zone is
    known, was 2 Mar; once the zone is set, the course starts on the user's own today, and the
    dose taken that evening counts."""
    prompt = await bot.say("/course")
    assert [text for text, _ in bot.fake.buttons(prompt)] == ["Today", "Yesterday"]
    assert "/timezone" in prompt.text
    await press_and_edit(bot, prompt, "Today")
    await bot.say("40")
    await bot.say("70")
    await bot.say("/timezone America/Los_Angeles")
    await bot.say("/remind dose 22:30")
    await take_dose(bot, datetime(2026, 3, 2, 6, 30, tzinfo=UTC))  # 22:30 on 1 Mar, LA

    screen = await bot.say("/course")
    assert "It starts on" not in screen.text
    assert_all_in(
        screen.text,
        "Day 1, started Sun 1 Mar 2026",
        "Daily dose: 40 mg\n",  # from the start: no "since" a later day
        "Weight: 70 kg, on Sun 1 Mar 2026",
        "40 mg from 1 dose taken",
    )
    [course] = await bot.rows(Course, Course.user_id == USER)
    [dose] = await bot.rows(CourseDose)
    [weight] = await bot.rows(CourseWeight)
    assert course.start_date == dose.effective_from == weight.measured_on == date(2026, 3, 1)

    # The next day, the first dose still counts.
    bot.clock.set(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))  # 12:00 on 2 Mar, LA
    assert "40 mg from 1 dose taken" in (await bot.say("/course")).text
    ended = await bot.say("/course end")
    assert "It ran 2 days, from Sun 1 Mar 2026 to Mon 2 Mar 2026." in ended.text


async def test_today_sets_the_course_dates_right_before_the_course_is_opened(
    bot: BotUnderTest,
) -> None:
    await bot.say("/course start today")  # 2 Mar in UTC, with no zone yet
    await bot.say("/timezone America/Los_Angeles")
    await bot.say("/today")
    [course] = await bot.rows(Course, Course.user_id == USER)
    assert course.start_date == date(2026, 3, 1)


async def course_in_berlin_with_the_first_dose_taken(bot: BotUnderTest, mg: int, kg: str) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    await bot.say("/course start today")
    await bot.say(f"/course dose {mg}")
    await bot.say(f"/course weight {kg}")
    await take_dose(bot, BERLIN_0800)


async def test_a_dose_change_from_tomorrow_leaves_todays_dose_at_todays_mg(
    bot: BotUnderTest,
) -> None:
    await course_in_berlin_with_the_first_dose_taken(bot, 40, "80")
    bot.clock.set(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    changed = await bot.say("/course dose 60 from tomorrow")
    assert_all_in(
        changed.text,
        "Daily dose: 60 mg, since Tue 3 Mar 2026 (from tomorrow; 40 mg until then)",
        "40 mg from 1 dose taken",
        # 9,600 mg: 40 today, then 9,560 at 60 mg a day, 160 days from 3 March: 9 August.
        "Projected end: Sun 9 Aug 2026, if every dose is taken at 40 mg a day, then 60 mg",
    )
    again = await bot.say("/course dose 60 mg from 2026-03-03")
    assert "Daily dose: 60 mg, since Tue 3 Mar 2026" in again.text
    doses = await bot.rows(CourseDose)
    assert sorted((d.effective_from, d.mg_per_day) for d in doses) == [
        (date(2026, 3, 2), 40),
        (date(2026, 3, 3), 60),
    ]
    await take_dose(bot, BERLIN_0800 + timedelta(days=1))
    screen = await bot.say("/course")
    assert_all_in(screen.text, "Daily dose: 60 mg, since Tue 3 Mar 2026\n", "100 mg from 2 doses")


async def test_a_dose_change_too_far_ahead_or_before_any_dose_is_refused(
    bot: BotUnderTest,
) -> None:
    await bot.say("/course start today")
    first = await bot.say("/course dose 60 from tomorrow")
    assert "First send the dose you take now" in first.text
    await bot.say("/course dose 40")
    far = await bot.say("/course dose 60 from 2026-05-02")  # 61 days ahead
    assert "more than 60 days ahead" in far.text and PRESCRIBER in far.text
    assert [(d.effective_from, d.mg_per_day) for d in await bot.rows(CourseDose)] == [
        (date(2026, 3, 2), 40)
    ]
    assert "in the future" in (await bot.say("/course weight 70 tomorrow")).text


async def test_progress_just_below_the_target_is_not_shown_as_reached(bot: BotUnderTest) -> None:
    """200 mg a day for 25.01 kg: 15 doses make 3,000 mg = 119.95 mg/kg, 99.96% of 120."""
    await course_in_berlin_with_the_first_dose_taken(bot, 200, "25.01")
    for day in range(1, 15):
        await take_dose(bot, BERLIN_0800 + timedelta(days=day))
    screen = await bot.say("/course")
    assert_all_in(
        screen.text,
        "3,000 mg from 15 doses taken",
        "Weight: 25.01 kg",
        "= 119.9 mg/kg of your 120 mg/kg target",
        "▓▓▓▓▓▓▓▓▓░ 99%",
    )
    assert "reached the target" not in screen.text
    await take_dose(bot, BERLIN_0800 + timedelta(days=15))
    reached = await bot.say("/course")
    assert_all_in(reached.text, "= 127.9 mg/kg", "106%", "reached the target")


async def test_today_carries_the_prescriber_reminder(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    await take_dose(bot, BERLIN_0800)
    today = await bot.say("/today")
    assert "08:00 — ✅ taken" in today.text
    assert "no substitute for advice from your prescriber" in today.text


async def test_settling_the_dates_keeps_a_dose_change_to_come_and_the_last_weight_entered(
    db: Database,
) -> None:
    """On SQLite and PostgreSQL: the dates entered as UTC dates come back to the user's today,
    a dose change set ahead on purpose stays, and of two weights for that day the one entered
    last stands (the unique day of a weight is not broken on the way)."""
    set_up = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 22:00 on 1 Mar in Los Angeles
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", set_up))
        course = await start_course(session, user, date(2026, 3, 2), set_up)
        await set_dose(session, course, 40, date(2026, 3, 2), set_up)
        await set_dose(session, course, 60, date(2026, 3, 20), set_up)
        await set_weight(session, course, 71, date(2026, 3, 1), set_up)
        await set_weight(session, course, 70, date(2026, 3, 2), set_up + timedelta(minutes=1))
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", set_up))
        user.timezone = "America/Los_Angeles"
        await settled_course(session, user, set_up + timedelta(minutes=2))
    async with db.session() as session:
        [course] = await session.scalars(select(Course))
        doses = await dose_history(session, USER)
        weights = await weight_history(session, USER)
    assert course.start_date == date(2026, 3, 1)
    assert [(d.effective_from, d.mg_per_day) for d in doses] == [
        (date(2026, 3, 1), 40),
        (date(2026, 3, 20), 60),
    ]
    assert [(w.measured_on, w.kg) for w in weights] == [(date(2026, 3, 1), 70)]
