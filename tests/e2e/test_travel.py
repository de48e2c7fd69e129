"""A move to another timezone, end to end: the reply names the next dose reminder, and the day's
dose is neither doubled nor lost."""

from __future__ import annotations

from datetime import timedelta

from bot.handlers.timezone import PAUSED_STILL
from storage.models import Delivery, DeliveryStatus, Purpose
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import (
    KOLKATA_0800,
    dose_at_0800_in_kolkata,
    fire,
    set_dose_reminder_in_kolkata,
    settle,
)

# 08:00 in Berlin (UTC+1 in early March) comes 4 h 30 min after 08:00 in Kolkata.
BERLIN_0800_SAME_DAY = KOLKATA_0800 + timedelta(hours=4, minutes=30)


async def test_moving_west_after_the_dose_waits_for_tomorrow_and_says_so(bot: BotUnderTest) -> None:
    await dose_at_0800_in_kolkata(bot)
    bot.clock.set(KOLKATA_0800 + timedelta(hours=1))
    reply = await bot.say("/timezone Europe/Berlin")
    assert "Next dose reminder: tomorrow at 08:00." in reply.text
    before = len(bot.fake.messages(USER))
    bot.clock.set(BERLIN_0800_SAME_DAY + timedelta(minutes=5))
    await settle(bot)
    assert len(bot.fake.messages(USER)) == before  # no second reminder the same day
    message = await fire(bot, BERLIN_0800_SAME_DAY + timedelta(days=1))
    assert "08:00" in message.text


async def test_the_same_timezone_again_keeps_a_queued_dose(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    # Telegram refuses the first try, so the dose waits, queued, while the user re-picks the zone.
    bot.fake.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2, chat_id=USER
    )
    bot.clock.set(KOLKATA_0800)
    await bot.fake.wait_for(lambda: bot.fake.calls_to("sendMessage", USER, ok=False))
    reply = await bot.say("/timezone Asia/Kolkata")
    assert "Next dose reminder: now." in reply.text
    assert "Your timezone stays Asia/Kolkata" in reply.text
    delivery = await bot.first_delivery(DeliveryStatus.SENT)
    assert delivery.occurrence == KOLKATA_0800
    firsts = await bot.rows(Delivery, Delivery.purpose == Purpose.FIRST)
    assert [d.status for d in firsts] == [DeliveryStatus.SENT]


async def test_a_new_timezone_while_paused_says_the_reminders_are_paused(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    await bot.say("/pause")
    moved = await bot.say("/timezone Asia/Tokyo")
    assert moved.text.endswith(PAUSED_STILL)
    await bot.say("/resume")
    assert "Next dose reminder" in (await bot.say("/timezone Europe/Berlin")).text
