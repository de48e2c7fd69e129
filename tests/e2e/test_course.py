"""/course, the weekly summary and /checks end to end, against the fake Bot API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.courses import summary_reminder
from storage.models import (
    Course,
    CourseDose,
    CourseWeight,
    Delivery,
    DeliveryStatus,
    DoseLog,
    Outcome,
    Reminder,
    ReminderKind,
)
from tests.e2e.conftest import USER, BotUnderTest, eventually
from tests.e2e.test_reminders import (
    KOLKATA_0800,
    button,
    fire,
    press_and_edit,
    set_dose_reminder_in_kolkata,
    settle,
)

PRESCRIBER = "Your prescriber decides your dose and length of treatment."
SUNDAY_1800_BERLIN = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)


def assert_all_in(text: str, *parts: str) -> None:
    """Every one of `parts` is in `text`: a screen shows many things, and a failure should name
    all that are missing, not only the first."""
    missing = [part for part in parts if part not in text]
    assert not missing, f"{missing} not in {text!r}"


async def course_row(bot: BotUnderTest) -> Course:
    [course] = await bot.rows(Course, Course.user_id == USER)
    return course


async def test_guided_course_set_up_with_clear_replies_to_bad_input(bot: BotUnderTest) -> None:
    prompt = await bot.say("/course")
    assert "When did you take your first dose" in prompt.text
    assert PRESCRIBER in prompt.text
    dose_prompt = await press_and_edit(bot, prompt, "Today")
    assert "What is your daily dose" in dose_prompt.text
    assert PRESCRIBER in dose_prompt.text

    assert "as a number" in (await bot.say("forty")).text
    assert "1–200 mg a day" in (await bot.say("250")).text
    weight_prompt = await bot.say("40")
    assert "What do you weigh" in weight_prompt.text
    assert "25–300 kg" in (await bot.say("500")).text
    assert "as a number" in (await bot.say("seventy")).text
    screen = await bot.say("68.5 kg")

    assert_all_in(
        screen.text,
        "Day 1, started Mon 2 Mar 2026",
        "Daily dose: 40 mg",
        "Weight: 68.5 kg, on Mon 2 Mar 2026",
        "Target: 120 mg/kg (a commonly used clinical target is 120–150 mg/kg)",
        "0 mg from 0 doses taken",
        "░░░░░░░░░░ 0%",
        "/timezone",  # the weekly summary waits for a timezone
        PRESCRIBER,
    )
    course = await course_row(bot)
    assert (course.start_date, course.target_mg_per_kg, course.ended_at) == (
        date(2026, 3, 2),
        120,
        None,
    )
    [dose] = await bot.rows(CourseDose)
    [weight] = await bot.rows(CourseWeight)
    assert (dose.effective_from, dose.mg_per_day) == (date(2026, 3, 2), 40)
    assert (weight.measured_on, weight.kg) == (date(2026, 3, 2), 68.5)

    target_prompt = await bot.press_and_wait(screen, button(bot, screen, "Target"))
    assert "commonly used clinical target" in target_prompt.text
    assert "target is a whole number from 120 to 150" in (await bot.say("200")).text
    edited = await press_and_edit(bot, target_prompt, "150")
    assert "Target: 150 mg/kg" in edited.text
    assert (await course_row(bot)).target_mg_per_kg == 150


async def test_questions_and_warning_signs_during_the_flow_are_not_taken_as_input(
    bot: BotUnderTest,
) -> None:
    await bot.say("/course start 2026-03-01")
    await bot.say("/course dose 40")
    prompt = await bot.press_and_wait(
        bot.fake.last_message(USER),  # type: ignore[arg-type]
        "crs:ask:weight",
    )
    assert "What do you weigh" in prompt.text
    urgent = await bot.say("I think I am pregnant")
    assert "pregnan" in urgent.text.lower() and "stop taking" in urgent.text.lower()
    topic = await bot.say("why are my lips so dry and cracked these days")
    assert "as a number" not in topic.text
    assert await bot.rows(CourseWeight) == []
    await bot.say("70")
    assert len(await bot.rows(CourseWeight)) == 1


async def test_typed_shortcuts_and_their_bad_input(bot: BotUnderTest) -> None:
    assert "First, the day you started" in (await bot.say("/course dose 40")).text
    future = await bot.say("/course start 2026-03-03")
    assert "is in the future" in future.text and PRESCRIBER in future.text
    assert await bot.rows(Course) == []
    await bot.say("/course start 1 March 2026")
    assert "25–300 kg" in (await bot.say("/course weight 20")).text
    assert "as a number" in (await bot.say("/course weight heavy")).text
    assert "1–200 mg a day" in (await bot.say("/course dose 0")).text
    assert "before" not in (await bot.say("/course dose 20")).text
    changed = await bot.say("/course dose 40 from 2026-03-02")
    assert "Daily dose: 40 mg, since Mon 2 Mar 2026" in changed.text
    early = await bot.say("/course dose 30 from 2026-02-01")
    assert "a dose change is on or after that day" in early.text
    doses = await bot.rows(CourseDose)
    assert sorted((d.effective_from, d.mg_per_day) for d in doses) == [
        (date(2026, 3, 1), 20),
        (date(2026, 3, 2), 40),
    ]


async def test_cumulative_counts_the_doses_marked_taken(bot: BotUnderTest) -> None:
    await course_with_one_dose_taken(bot)
    screen = await bot.say("/course")
    assert_all_in(
        screen.text,
        "Day 2, started Mon 2 Mar 2026",
        "40 mg from 1 dose taken",
        "= 0.5 mg/kg of your 120 mg/kg target",
        # 120 x 80 = 9,600 mg at 40 mg a day: 240 days from 3 March, the last on 28 October.
        "Projected end: Wed 28 Oct 2026, if every dose is taken at 40 mg a day",
        "Only doses you mark ✅ Taken",
    )


async def test_ending_the_course_offers_to_switch_dose_reminders_off(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    await bot.say("/course start 2026-03-01")
    screen = await bot.say("/course dose 40")
    confirm = await press_and_edit(bot, screen, "Course ended")
    assert "Has your course ended?" in confirm.text
    ended = await press_and_edit(bot, confirm, "Yes, it has ended")
    assert "Your course has ended" in ended.text and PRESCRIBER in ended.text
    assert (await course_row(bot)).ended_at == bot.clock.now()
    async with bot.db.session() as session:
        summary = await summary_reminder(session, USER)
    assert summary is not None and not summary.enabled

    off = await press_and_edit(bot, ended, "Switch dose reminders off")
    [dose] = await bot.rows(Reminder, Reminder.kind == ReminderKind.DOSE)
    assert not dose.enabled and dose.next_fire_at is None
    assert not any("dose reminders off" in t for t, _ in bot.fake.buttons(off))

    back = await press_and_edit(bot, off, "Undo")
    assert "Day 2" in back.text
    assert (await course_row(bot)).ended_at is None
    # The weekly summary stopped with the course, and starts again with it.
    assert "Weekly summary: on" in back.text
    async with bot.db.session() as session:
        summary = await summary_reminder(session, USER)
    assert summary is not None and summary.enabled and summary.next_fire_at is not None


async def course_with_one_dose_taken(bot: BotUnderTest) -> None:
    """A course in Kolkata from Mon 2 March at 40 mg a day for 80 kg, with a dose reminder at
    08:00 and its first dose (3 March) marked taken."""
    await set_dose_reminder_in_kolkata(bot)
    await bot.say("/course start 2026-03-02")
    await bot.say("/course dose 40")
    await bot.say("/course weight 80")
    reminder = await fire(bot, KOLKATA_0800)
    await bot.press(reminder, button(bot, reminder, "Taken"))


async def test_typed_end_and_resume(bot: BotUnderTest) -> None:
    await bot.say("/course start 2026-03-01")
    assert "Your course has ended" in (await bot.say("/course end")).text
    resumed = await bot.say("/course resume")
    assert "Day 2" in resumed.text and "Weekly summary: on" in resumed.text


async def test_weekly_summary_arrives_on_sunday_evening_with_the_purge(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    await bot.say("/course start 2026-03-02")
    await bot.say("/course dose 40")
    await bot.say("/course weight 70")
    [summary_row] = await bot.rows(Reminder, Reminder.kind == ReminderKind.WEEKLY_SUMMARY)
    assert summary_row.next_fire_at == SUNDAY_1800_BERLIN
    # The week's dose reminders fell due while the clock jumped: recorded missed, not sent.
    summary = await fire(bot, SUNDAY_1800_BERLIN)
    assert "day 7 of your course" in summary.text
    assert "Doses this week" in summary.text
    assert "purge" in summary.text.lower()
    assert "/course" in summary.text
    assert PRESCRIBER in summary.text
    assert bot.fake.buttons(summary) == []

    async def recorded_sent() -> bool:
        rows = await bot.rows(Delivery, Delivery.kind == ReminderKind.WEEKLY_SUMMARY)
        return [d.status for d in rows] == [DeliveryStatus.SENT]

    await eventually(recorded_sent, what="the summary recorded as sent")


async def test_weekly_summary_switched_off_does_not_come(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/course start 2026-03-02")
    reply = await bot.say("/course summary off")
    assert "Weekly summary: off." in reply.text
    bot.clock.set(SUNDAY_1800_BERLIN)
    await settle(bot)
    assert await bot.rows(Delivery) == []


async def test_monthly_blood_test_on_the_31st_fires_and_moves_to_the_30th(
    bot: BotUnderTest,
) -> None:
    need_zone = await bot.say("/checks labs 31 09:00")
    assert "which timezone" in need_zone.text
    await bot.say("/timezone Europe/Berlin")
    reply = await bot.say("/checks labs 31 09:00")
    assert "day 31 of each month at 09:00 (Europe/Berlin)" in reply.text
    assert "Next: Tue 31 Mar at 09:00" in reply.text
    assert "iPLEDGE" in reply.text and PRESCRIBER in reply.text
    message = await fire(bot, datetime(2026, 3, 31, 7, 0, tzinfo=UTC))  # 09:00 CEST
    assert "Monthly check: blood tests" in message.text
    assert "liver enzymes" in message.text and "lipids" in message.text
    assert [t for t, _ in bot.fake.buttons(message)] == ["✅ Done", "⏰ Snooze 15 min"]
    await bot.press(message, button(bot, message, "Done"))
    [log] = await bot.rows(DoseLog)
    assert (log.kind, log.outcome) == (ReminderKind.LABS, Outcome.DONE)
    [check] = await bot.rows(Reminder, Reminder.kind == ReminderKind.LABS)
    assert check.next_fire_at == datetime(2026, 4, 30, 7, 0, tzinfo=UTC)
    history = await bot.say("/history")
    assert "no doses yet" in history.text  # a check is not a dose


async def test_pregnancy_test_check_through_the_buttons(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    overview = await bot.say("/checks")
    assert "liver enzymes and lipids" in overview.text
    days = await press_and_edit(bot, overview, "Set 🧪 Pregnancy test")
    assert "birth defects" in days.text and "reliable contraception" in days.text
    times = await press_and_edit(bot, days, "1")
    assert "day 1 of each month" in times.text
    done = await press_and_edit(bot, times, "09:00")
    assert "day 1 of each month at 09:00" in done.text
    assert "birth defects" in done.text and PRESCRIBER in done.text
    [check] = await bot.rows(Reminder, Reminder.kind == ReminderKind.PREGNANCY_TEST)
    assert (check.day_of_month, check.local_time) == (1, "09:00")
    assert check.next_fire_at == datetime(2026, 4, 1, 7, 0, tzinfo=UTC)

    again = await bot.say("/checks")
    off = await press_and_edit(bot, again, "Switch off 🧪 Pregnancy test")
    assert "Pregnancy test (for those who can become pregnant): off." in off.text


async def test_check_day_and_time_typed_in_the_flow(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    overview = await bot.say("/checks")
    await press_and_edit(bot, overview, "Set 🩸 Blood tests")
    assert "from 1 to 31" in (await bot.say("45 08:00")).text
    reply = await bot.say("15 08:00")
    assert "day 15 of each month at 08:00" in reply.text
    listing = await bot.say("/reminders")
    assert "Blood tests day 15 of each month at 08:00" in listing.text


async def test_help_lists_the_course_and_privacy_commands(bot: BotUnderTest) -> None:
    reply = await bot.say("/help")
    assert "Your course" in reply.text and "Your data" in reply.text
    for command in ("/course", "/checks", "/privacy", "/export", "/delete"):
        assert command in reply.text


async def test_an_old_start_date_button_leaves_a_set_start_alone(bot: BotUnderTest) -> None:
    await bot.say("/timezone Asia/Kolkata")
    prompt = await bot.say("/course")
    for typed in ("2026-02-15", "40", "68"):
        await bot.say(typed)
    bot.clock.set(KOLKATA_0800 + timedelta(days=10))

    query = await bot.press(prompt, button(bot, prompt, "Yesterday"))

    notice = bot.fake.answered_callbacks()[query].get("text")
    assert notice == (
        "That question was answered: your course started on 15 Feb 2026. "
        "To change it, tap 📅 Start date in /course."
    )
    assert (await course_row(bot)).start_date == date(2026, 2, 15)
    # Asked again through the screen, the question's buttons work.
    screen = await bot.say("/course")
    asked = await bot.press_and_wait(screen, button(bot, screen, "Start date"))
    yesterday = button(bot, asked, "Yesterday").removeprefix("crs:start:")
    await press_and_edit(bot, asked, "Yesterday")
    assert (await course_row(bot)).start_date == date.fromisoformat(yesterday)


async def test_a_new_course_after_an_ended_one_counts_from_its_own_first_dose(
    bot: BotUnderTest,
) -> None:
    """A first course at 60 mg a day, ended; a new one starts on Mon 9 March at 20 mg, its doses
    taken on 9, 10 and 11 March, and on the 11th the user enters the start and the dose. The
    new start asked for no dose, and /course dose 20 was dated the 11th: the 9th and 10th counted
    at the old course's 60 mg, "140 mg from 3 doses taken"."""
    berlin = ZoneInfo("Europe/Berlin")

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 3, day, hour, tzinfo=berlin).astimezone(UTC)

    async def taken(day: int) -> None:
        reminder = await fire(bot, at(day, 8))
        await bot.press(reminder, button(bot, reminder, "Taken"))

    bot.clock.set(at(2, 7))
    for text in ["/timezone Europe/Berlin", "/remind dose 08:00", "/course start 2026-03-02"]:
        await bot.say(text)
    await bot.say("/course dose 60")
    await bot.say("/course weight 80")
    await taken(2)
    bot.clock.set(at(3, 12))
    await bot.say("/course end")
    for day in (9, 10, 11):
        await taken(day)
    bot.clock.set(at(11, 12))
    started = await bot.say("/course start 2026-03-09")
    assert "A new course, from Mon 9 Mar 2026" in started.text, started.text
    screen = await bot.say("/course dose 20")
    assert "60 mg from 3 doses taken" in screen.text, screen.text
