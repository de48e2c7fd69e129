"""Restarts, crashes and Bot API faults: no reminder is lost, none is sent twice."""

from __future__ import annotations

from datetime import timedelta

from bot.app import policy_from
from sandbox import FakeBotApi
from scheduler.dispatcher import dispatch_due
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose
from tests.e2e.conftest import USER, BotUnderTest, bot_running, eventually, settings_for
from tests.e2e.test_reminders import KOLKATA_0800, set_dose_reminder_in_kolkata, settle


def reminder_messages(fake: FakeBotApi) -> list[str]:
    return [m.text for m in fake.messages(USER) if "isotretinoin dose" in m.text]


async def set_dose_reminder(fake: FakeBotApi, url: str) -> None:
    async with bot_running(fake, url) as bot:
        await set_dose_reminder_in_kolkata(bot)


async def first_deliveries(bot: BotUnderTest) -> list[Delivery]:
    return await bot.rows(Delivery, Delivery.purpose == Purpose.FIRST)


async def test_restart_between_due_and_sent_neither_loses_nor_doubles(
    fake: FakeBotApi, database_url: str
) -> None:
    await set_dose_reminder(fake, database_url)
    # The tick ran and wrote the delivery, then the process died before the sender sent it.
    db = Database(database_url)
    policy = policy_from(settings_for(fake, database_url))
    result = await dispatch_due(db, KOLKATA_0800, policy)
    await db.dispose()
    assert result.queued == 1

    bot_clock_start = KOLKATA_0800 + timedelta(minutes=1)
    async with bot_running(fake, database_url) as bot:
        bot.clock.set(bot_clock_start)
        await fake.wait_for(lambda: len(reminder_messages(fake)) == 1)
        await bot.first_delivery(DeliveryStatus.SENT)
        await settle(bot)
    assert len(reminder_messages(fake)) == 1


async def test_kill_between_call_and_commit_leaves_uncertain_and_never_resends(
    fake: FakeBotApi, database_url: str
) -> None:
    await set_dose_reminder(fake, database_url)
    # Telegram takes the message, but the answer never reaches the bot before it dies.
    fake.hang_next("sendMessage", 1.0, chat_id=USER, then_apply=True)
    async with bot_running(fake, database_url) as bot:
        bot.clock.set(KOLKATA_0800)

        async def in_flight() -> bool:
            rows = await first_deliveries(bot)
            return bool(rows) and rows[0].status == DeliveryStatus.SENDING

        await eventually(in_flight, what="the delivery in flight")
        sender = bot.sender
        await sender.abort()
    await fake.wait_for(lambda: len(reminder_messages(fake)) == 1)

    async with bot_running(fake, database_url) as bot:
        bot.clock.set(KOLKATA_0800 + timedelta(minutes=2))
        await settle(bot)
        [delivery] = await first_deliveries(bot)
        assert delivery.status == DeliveryStatus.UNCERTAIN
    assert len(reminder_messages(fake)) == 1


async def test_rate_limited_send_waits_retry_after_then_sends_once(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=USER
    )
    bot.clock.set(KOLKATA_0800)
    delivery = await bot.first_delivery(DeliveryStatus.SENT)
    assert delivery.attempts == 2
    assert len(reminder_messages(bot.fake)) == 1
    assert len(bot.fake.calls_to("sendMessage", USER, ok=False)) == 1


async def test_server_error_is_retried_with_backoff_and_sent_once(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.fail_next("sendMessage", 500, "Internal Server Error", chat_id=USER)
    bot.clock.set(KOLKATA_0800)

    async def waiting_for_retry() -> bool:
        rows = await first_deliveries(bot)
        return bool(rows) and rows[0].attempts == 1 and rows[0].status == DeliveryStatus.PENDING

    await eventually(waiting_for_retry, what="a scheduled retry")
    [delivery] = await first_deliveries(bot)
    assert delivery.due_at > KOLKATA_0800
    bot.clock.set(delivery.due_at)
    delivery = await bot.first_delivery(DeliveryStatus.SENT)
    await settle(bot)
    assert delivery.attempts == 2
    assert len(reminder_messages(bot.fake)) == 1


async def test_timed_out_send_is_uncertain_and_not_retried(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.hang_next("sendMessage", 4.0, chat_id=USER)  # longer than the 2 s client timeout
    bot.clock.set(KOLKATA_0800)

    await bot.first_delivery(DeliveryStatus.UNCERTAIN)
    await settle(bot)
    [delivery] = await first_deliveries(bot)
    assert delivery.attempts == 1
    assert reminder_messages(bot.fake) == []
