"""The streak /history shows while today's doses are still in progress: today counts only once
none of its doses is still to come, and until then the streak is that of the days before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from bot.pictures.calendar_layout import CalendarData
from bot.pictures.palette import DayState
from bot.pictures.renderer import renderer
from sandbox.state import BotMessage
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_reminders import button, fire


def berlin(day: int, hour: int) -> datetime:
    """`hour`:00 on `day` March 2026 in Berlin (UTC+1 until the 29th)."""
    return datetime(2026, 3, day, hour - 1, tzinfo=UTC)


def streak_line(history: BotMessage) -> str:
    [line] = [line for line in history.text.splitlines() if "Current streak" in line]
    return line


async def answer(bot: BotUnderTest, at: datetime, label: str) -> None:
    reminder = await fire(bot, at)
    await bot.press(reminder, button(bot, reminder, label))


async def two_days_taken_and_wednesday_morning(bot: BotUnderTest) -> None:
    """Doses at 08:00 and 20:00 in Berlin, all taken on Mon 2 and Tue 3 March, and the 08:00
    one on Wednesday; the clock stops at Wednesday noon, with the 20:00 dose still to come."""
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00 20:00")
    for day, hour in [(2, 8), (2, 20), (3, 8), (3, 20), (4, 8)]:
        await answer(bot, berlin(day, hour), "Taken")
    bot.clock.set(berlin(4, 12))


@pytest.mark.parametrize(("evening", "after"), [("Taken", 3), ("Skip", 0)])
async def test_today_counts_in_the_streak_only_once_its_evening_dose_is_answered(
    bot: BotUnderTest, evening: str, after: int
) -> None:
    await two_days_taken_and_wednesday_morning(bot)
    # In progress: the streak is that of the days before, whatever the evening brings.
    assert "Current streak: 2 days" in streak_line(await bot.say("/history"))
    await answer(bot, berlin(4, 20), evening)
    assert f"Current streak: {after} days" in streak_line(await bot.say("/history"))


async def test_with_reminders_paused_nothing_is_still_to_come_and_today_counts(
    bot: BotUnderTest,
) -> None:
    # Paused, the evening dose is not owed: the morning one completes the day.
    await two_days_taken_and_wednesday_morning(bot)
    await bot.say("/pause")
    assert "Current streak: 3 days" in streak_line(await bot.say("/history"))


async def test_the_calendar_shows_today_open_while_its_evening_dose_is_still_to_come(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[CalendarData] = []
    real_render = renderer.render

    async def render_and_keep(draw: Callable[[CalendarData], bytes], data: CalendarData) -> bytes:
        drawn.append(data)
        return await real_render(draw, data)

    monkeypatch.setattr(renderer, "render", render_and_keep)
    await two_days_taken_and_wednesday_morning(bot)
    await bot.say("/history")
    await answer(bot, berlin(4, 20), "Taken")
    await bot.say("/history")
    [noon, evening] = [dict(data.days)[date(2026, 3, 4)] for data in drawn]
    assert noon == (DayState.TAKEN, DayState.WAITING)
    assert evening == (DayState.TAKEN, DayState.TAKEN)
