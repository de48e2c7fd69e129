"""/today tells the doses of the user's day as they happened and as they are still due: after a
change of zone or of time, a dose already taken is not offered again, and a time set too late, or
paused, promises nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.handlers.doses import DOSES_OFF, NO_DOSES, NONE_LEFT, PAUSED
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_reminders import KOLKATA_0800, button, dose_at_0800_in_kolkata, fire


async def _taken_at_0800_in_kolkata(bot: BotUnderTest) -> None:
    reminder = await dose_at_0800_in_kolkata(bot)
    await bot.press(reminder, button(bot, reminder, "Taken"))
    bot.clock.set(KOLKATA_0800 + timedelta(hours=1))


async def test_a_dose_taken_before_moving_zone_stays_taken_and_nothing_is_due_again(
    bot: BotUnderTest,
) -> None:
    await _taken_at_0800_in_kolkata(bot)
    moved = await bot.say("/timezone Europe/Berlin")
    assert "Next dose reminder: tomorrow at 08:00" in moved.text
    # 03:30 in Berlin, the same Tuesday: the dose was taken at 08:00 Kolkata time.
    morning = await bot.say("/today")
    assert "Tue 03 Mar, Europe/Berlin" in morning.text
    assert "03:30 — ✅ taken" in morning.text
    assert "coming up" not in morning.text and NONE_LEFT in morning.text
    bot.clock.set(KOLKATA_0800 + timedelta(hours=20))  # 23:30 in Berlin, still Tuesday
    evening = await bot.say("/today")
    assert "03:30 — ✅ taken" in evening.text
    assert "waiting for your answer" not in evening.text


async def test_a_dose_taken_before_changing_its_time_keeps_its_own_time(bot: BotUnderTest) -> None:
    await _taken_at_0800_in_kolkata(bot)
    changed = await bot.say("/remind dose 09:00")
    assert "tomorrow" in changed.text
    today = await bot.say("/today")
    assert "08:00 — ✅ taken" in today.text
    assert "09:00" not in today.text and NONE_LEFT in today.text


async def test_a_time_set_after_it_passed_is_not_waiting_for_an_answer(bot: BotUnderTest) -> None:
    await bot.say("/timezone Asia/Kolkata")  # 11:30 there
    await bot.say("/remind dose 08:00 20:00")
    today = await bot.say("/today")
    assert "08:00" not in today.text
    assert "20:00 — 🕗 coming up" in today.text


async def test_paused_reminders_promise_nothing(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")  # 07:00 there
    await bot.say("/remind dose 20:00")
    await bot.say("/pause")
    today = await bot.say("/today")
    assert "coming up" not in today.text
    assert PAUSED in today.text
    await bot.say("/resume")
    assert "20:00 — 🕗 coming up" in (await bot.say("/today")).text


async def test_dose_reminders_switched_off_are_named_so_not_missing(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")  # 07:00 there
    assert (await bot.say("/today")).text == NO_DOSES
    await bot.say("/remind dose 20:00")
    await bot.say("/remind dose off")
    assert (await bot.say("/today")).text == DOSES_OFF


async def test_a_dose_in_a_spring_gap_at_midnight_is_that_days(bot: BotUnderTest) -> None:
    """A dose at 00:30 in Beirut, where on Sunday 29 March 2026 the clocks jump from 00:00 to
    01:00: Sunday's reminder comes at 01:00 and is taken. /today on Sunday listed no dose at all
    (it was counted for Saturday, which then had two)."""
    beirut = ZoneInfo("Asia/Beirut")
    bot.clock.set(datetime(2026, 3, 27, 12, tzinfo=beirut).astimezone(UTC))
    await bot.say("/timezone Asia/Beirut")
    await bot.say("/remind dose 00:30")
    for at in (
        datetime(2026, 3, 28, 0, 30, tzinfo=beirut),
        datetime(2026, 3, 29, 1, tzinfo=beirut),
    ):
        reminder = await fire(bot, at.astimezone(UTC))
        await bot.press(reminder, button(bot, reminder, "Taken"))
    bot.clock.set(datetime(2026, 3, 29, 9, tzinfo=beirut).astimezone(UTC))
    today = await bot.say("/today")
    assert "Sun 29 Mar" in today.text and "✅ taken" in today.text, today.text
