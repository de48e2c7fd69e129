"""Who was seen, and when, for updates whose user row is written a moment later or by their own
handler (bot/sightings.py): what users notice must not change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.models import Reminder, User, UserStatus
from storage.users import FLOW_FORGOTTEN_AFTER
from tests.e2e.conftest import START, USER, BotUnderTest, eventually
from tests.e2e.test_remind_input import kind_picked_in_berlin
from tests.e2e.test_reminders import KOLKATA_0800, set_dose_reminder_in_kolkata


async def _user(bot: BotUnderTest) -> User | None:
    users = await bot.rows(User, User.id == USER)
    return users[0] if users else None


async def _seen_at(bot: BotUnderTest, at: object) -> bool:
    user = await _user(bot)
    return user is not None and user.last_seen_at == at


async def test_a_new_user_who_only_reads_a_topic_is_recorded_soon_after(bot: BotUnderTest) -> None:
    reply = await bot.say("/sebum")
    assert "sebum" in reply.text.lower()
    user = await eventually(lambda: _user(bot), what="the user to be recorded")
    assert (user.chat_id, user.status, user.last_seen_at) == (USER, UserStatus.ACTIVE, START)


async def test_a_new_user_whose_first_command_is_remind_is_recorded_by_it(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("/remind dose 08:00")
    assert "timezone" in reply.text
    # Recorded by the command's own transaction, before its reply.
    user = await _user(bot)
    assert user is not None and user.status == UserStatus.ACTIVE


@pytest.mark.parametrize("written", [True, False], ids=["topic-written", "topic-noted"])
async def test_a_flow_is_forgotten_after_a_long_silence_broken_by_a_topic(
    bot: BotUnderTest, written: bool
) -> None:
    await kind_picked_in_berlin(bot, "dose")
    after_silence = START + FLOW_FORGOTTEN_AFTER + timedelta(minutes=1)
    bot.clock.set(after_silence)
    await bot.say("/sebum")
    if written:
        await eventually(lambda: _seen_at(bot, after_silence), what="the topic's sighting")
    # The time typed now is no longer an answer to the old prompt.
    reply = await bot.say("08:00")
    assert "reminders at 08:00" not in reply.text
    assert await bot.rows(Reminder) == []


@pytest.mark.parametrize("written", [True, False], ids=["topic-written", "topic-noted"])
async def test_a_topic_read_in_between_keeps_a_flow_alive(bot: BotUnderTest, written: bool) -> None:
    await kind_picked_in_berlin(bot, "dose")
    reading = START + FLOW_FORGOTTEN_AFTER - timedelta(minutes=10)
    bot.clock.set(reading)
    await bot.say("/sebum")
    if written:
        await eventually(lambda: _seen_at(bot, reading), what="the topic's sighting")
    # 49 minutes after the prompt, but only 29 after the user last wrote.
    bot.clock.set(reading + FLOW_FORGOTTEN_AFTER - timedelta(minutes=1))
    reply = await bot.say("08:00")
    assert "reminders at 08:00" in reply.text


async def _blocked_by_a_403(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.block_chat(USER)
    bot.clock.set(KOLKATA_0800)

    async def blocked() -> bool:
        user = await _user(bot)
        return user is not None and user.status == UserStatus.BLOCKED

    await eventually(blocked, what="the user marked blocked after a 403")
    bot.fake.unblock_chat(USER)


@pytest.mark.parametrize("command", ["/sebum", "/remind sunscreen 09:00"])
async def test_a_blocked_user_who_writes_again_gets_reminders_again(
    bot: BotUnderTest, command: str
) -> None:
    await _blocked_by_a_403(bot)
    [reminder] = await bot.rows(Reminder)
    assert reminder.next_fire_at is None
    await bot.say(command)

    async def dose_planned() -> bool:
        user = await _user(bot)
        doses = await bot.rows(Reminder, Reminder.kind == "dose")
        return (
            user is not None
            and user.status == UserStatus.ACTIVE
            and doses[0].next_fire_at == KOLKATA_0800 + timedelta(days=1)
        )

    await eventually(dose_planned, what="the dose reminder planned again")
