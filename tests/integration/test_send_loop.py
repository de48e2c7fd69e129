"""Rounds of sending against the fake Bot API, on real databases: one message per chat a round,
each call's outcome on its row, and a 429 that holds back the next claim (scheduler/send_loop.py).
The conftest fails any test that calls the Bot API inside a database session."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram import Bot

from sandbox import FakeBotApi
from scheduler.clock import ManualClock
from scheduler.pacing import Pacing
from scheduler.policy import Policy
from scheduler.send_loop import SendLoop
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose
from storage.writes import queue_snooze
from tests.fake_api import fake_with_users
from tests.integration.test_claims import NOW, reminders_due

TOKEN = "777001:TEST-send-loop"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with fake_with_users(TOKEN, range(1, 4)) as server:
        yield server


@pytest.fixture
async def loop(db: Database, fake: FakeBotApi) -> AsyncIterator[SendLoop]:
    async with Bot(TOKEN, base_url=fake.base_url) as bot:
        yield SendLoop(
            db,
            bot,
            ManualClock(NOW),
            Policy(),
            Pacing(1000, 1.0),
            idle_wait=0.1,
        )


async def by_purpose(db: Database) -> dict[Purpose, list[tuple[int, DeliveryStatus]]]:
    found: dict[Purpose, list[tuple[int, DeliveryStatus]]] = {}
    async with db.session() as session:
        for d in await session.scalars(select(Delivery).order_by(Delivery.user_id)):
            found.setdefault(d.purpose, []).append((d.user_id, d.status))
    return found


async def test_a_round_sends_each_chat_once_and_records_it(
    db: Database, fake: FakeBotApi, loop: SendLoop
) -> None:
    await reminders_due(db, range(1, 4), NOW)
    async with db.session() as session:
        first = await session.scalar(select(Delivery).where(Delivery.user_id == 1))
        assert first is not None
        assert await queue_snooze(session, first, NOW, NOW)
    assert await loop.drain_once() == 3
    assert sorted(call.params["chat_id"] for call in fake.calls_to("sendMessage")) == [1, 2, 3]
    found = await by_purpose(db)
    assert found[Purpose.FIRST] == [(u, DeliveryStatus.SENT) for u in (1, 2, 3)]
    assert found[Purpose.SNOOZE] == [(1, DeliveryStatus.PENDING)]  # chat 1 waits its second
    assert found[Purpose.FOLLOW_UP] == [(u, DeliveryStatus.PENDING) for u in (1, 2, 3)]
    assert await loop.drain_once() == 0  # nothing else may go within chat 1's second


async def test_a_sent_reminder_is_html_without_preview_and_keeps_telegrams_message_id(
    db: Database, fake: FakeBotApi, loop: SendLoop
) -> None:
    [delivery_id] = await reminders_due(db, range(1, 2), NOW)
    assert await loop.drain_once() == 1
    [call] = fake.calls_to("sendMessage")
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    [message] = fake.messages(1)
    assert message.entities  # its markup was taken as HTML, not shown as tags
    assert message.reply_markup is not None
    [buttons] = message.reply_markup["inline_keyboard"]
    assert [b["text"] for b in buttons] == ["✅ Taken", "⏰ Snooze 15 min", "⏭ Skip"]
    async with db.session() as session:
        row = await session.get(Delivery, delivery_id)
        assert row is not None
        assert (row.status, row.telegram_message_id) == (DeliveryStatus.SENT, message.message_id)


async def test_a_429_puts_the_row_back_and_holds_the_next_send(
    db: Database, fake: FakeBotApi, loop: SendLoop
) -> None:
    await reminders_due(db, range(1, 2), NOW)
    fake.fail_next("sendMessage", 429, retry_after=1)
    assert await loop.drain_once() == 1
    held_from = time.monotonic()
    assert (await by_purpose(db))[Purpose.FIRST] == [(1, DeliveryStatus.PENDING)]
    loop.pacing.per_chat_interval = 0.0  # only the pause Telegram asked for holds it back
    assert await loop.drain_once() == 1
    assert time.monotonic() - held_from >= 0.5  # waited out, not sent at once
    assert (await by_purpose(db))[Purpose.FIRST] == [(1, DeliveryStatus.SENT)]
    assert len(fake.calls_to("sendMessage", ok=None)) == 2
    assert len(fake.calls_to("sendMessage")) == 1


async def test_rows_a_crash_left_sending_are_never_sent(
    db: Database, fake: FakeBotApi, loop: SendLoop
) -> None:
    [in_flight, waiting] = await reminders_due(db, range(1, 3), NOW)
    async with db.session() as session:
        row = await session.get(Delivery, in_flight)
        assert row is not None
        row.status = DeliveryStatus.SENDING
    assert await loop.recover() == 1
    assert await loop.drain_once() == 1
    assert [call.params["chat_id"] for call in fake.calls_to("sendMessage")] == [2]
    async with db.session() as session:
        statuses = dict((await session.execute(select(Delivery.id, Delivery.status))).all())
    assert statuses[in_flight] == DeliveryStatus.UNCERTAIN
    assert statuses[waiting] == DeliveryStatus.SENT
