"""Changes a real user makes (a flight, a new dose time) keep every reminder and double none,
end to end on SQLite and PostgreSQL. Each test failed before its fix (docs/reliability.md,
"Changes while a reminder is due")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from scheduler.recurrence import occurrence_day, parse_hhmm
from storage.models import Delivery, DeliveryStatus, Purpose, ReminderKind
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import button, fire, picker_shown, press_and_edit, settle

BERLIN = "Europe/Berlin"
TOKYO = "Asia/Tokyo"
LOS_ANGELES = "America/Los_Angeles"


def wall(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in `zone`, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def first_reminders(bot: BotUnderTest, kind: ReminderKind) -> list[Delivery]:
    rows = await bot.rows(Delivery, Delivery.purpose == Purpose.FIRST, Delivery.kind == kind)
    return sorted(rows, key=lambda d: d.due_at)


async def test_a_monthly_check_the_flight_jumped_over_comes_at_once(any_bot: BotUnderTest) -> None:
    """The pregnancy test reminder on day 30 at 09:00 in Los Angeles. At 20:00 on 29 April the
    user flies to Tokyo, where it is 12:00 on 30 April already: that day's 09:00 lies behind.
    It used to be skipped, the next coming on 30 May (two months without one, in a course where
    a monthly pregnancy test is the safety rule); now it is owed, and comes at once, once."""
    bot = any_bot
    bot.clock.set(wall(LOS_ANGELES, 2026, 4, 20, 9))
    await bot.say(f"/timezone {LOS_ANGELES}")
    await bot.say("/checks pregnancy 30 09:00")
    before = len(bot.fake.messages(USER))
    bot.clock.set(wall(LOS_ANGELES, 2026, 4, 29, 20))  # Thu 30 Apr, 12:00 in Tokyo
    await bot.say(f"/timezone {TOKYO}")
    # The /timezone reply, then April's reminder, sent at once.
    [*_, owed] = await bot.fake.wait_for_messages(USER, before + 2)
    assert "pregnancy test" in owed.text.lower(), owed.text
    checks = await bot.say("/checks")
    assert "next Sat 30 May" in checks.text, checks.text  # April's is behind, not skipped
    bot.clock.set(wall(TOKYO, 2026, 4, 30, 23, 59))
    await settle(bot)
    sent = await first_reminders(bot, ReminderKind.PREGNANCY_TEST)
    assert [d.status for d in sent] == [DeliveryStatus.SENT]
    assert sent[0].occurrence == wall(LOS_ANGELES, 2026, 4, 29, 20)


async def test_a_week_of_doses_is_in_some_weekly_summary_after_flying_east_on_sunday(
    any_bot: BotUnderTest,
) -> None:
    """A course in Berlin, one dose a day at 08:00, all taken; the weekly summary on Sundays at
    18:00. On Sunday 15 March at 11:00 the user flies to Tokyo, where it is 19:00 already.
    That week's summary used to be skipped, and the next one, counting only from 15 March (the
    8 March one being over 7 days and 26 hours back), left the doses of 9 to 15 March in no
    summary. Now the jumped-over summary comes at once, and the next counts from it."""
    bot = any_bot
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 7))
    for text in [
        f"/timezone {BERLIN}",
        "/course start 2026-03-02",
        "/course dose 40",
        "/course weight 80",
        "/remind dose 08:00",
    ]:
        await bot.say(text)
    for day in range(2, 16):  # Mon 2 to Sun 15 March, every dose taken
        reminder = await fire(bot, wall(BERLIN, 2026, 3, day, 8))
        await bot.press(reminder, button(bot, reminder, "Taken"))
        if day == 8:
            first = await fire(bot, wall(BERLIN, 2026, 3, 8, 18))
            assert "from Sun 1 Mar, 18:00 to Sun 8 Mar, 18:00" in first.text
    bot.clock.set(wall(BERLIN, 2026, 3, 15, 11))  # 19:00 in Tokyo
    before = len(bot.fake.messages(USER))
    await bot.say(f"/timezone {TOKYO}")
    # The reply, then the summary the move jumped over, at once (before the clock moves on).
    [*_, jumped] = await bot.fake.wait_for_messages(USER, before + 2)
    assert "to Sun 15 Mar, 19:00" in jumped.text, jumped.text
    for day in range(16, 23):  # Mon 16 to Sun 22 March in Tokyo, every dose taken
        reminder = await fire(bot, wall(TOKYO, 2026, 3, day, 8))
        await bot.press(reminder, button(bot, reminder, "Taken"))
    await fire(bot, wall(TOKYO, 2026, 3, 22, 18))  # the summary of the week in Tokyo
    summaries = [m.text for m in bot.fake.messages(USER) if "Your week" in m.text]
    assert len(summaries) == 3, summaries
    taken = sum(
        int(line.split("Doses this week: ")[1].split(" of ")[0])
        for text in summaries
        for line in text.splitlines()
        if "Doses this week: " in line
    )
    assert taken == 7 + 7 + 7, summaries  # 2 to 8, 9 to 15 and 16 to 22 March


async def test_moving_the_dose_from_morning_to_evening_before_it_comes_reminds_once_that_day(
    any_bot: BotUnderTest,
) -> None:
    """One dose a day at 08:00 in Berlin, Monday's taken. On Tuesday at 07:30 the dose moves to
    the evening: /remind dose 21:00, "Next: today at 21:00". Tuesday's reminder used to come
    twice: at once (37 hours after Monday's, over the 36-hour bound) and again at 21:00. The
    21:00 time is on the day the dose was owed, so it is that dose: one reminder, at 21:00."""
    bot = any_bot
    await monday_0800_taken_in_berlin(bot, "08:00")
    bot.clock.set(wall(BERLIN, 2026, 3, 3, 7, 30))
    reply = await bot.say("/remind dose 21:00")
    assert "Next: today at 21:00" in reply.text, reply.text
    evening = await fire(bot, wall(BERLIN, 2026, 3, 3, 21))
    assert "21:00" in evening.text
    bot.clock.set(wall(BERLIN, 2026, 3, 3, 21, 1))
    await settle(bot)
    tuesday = [
        d
        for d in await first_reminders(bot, ReminderKind.DOSE)
        if d.occurrence is not None
        and d.local_time is not None
        and occurrence_day(d.occurrence, parse_hhmm(d.local_time), ZoneInfo(BERLIN))
        == date(2026, 3, 3)
    ]
    assert [d.occurrence for d in tuesday] == [wall(BERLIN, 2026, 3, 3, 21)]


async def test_a_dose_taken_then_moved_to_the_evening_the_same_morning_is_not_reminded_again(
    any_bot: BotUnderTest,
) -> None:
    """Monday's 08:00 dose taken; at 09:00 the user moves it to 21:00. "Next: today at 21:00",
    and at 21:00 "time for your dose" again: an invitation to a second dose that day. The move
    is for the days after: next is Tuesday at 21:00, and Monday has one reminder."""
    bot = any_bot
    await monday_0800_taken_in_berlin(bot, "08:00")
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 9))
    reply = await bot.say("/remind dose 21:00")
    assert "Next: tomorrow at 21:00" in reply.text, reply.text
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 23))
    await settle(bot)
    reminders = [d.occurrence for d in await first_reminders(bot, ReminderKind.DOSE)]
    assert reminders == [wall(BERLIN, 2026, 3, 2, 8)], reminders
    tuesday = await fire(bot, wall(BERLIN, 2026, 3, 3, 21))
    assert "21:00" in tuesday.text


async def test_shifting_both_of_two_dose_times_after_the_first_keeps_the_days_second_dose(
    any_bot: BotUnderTest,
) -> None:
    """Doses at 08:00 and 12:00 in Berlin; Monday's 08:00 taken, then at 08:30 both move half an
    hour later: /remind dose 08:30 12:30. The old rows went to the new times in reverse (the
    08:00 row to 12:30), so 12:30 looked like the next day's slot after 08:00, too soon, and the
    day's second dose was lost. Each row now takes the new time nearest its own, in order."""
    bot = any_bot
    await monday_0800_taken_in_berlin(bot, "08:00 12:00")
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 8, 30))
    reply = await bot.say("/remind dose 08:30 12:30")
    assert "Next: today at 12:30" in reply.text, reply.text
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 12, 31))
    await settle(bot)
    monday = [
        d.occurrence
        for d in await first_reminders(bot, ReminderKind.DOSE)
        if d.occurrence is not None and d.occurrence < wall(BERLIN, 2026, 3, 3, 0)
    ]
    assert monday == [wall(BERLIN, 2026, 3, 2, 8), wall(BERLIN, 2026, 3, 2, 12, 30)]


async def monday_0800_taken_in_berlin(bot: BotUnderTest, times: str) -> None:
    """Dose reminders at `times` in Berlin from Mon 2 March, 07:00; the 08:00 one taken."""
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 7))
    await bot.say(f"/timezone {BERLIN}")
    await bot.say(f"/remind dose {times}")
    morning = await fire(bot, wall(BERLIN, 2026, 3, 2, 8))
    await bot.press(morning, button(bot, morning, "Taken"))


async def test_dose_times_set_again_after_off_catch_up_nothing(bot: BotUnderTest) -> None:
    """Switched off on Monday with /remind dose off and set again on Thursday at noon with
    /remind dose 08:00, a dose reminder came at once, "Next: now", for a silence the user chose.
    The Switch on button owes nothing, and now neither does the command."""
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 7))
    await bot.say(f"/timezone {BERLIN}")
    await bot.say("/remind dose 08:00")
    morning = await fire(bot, wall(BERLIN, 2026, 3, 2, 8))
    await bot.press(morning, button(bot, morning, "Taken"))
    await bot.say("/remind dose off")
    bot.clock.set(wall(BERLIN, 2026, 3, 5, 12))
    reply = await bot.say("/remind dose 08:00")
    before = len(bot.fake.messages(USER))
    await settle(bot)
    assert "Next: tomorrow at 08:00" in reply.text, reply.text
    assert [m.text for m in bot.fake.messages(USER)[before:]] == []
    assert len(await first_reminders(bot, ReminderKind.DOSE)) == 1  # Monday's alone


async def test_a_second_dose_time_added_in_the_evening_leaves_the_mornings_dose_whole(
    bot: BotUnderTest,
) -> None:
    """40 mg a day at 08:00. Monday's reminder comes; at 21:00, before tapping it, the user adds
    an evening time for the days ahead (/remind dose 08:00 20:00), then taps Taken. Monday had
    one dose, but its answer counted 1 / the two reminders there were by then: 20 mg."""
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 7))
    for text in [f"/timezone {BERLIN}", "/remind dose 08:00", "/course start 2026-03-02"]:
        await bot.say(text)
    await bot.say("/course dose 40")
    await bot.say("/course weight 80")
    morning = await fire(bot, wall(BERLIN, 2026, 3, 2, 8))
    bot.clock.set(wall(BERLIN, 2026, 3, 2, 21))
    added = await bot.say("/remind dose 08:00 20:00")
    assert "Next: tomorrow at 08:00" in added.text, added.text
    await bot.press(morning, button(bot, morning, "Taken"))
    screen = await bot.say("/course")
    assert "40 mg from 1 dose taken" in screen.text, screen.text


async def test_the_only_dose_time_moved_earlier_in_the_picker_owes_the_days_dose(
    bot: BotUnderTest,
) -> None:
    """Monday's 08:00 taken; on Tuesday at 07:30 the picker's 08:00 is tapped away and 07:00
    tapped. The first tap deleted the reminder, so 07:00 came as a new one that owed nothing:
    Tuesday got no reminder. It is the move /remind dose 07:00 makes: Tuesday's is owed now."""
    await monday_0800_taken_in_berlin(bot, "08:00")
    bot.clock.set(wall(BERLIN, 2026, 3, 3, 7, 30))
    picker = await picker_shown(bot)
    emptied = await press_and_edit(bot, picker, "✓ 08:00")
    before = len(bot.fake.messages(USER))
    await press_and_edit(bot, emptied, "07:00")
    [*_, owed] = await bot.fake.wait_for_messages(USER, before + 1)
    assert "your 07:00 isotretinoin dose" in owed.text, owed.text
