"""A user in the middle and at the end of a long course: a second course, a dose change for
next week, a dose whose reminder the bot could not send, an ended course's views. Each docstring
says what the user met before, and what they should see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.handlers.report import gather
from bot.pictures.report_model import ReportData, course_lines
from sandbox.state import BotMessage
from storage.models import Delivery, DeliveryStatus, Purpose, User
from tests.e2e.conftest import USER, BotUnderTest, eventually
from tests.e2e.test_reminders import button

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Berlin in 2026, as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


async def dose_reminder(bot: BotUnderTest, at: datetime) -> BotMessage:
    """Move the clock to `at` and wait for the dose reminder it releases."""
    before = len(bot.fake.messages(USER))
    bot.clock.set(at)

    def found() -> BotMessage | None:
        new = bot.fake.messages(USER)[before:]
        doses = [m for m in new if "dose" in m.text and m.reply_markup]
        return doses[-1] if doses else None

    await bot.fake.wait_for(found)
    message = found()
    assert message is not None
    return message


async def answer(bot: BotUnderTest, at: datetime, label: str = "Taken") -> None:
    reminder = await dose_reminder(bot, at)
    await bot.press(reminder, button(bot, reminder, label))


async def set_up(bot: BotUnderTest, start: str, *, summary: bool = False) -> None:
    """Berlin, a course from `start` at 40 mg a day and 70 kg, a dose reminder at 08:00."""
    for text in [
        "/timezone Europe/Berlin",
        f"/course start {start}",
        "/course dose 40",
        "/course weight 70",
        "/remind dose 08:00",
    ]:
        await bot.say(text)
    if not summary:
        await bot.say("/course summary off")


async def report(bot: BotUnderTest) -> ReportData:
    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        return await gather(session, user, bot.clock.now(), "disclaimer")


def cumulative_line(screen: BotMessage) -> str:
    [line] = [s for s in screen.text.splitlines() if s.startswith("Cumulative")]
    return line


async def test_ending_today_then_starting_the_new_course_from_last_week_starts_no_new_course(
    bot: BotUnderTest,
) -> None:
    """A first course ran from 2 March; the user stopped in the summer but never told the bot.
    The dermatologist restarts them, and they take the first capsule of the new course on Tue
    1 Sep. On Sat 5 Sep they open /course, which still counts the old course ("Day 188"), so
    they tap 🏁 Course ended (the only end the bot offers: today; `/course end 2026-07-31` is
    "I did not understand that") and then do exactly what the ended screen says: "A new course?
    Send /course start and the day of its first dose": /course start 2026-09-01.

    They see "🏁 Your course has ended. It ran 5 days, from Tue 1 Sep 2026 to Sat 5 Sep 2026"
    with 0 mg: the bot took 1 Sep as a correction of the ended course's start, because it is
    not after the day the course was marked ended. The first course's start and its 120 mg
    are gone from /course and /report, and no new course runs; nothing they can type starts it
    (any later start date is in the future). They should see the new course from Tue 1 Sep, as
    a start after a course ended on an earlier day gives ("A new course, from Tue 1 Sep 2026",
    asking for its dose), with the first course left as it was."""
    await set_up(bot, "2026-03-02")
    for day in (3, 4, 5):
        await answer(bot, berlin(3, day, 8))
    bot.clock.set(berlin(9, 5, 12))
    await bot.say("/remind dose off")
    ended = await bot.say("/course end")
    assert "It ran 188 days, from Mon 2 Mar 2026" in ended.text, ended.text

    started = await bot.say("/course start 2026-09-01")

    assert "Your course has ended" not in started.text, started.text
    assert "A new course, from Tue 1 Sep 2026" in started.text, started.text


async def test_report_of_a_second_course_lists_the_first_courses_doses_as_its_own(
    bot: BotUnderTest,
) -> None:
    """A first course (2–10 March: 40 mg, raised to 60 mg from 5 March) was marked ended. In
    September the user starts a second course at 30 mg a day, as the bot asks ("A new course,
    from Tue 1 Sep 2026 ... What is your daily dose?"), and later makes a /report for the
    prescriber. /course shows "Daily dose: 30 mg", but the report's course section reads
    "Course start: 1 Sep 2026", then "Daily dose: 40 mg/day from 2 Mar 2026", "Dose change:
    60 mg/day from 5 Mar 2026", "Dose change: 30 mg/day from 1 Sep 2026": doses from before
    this course began, listed as its own, with the first of them labelled its daily dose. The
    report should list only the doses of the course it reports on: "Daily dose: 30 mg/day from
    1 Sep 2026"."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/course start 2026-03-02")
    await bot.say("/course dose 40")
    await bot.say("/course weight 70")
    await bot.say("/course dose 60 from 2026-03-05")
    bot.clock.set(berlin(3, 10, 12))
    await bot.say("/course end")
    bot.clock.set(berlin(9, 5, 12))
    asked = await bot.say("/course start 2026-09-01")
    assert "What is your daily dose?" in asked.text, asked.text
    screen = await bot.say("30")
    assert "Daily dose: 30 mg" in screen.text, screen.text

    data = await report(bot)

    assert data.course is not None and data.course.start == date(2026, 9, 1)
    dose_rows = [
        value
        for label, value in course_lines(data.course)
        if label in {"Daily dose", "Dose change"}
    ]
    assert dose_rows == ["30 mg/day from 1 Sep 2026"], dose_rows


async def test_a_dose_taken_while_the_bot_was_offline_can_never_be_logged(
    bot: BotUnderTest,
) -> None:
    """The bot is offline from before 08:00 until 10:30 (past the two-hour grace), so the
    08:00 dose reminder is recorded as missed and never sent. The user took their capsule at
    08:00 with breakfast as every day. /today says "08:00 — ⚠️ not sent" with no button; they
    type "I took my dose at 8 this morning" and are told "When a dose reminder comes, tap ✅
    Taken", for a reminder that never came. /course stays at 0 mg: the dose the bot itself
    failed to send can never count toward the cumulative dose, and every outage pushes the
    projected end later. They should be offered a way to record it (a Taken button for the
    not-sent dose on /today or in the answer to their message) so that /course counts it."""
    await set_up(bot, "2026-03-02")
    bot.clock.set(berlin(3, 3, 10, 30))
    await eventually(
        lambda: _missed_first_dose(bot), what="the 08:00 dose to be recorded as missed"
    )
    today = await bot.say("/today")
    assert "08:00 — ⚠️ not sent" in today.text, today.text
    told = await bot.say("I took my dose at 8 this morning")

    offered = [
        (message, data)
        for message in (today, told)
        for label, data in bot.fake.buttons(message)
        if "Taken" in label or "took" in label.lower()
    ]
    assert offered, f"no way to record the dose: {today.text!r} / {told.text!r}"
    message, data = offered[0]
    await bot.press(message, data)
    screen = await bot.say("/course")
    assert cumulative_line(screen) == "Cumulative: 40 mg from 1 dose taken", screen.text


async def _missed_first_dose(bot: BotUnderTest) -> bool:
    rows = await bot.rows(Delivery, Delivery.purpose == Purpose.FIRST)
    return any(row.status == DeliveryStatus.MISSED for row in rows)


async def test_a_dose_change_from_monday_said_on_friday_rewrites_the_week_already_taken(
    bot: BotUnderTest,
) -> None:
    """On Friday 20 March, back from the dermatologist, the user enters the new prescription:
    /course dose 60 from monday (the change starts next week; dose changes may be entered up
    to 60 days ahead, and "from tomorrow" is read as tomorrow). The bot reads "monday" as Mon
    16 March, this week's, gone by: "Daily dose: 60 mg, since Mon 16 Mar 2026", and recounts
    the five 40 mg capsules already logged this week as 60 mg each. The cumulative jumps from
    200 mg to 300 mg for doses never taken, and mg/kg and the projected end with it, with no
    word that past doses were changed. ("/course dose 60 from next monday" is refused.) A dose
    change "from monday" must take effect on the coming Monday (or ask which one is meant),
    never silently rewrite doses already logged."""
    bot.clock.set(berlin(3, 15, 12))
    await set_up(bot, "2026-03-09")
    for day in range(16, 21):
        await answer(bot, berlin(3, day, 8))
    bot.clock.set(berlin(3, 20, 12))
    before = await bot.say("/course")
    assert cumulative_line(before) == "Cumulative: 200 mg from 5 doses taken", before.text

    changed = await bot.say("/course dose 60 from monday")

    assert cumulative_line(changed) == "Cumulative: 200 mg from 5 doses taken", changed.text
    assert "Mon 23 Mar 2026" in changed.text, changed.text


async def test_the_ended_course_screen_asks_for_dose_reminders_just_switched_off(
    bot: BotUnderTest,
) -> None:
    """At the end of the course the user taps 🏁 Course ended, then "Yes, it has ended", then
    the "🔕 Switch dose reminders off" button the bot offers for exactly this moment. The
    screen that comes back says "🏁 Your course has ended" and, below it, "To count doses, set
    dose reminders with /remind dose 08:00 and press Taken.": an instruction to start dose
    reminders again, for someone who has just stopped isotretinoin on their prescriber's word.
    An ended course's screen must not tell the user to set dose reminders or count doses."""
    await set_up(bot, "2026-03-02")
    await answer(bot, berlin(3, 2, 8))
    bot.clock.set(berlin(3, 2, 22))
    screen = await bot.say("/course")
    await bot.press(screen, button(bot, screen, "Course ended"))
    confirm = bot.fake.messages(USER)[-1]
    await bot.press(confirm, button(bot, confirm, "Yes"))
    ended = bot.fake.messages(USER)[-1]
    await bot.press(ended, button(bot, ended, "Switch dose reminders off"))
    shown = bot.fake.messages(USER)[-1]
    assert "Your course has ended" in shown.text, shown.text

    assert "/remind dose" not in shown.text, shown.text


async def test_history_whole_course_counts_doses_after_the_course_ended(
    bot: BotUnderTest,
) -> None:
    """A course from 10 January, with a dose reminder from 10 March; every dose taken until
    the user marks the course ended on Sat 14 March. They leave the dose reminder on and tap
    Skip on it for the five mornings after (no capsules: the course is over). On 20 March
    /history's whole-course view reads "Whole course, since 10 Jan 2026: 50% taken (5 of
    10), skipped 5", while /report, for the same course, gives "Since 10 Jan 2026" 100%
    (5 of 5) and lists no skipped day. The skips after the end are no doses of the course;
    the whole-course figure should end where the course ended, as the report's does."""
    bot.clock.set(berlin(3, 9, 12))
    await set_up(bot, "2026-01-10")
    for day in range(10, 15):
        await answer(bot, berlin(3, day, 8))
    bot.clock.set(berlin(3, 14, 12))
    await bot.say("/course end")
    for day in range(15, 20):
        await answer(bot, berlin(3, day, 8), "Skip")
    bot.clock.set(berlin(3, 20, 7))
    data = await report(bot)
    [since] = [a for label, a in data.adherence if label.startswith("Since")]
    assert (since.taken, since.skipped) == (5, 0), since

    history = await bot.say("/history")
    await bot.press(history, button(bot, history, "Whole course"))
    whole = bot.fake.messages(USER)[-1]

    [line] = [s for s in whole.text.splitlines() if s.startswith("Whole course")]
    assert "100% taken (5 of 5)" in line, whole.text
