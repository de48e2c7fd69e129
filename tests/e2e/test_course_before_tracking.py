"""The mg taken before tracking began, end to end on SQLite and PostgreSQL: set by /course before
and through the screen's button, shown on /course with the chart, cleared with 0, refused when
it cannot be right, and carried into the report and /export."""

from __future__ import annotations

import json
from typing import Any

from bot.handlers.course import chart_for
from bot.handlers.report import gather
from bot.pictures.report_model import course_lines
from storage.models import Course, User
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_course import PRESCRIBER, assert_all_in
from tests.e2e.test_reminders import KOLKATA_0800, button, fire, set_dose_reminder_in_kolkata

INCLUDES = "includes 2,400 mg taken before tracking"


async def before_tracking(bot: BotUnderTest) -> float | None:
    [course] = await bot.rows(Course, Course.user_id == USER)
    return course.mg_before_tracking


async def two_months_in(bot: BotUnderTest) -> None:
    """A course started on 1 January at 40 mg a day for 80 kg, first seen by the bot on 2 March
    (the tests' first day, day 61)."""
    await bot.say("/course start 2026-01-01")
    await bot.say("/course dose 40")
    await bot.say("/course weight 80")


async def test_set_by_command_shown_in_the_total_and_cleared_with_0(any_bot: BotUnderTest) -> None:
    bot = any_bot
    assert "First, the day you started" in (await bot.say("/course before 2400")).text
    await two_months_in(bot)

    reply = await bot.say("/course before 2,400 mg")
    assert_all_in(
        reply.text,
        "Day 61, started Thu 1 Jan 2026",
        f"Cumulative: 2,400 mg, which {INCLUDES} and 0 mg from 0 doses you logged",
        "= 30.0 mg/kg of your 120 mg/kg target",
        "▓▓░░░░░░░░ 25%",
        # 9,600 mg to go from 2,400: 180 days at 40 mg from 2 March, the last on 28 August.
        "Projected end: Fri 28 Aug 2026, if every dose is taken at 40 mg a day",
        PRESCRIBER,
    )
    assert await before_tracking(bot) == 2400

    screen = await bot.say("/course")
    assert screen.photo, "the screen goes with the chart, as its caption"
    assert_all_in(screen.text, INCLUDES, "30.0 mg/kg", PRESCRIBER)

    for typed in ("/course taken_before 2400", "/course taken before 2.4 g"):
        assert INCLUDES in (await bot.say(typed)).text
    assert "✅ Recorded: 2.4 g = 2,400 mg." in bot.fake.messages(USER)[-1].text

    cleared = await bot.say("/course before 0")
    assert_all_in(
        cleared.text,
        "✅ Recorded: nothing taken before tracking.",
        "Cumulative: 0 mg from 0 doses taken",
        PRESCRIBER,
    )
    assert "before tracking and" not in cleared.text
    assert await before_tracking(bot) is None


async def test_bad_totals_are_refused_and_change_nothing(any_bot: BotUnderTest) -> None:
    bot = any_bot
    await two_months_in(bot)
    await bot.say("/course before 2400")
    refusals = {
        "/course before -100": "cannot be negative",
        "/course before 70000": "up to 60,000 mg",
        # Day 61 at up to 200 mg a day: 12,200 mg.
        "/course before 13000": "61 days from 1 Jan 2026 at up to 200 mg a day is 12,200 mg",
        "/course before lots": "as a number, like 2400",
        "/course before 60 days": "as a number, like 2400",
        "/course before": "like /course before 2400",
    }
    for typed, phrase in refusals.items():
        reply = await bot.say(typed)
        assert_all_in(reply.text, phrase, PRESCRIBER)
        assert "Cumulative" not in reply.text, typed
    assert await before_tracking(bot) == 2400


async def test_set_and_cleared_through_the_button(any_bot: BotUnderTest) -> None:
    bot = any_bot
    await two_months_in(bot)
    screen = await bot.say("/course")
    prompt = await bot.press_and_wait(screen, button(bot, screen, "Taken before isobot"))
    assert_all_in(
        prompt.text,
        "Taken before isobot",
        # 1 January to 1 March: 60 days at 40 mg.
        "Thu 1 Jan 2026 to Sun 1 Mar 2026 makes 2,400 mg if no dose was missed",
        "Recorded now: none.",
        PRESCRIBER,
    )
    [user] = await bot.rows(User, User.id == USER)
    assert user.awaiting == "course:before"

    # Bad input is refused, and the question stays open for the right answer.
    assert "cannot be negative" in (await bot.say("-5")).text
    assert "up to 60,000 mg" in (await bot.say("99999")).text
    assert "as a number" in (await bot.say("a lot")).text
    assert await before_tracking(bot) is None

    done = await bot.say("2,400 mg")
    assert_all_in(done.text, f"Cumulative: 2,400 mg, which {INCLUDES}", "25%", PRESCRIBER)
    assert await before_tracking(bot) == 2400
    [user] = await bot.rows(User, User.id == USER)
    assert user.awaiting == ""

    again = await bot.press_and_wait(done, button(bot, done, "Taken before isobot"))
    assert "Recorded now: 2,400 mg. Send 0 to clear it." in again.text
    cleared = await bot.say("0")
    assert_all_in(cleared.text, "✅ Recorded: nothing taken before tracking.", "0 mg from 0 doses")
    assert await before_tracking(bot) is None


async def test_logged_doses_add_to_it_in_the_chart_report_and_export(
    any_bot: BotUnderTest,
) -> None:
    bot = any_bot
    await set_dose_reminder_in_kolkata(bot)
    await two_months_in(bot)
    await bot.say("/course before 2400")
    reminder = await fire(bot, KOLKATA_0800)  # 3 March
    await bot.press(reminder, button(bot, reminder, "Taken"))

    screen = await bot.say("/course")
    assert_all_in(
        screen.text,
        f"Cumulative: 2,440 mg, which {INCLUDES} and 40 mg from 1 dose you logged",
        "= 30.5 mg/kg of your 120 mg/kg target",
        # Counted from 2,400 before today: 180 days from 3 March.
        "Projected end: Sat 29 Aug 2026",
        "on top of what you took before tracking (/course before 0 clears it)",
    )

    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        chart = await chart_for(session, user, bot.clock.now())
        report = await gather(session, user, bot.clock.now(), "disclaimer")
    assert chart is not None
    # From 0 on 1 January to the total on 2 March, then the logged day on top of it.
    assert [(day.isoformat(), round(v, 2)) for day, v in chart.points] == [
        ("2026-01-01", 0.0),
        ("2026-03-02", 30.0),
        ("2026-03-03", 30.5),
    ]
    assert chart.untracked == 2
    assert report.course is not None and report.chart is not None
    rows = dict(course_lines(report.course))
    assert rows["Cumulative dose"] == "2,440 mg in all, 40 mg of it from 1 dose logged as taken"
    assert rows["Before tracking"].startswith("2,400 mg, as entered by the patient")

    document = await bot.say("/export")
    assert document.document is not None
    content = bot.fake.document_content(document.document["file_id"])
    assert content is not None
    exported: dict[str, Any] = json.loads(content.decode("utf-8"))
    assert exported["tables"]["courses"][0]["mg_before_tracking"] == 2400
