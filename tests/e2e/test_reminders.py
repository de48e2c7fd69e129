"""Reminders end to end: a real Application, the fake Bot API, and time moved by hand."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.handlers.reminders import MOVED
from sandbox.state import BotMessage
from storage.models import (
    Delivery,
    DeliveryStatus,
    DoseLog,
    Outcome,
    Purpose,
    Reminder,
    ReminderKind,
    User,
)
from tests.e2e.conftest import USER, BotUnderTest, answered, edited_last, eventually

KOLKATA_0800 = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)  # 08:00 IST, the day after START


def button(bot: BotUnderTest, message: BotMessage, label: str) -> str:
    for text, data in bot.fake.buttons(message):
        if label in text:
            return data
    raise AssertionError(f"no {label!r} button on {message.text!r}")


async def fire(bot: BotUnderTest, at: datetime, user_id: int = USER) -> BotMessage:
    """Move the clock to `at` and wait for the reminder message it releases."""
    before = len(bot.fake.messages(user_id))
    bot.clock.set(at)
    return (await bot.fake.wait_for_messages(user_id, before + 1))[-1]


async def settle(bot: BotUnderTest) -> None:
    # Several ticks (0.1 s) and sender rounds; only used to show that nothing happens.
    await asyncio.sleep(0.6)


async def set_dose_reminder_in_kolkata(bot: BotUnderTest) -> None:
    """A dose reminder at 08:00 in Asia/Kolkata, first due at KOLKATA_0800."""
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00")


async def dose_at_0800_in_kolkata(bot: BotUnderTest) -> BotMessage:
    await set_dose_reminder_in_kolkata(bot)
    return await fire(bot, KOLKATA_0800)


async def test_kolkata_dose_fires_at_the_right_instant_and_taken_is_logged_once(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Asia/Kolkata")
    reply = await bot.say("/remind dose 08:00")
    assert "08:00" in reply.text and "Asia/Kolkata" in reply.text
    [reminder] = await bot.rows(Reminder)
    assert reminder.next_fire_at == KOLKATA_0800

    bot.clock.set(KOLKATA_0800 - timedelta(seconds=1))
    await settle(bot)
    assert await bot.rows(Delivery) == []

    message = await fire(bot, KOLKATA_0800)
    assert "08:00" in message.text and "food" in message.text
    delivery = await bot.first_delivery(DeliveryStatus.SENT)
    assert delivery.occurrence == KOLKATA_0800

    await bot.press(message, button(bot, message, "Taken"))
    edited = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert "Taken at 08:00" in edited.text
    assert [label for label, _ in bot.fake.buttons(edited)] == ["↩️ I didn't take it"]
    [log] = await bot.rows(DoseLog)
    assert (log.outcome, log.occurrence) == (Outcome.TAKEN, KOLKATA_0800)

    # A second press (a double tap that raced the edit) changes nothing.
    again = bot.fake.forge_callback(USER, message.message_id, button(bot, message, "Taken"))
    await bot.fake.wait_for(lambda: again in bot.fake.answered_callbacks())
    assert "Already" in bot.fake.answered_callbacks()[again]["text"]
    assert bot.fake.last_message(USER).edits == 1  # type: ignore[union-attr]
    assert len(await bot.rows(DoseLog)) == 1


async def test_a_mistapped_answer_is_put_right_from_the_answered_message(
    bot: BotUnderTest,
) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    await bot.press(message, button(bot, message, "Skip"))
    skipped = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert "Skipped at 08:00" in skipped.text

    query = await bot.press(skipped, button(bot, skipped, "I took it after all"))
    assert bot.fake.answered_callbacks()[query]["text"] == "Changed."
    taken = await bot.fake.wait_for(lambda: _shown_with(bot, message, "✅ Taken at 08:00"))
    [log] = await bot.rows(DoseLog)
    assert (log.outcome, log.occurrence) == (Outcome.TAKEN, KOLKATA_0800)
    assert "💊 08:00 — ✅ taken" in (await bot.say("/today")).text

    await bot.press(taken, button(bot, taken, "I didn't take it"))
    await bot.fake.wait_for(lambda: _shown_with(bot, message, "⏭ Skipped at 08:00"))
    [log] = await bot.rows(DoseLog)
    assert log.outcome == Outcome.SKIPPED


def _shown_with(bot: BotUnderTest, message: BotMessage, text: str) -> BotMessage | None:
    """`message` as the chat shows it now, once it says `text`."""
    shown = next(m for m in bot.fake.messages(USER) if m.message_id == message.message_id)
    return shown if text in shown.text else None


async def test_snooze_fires_again_once_and_skip_is_logged(bot: BotUnderTest) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    await bot.press(message, button(bot, message, "Snooze"))
    snoozed = await fire(bot, KOLKATA_0800 + timedelta(minutes=15))
    assert "Snoozed reminder" in snoozed.text
    labels = [t for t, _ in bot.fake.buttons(snoozed)]
    assert not any("Snooze" in t for t in labels)

    again = bot.fake.forge_callback(USER, message.message_id, button(bot, message, "Snooze"))
    await bot.fake.wait_for(lambda: again in bot.fake.answered_callbacks())
    assert "Already" in bot.fake.answered_callbacks()[again]["text"]

    await bot.press(snoozed, button(bot, snoozed, "Skip"))
    [log] = await bot.rows(DoseLog)
    assert log.outcome == Outcome.SKIPPED

    # No follow-up after an answer: it is cancelled, not sent.
    count = len(bot.fake.messages(USER))
    bot.clock.set(KOLKATA_0800 + timedelta(minutes=45))
    await eventually(
        lambda: _follow_up_status(bot, DeliveryStatus.CANCELLED), what="follow-up cancelled"
    )
    assert len(bot.fake.messages(USER)) == count
    assert len(await bot.rows(Delivery, Delivery.purpose == Purpose.SNOOZE)) == 1


async def _follow_up_status(bot: BotUnderTest, status: DeliveryStatus) -> bool:
    rows = await bot.rows(Delivery, Delivery.purpose == Purpose.FOLLOW_UP)
    return len(rows) == 1 and rows[0].status == status


async def test_follow_up_comes_once_when_there_was_no_answer(bot: BotUnderTest) -> None:
    await dose_at_0800_in_kolkata(bot)
    follow_up = await fire(bot, KOLKATA_0800 + timedelta(minutes=30))
    assert "did you take your 08:00 dose" in follow_up.text
    assert "never take two" in follow_up.text
    bot.clock.set(KOLKATA_0800 + timedelta(hours=3))
    await settle(bot)
    assert len(await bot.rows(Delivery, Delivery.purpose == Purpose.FOLLOW_UP)) == 1
    assert len(bot.fake.calls_to("sendMessage", USER)) == 4  # 2 replies, reminder, follow-up


async def test_follow_up_is_not_sent_after_taken(bot: BotUnderTest) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    await bot.press(message, button(bot, message, "Taken"))
    bot.clock.set(KOLKATA_0800 + timedelta(minutes=31))
    await eventually(
        lambda: _follow_up_status(bot, DeliveryStatus.CANCELLED), what="follow-up cancelled"
    )


async def test_a_dose_moved_to_another_time_keeps_its_own_time_in_its_snooze_and_answer(
    bot: BotUnderTest,
) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    await bot.press(message, button(bot, message, "Snooze"))
    await bot.say("/remind dose 09:00")  # the same reminder, from tomorrow at 09:00
    snoozed = await fire(bot, KOLKATA_0800 + timedelta(minutes=15))
    assert "Snoozed reminder: your 08:00 dose" in snoozed.text
    await bot.press(snoozed, button(bot, snoozed, "Taken"))
    answered = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert "Snoozed reminder: your 08:00 dose" in answered.text and "09:00" not in answered.text
    [log] = await bot.rows(DoseLog)
    assert log.outcome == Outcome.TAKEN


async def test_a_dose_owed_at_once_keeps_its_time_in_its_follow_up(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    taken = await fire(bot, datetime(2026, 3, 2, 7, tzinfo=UTC))
    await bot.press(taken, button(bot, taken, "Taken"))
    bot.clock.set(datetime(2026, 3, 3, 6, 30, tzinfo=UTC))  # 07:30 on Tuesday in Berlin
    before = len(bot.fake.messages(USER))
    await bot.say("/remind dose 06:00")  # Tuesday's 06:00 passed, Wednesday's 46 h on: owed now
    [*_, owed] = await bot.fake.wait_for_messages(USER, before + 2)
    assert "your 06:00 isotretinoin dose" in owed.text
    bot.clock.set(datetime(2026, 3, 3, 6, 35, tzinfo=UTC))
    await bot.say("/remind dose 05:00")
    follow_up = await fire(bot, datetime(2026, 3, 3, 7, tzinfo=UTC))
    assert "did you take your 06:00 dose" in follow_up.text


async def test_moisturiser_has_done_and_snooze(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind moisturizer 21:30")
    message = await fire(bot, datetime(2026, 3, 2, 20, 30, tzinfo=UTC))
    assert "Moisturiser" in message.text
    assert [t for t, _ in bot.fake.buttons(message)] == ["✅ Done", "⏰ Snooze 15 min"]
    await bot.press(message, button(bot, message, "Done"))
    [log] = await bot.rows(DoseLog)
    assert log.outcome == Outcome.DONE


async def test_someone_elses_reminder_button_changes_nothing(bot: BotUnderTest) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    data = button(bot, message, "Taken")
    await bot.say("/start", user_id=2002)
    forged = bot.fake.forge_callback(2002, bot.fake.last_message(2002).message_id, data)  # type: ignore[union-attr]
    await bot.fake.wait_for(lambda: forged in bot.fake.answered_callbacks())
    assert "no longer exists" in bot.fake.answered_callbacks()[forged]["text"]
    assert await bot.rows(DoseLog) == []


async def test_forged_reminder_data_changes_nothing(bot: BotUnderTest) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    for data in ["rem:t:999999", "rem:x:1", "rem:t:", "rem:t:1:2", "rem:" + "9" * 40]:
        forged = bot.fake.forge_callback(USER, message.message_id, data)
        await bot.fake.wait_for(answered(bot.fake, forged))
    assert await bot.rows(DoseLog) == []
    assert bot.fake.last_message(USER).edits == 0  # type: ignore[union-attr]


async def test_late_reminder_within_grace_is_sent_marked_late(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    message = await fire(bot, KOLKATA_0800 + timedelta(minutes=50))
    assert "Late reminder" in message.text
    assert "If you have not taken it yet" in message.text
    assert "never take two" in message.text


async def test_reminder_past_grace_is_recorded_missed_not_sent(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    count = len(bot.fake.messages(USER))
    bot.clock.set(KOLKATA_0800 + timedelta(hours=2, minutes=1))
    await bot.first_delivery(DeliveryStatus.MISSED)
    await settle(bot)
    assert len(bot.fake.messages(USER)) == count
    history = await bot.say("/history")
    assert "not sent 1" in history.text


async def test_pause_and_resume_release_no_burst_of_old_reminders(bot: BotUnderTest) -> None:
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00 20:00")
    reply = await bot.say("/pause")
    assert "paused" in reply.text
    assert all(r.next_fire_at is None for r in await bot.rows(Reminder))
    bot.clock.set(KOLKATA_0800 + timedelta(days=3))
    await settle(bot)
    await bot.say("/resume")
    now = bot.clock.now()
    assert all(r.next_fire_at and r.next_fire_at > now for r in await bot.rows(Reminder))
    await settle(bot)
    # Only the times the pause silenced on its first and last days are on record, cancelled,
    # so that a Taken on those days stays half of the day's mg (test_pause_shares.py).
    recorded = await bot.rows(Delivery)
    assert {d.status for d in recorded} == {DeliveryStatus.CANCELLED}
    assert sorted(d.occurrence for d in recorded) == [
        KOLKATA_0800 - timedelta(hours=12),  # the evening of the day it began
        KOLKATA_0800 + timedelta(days=3),  # the morning of the resume
    ]


async def test_changing_timezone_moves_reminders_to_new_local_time(bot: BotUnderTest) -> None:
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind sunscreen 08:30")
    await bot.say("/timezone America/New_York")
    [reminder] = await bot.rows(Reminder)
    assert reminder.timezone == "America/New_York"
    # 08:30 EST on 2026-03-02 is 13:30 UTC; START is 06:00 UTC, so it is still to come today.
    assert reminder.next_fire_at == datetime(2026, 3, 2, 13, 30, tzinfo=UTC)


async def test_reminders_list_switches_off_on_and_deletes(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00 20:00")
    listing = await bot.say("/reminders")
    assert "08:00" in listing.text and "20:00" in listing.text
    await bot.press(listing, button(bot, listing, "Switch off 💊 08:00"))
    edited = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert "08:00 — off" in edited.text
    off = await bot.rows(Reminder, Reminder.local_time == "08:00")
    assert not off[0].enabled and off[0].next_fire_at is None

    await bot.press(edited, button(bot, edited, "Switch on 💊 08:00"))
    await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits == 2)  # type: ignore[union-attr]
    on = await bot.rows(Reminder, Reminder.local_time == "08:00")
    assert on[0].enabled and on[0].next_fire_at is not None

    current = bot.fake.last_message(USER)
    assert current is not None
    await bot.press(current, button(bot, current, "Delete 💊 20:00"))
    await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits == 3)  # type: ignore[union-attr]
    assert [r.local_time for r in await bot.rows(Reminder)] == ["08:00"]

    stale = bot.fake.forge_callback(USER, current.message_id, "rm:del:999999")
    await bot.fake.wait_for(lambda: stale in bot.fake.answered_callbacks())
    assert "no longer exists" in bot.fake.answered_callbacks()[stale]["text"]


async def test_a_dose_and_a_check_at_the_same_time_have_buttons_that_tell_them_apart(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/London")
    await bot.say("/remind dose 09:00")
    await bot.say("/checks pregnancy 29 09:00")
    listing = await bot.say("/reminders")
    labels = [text for text, _ in bot.fake.buttons(listing)]
    assert len(labels) == 4 and len(set(labels)) == 4
    await bot.press(listing, button(bot, listing, "Switch off 🧪 09:00"))
    await bot.fake.wait_for(lambda: edited_last(bot.fake))
    [dose] = await bot.rows(Reminder, Reminder.kind == ReminderKind.DOSE)
    assert dose.enabled


async def test_a_list_shown_before_a_time_moved_acts_on_nothing_and_shows_it_anew(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00 20:00")
    listing = await bot.say("/reminders")
    await bot.say("/remind dose 09:00")  # the row of 08:00, the nearest, now stands for 09:00
    for label in ("Switch off 💊 08:00", "Delete 💊 08:00"):
        query = bot.fake.forge_callback(USER, listing.message_id, button(bot, listing, label))
        await bot.fake.wait_for(lambda q=query: q in bot.fake.answered_callbacks())  # type: ignore[misc]
        assert bot.fake.answered_callbacks()[query]["text"] == MOVED
    [dose] = await bot.rows(Reminder)
    assert (dose.local_time, dose.enabled) == ("09:00", True)
    shown = await bot.fake.wait_for(
        lambda: next(
            (m for m in bot.fake.messages(USER) if m.message_id == listing.message_id and m.edits),
            None,
        )
    )
    assert "09:00" in shown.text and "08:00" not in shown.text and "20:00" not in shown.text


async def test_remind_off_switches_the_kind_off(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    reply = await bot.say("/remind dose off")
    assert "off" in reply.text
    [reminder] = await bot.rows(Reminder)
    assert not reminder.enabled and reminder.next_fire_at is None


async def test_today_says_not_sent_for_a_dose_telegram_refused_as_history_counts_it(
    bot: BotUnderTest,
) -> None:
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=USER)
    bot.clock.set(KOLKATA_0800)
    await bot.first_delivery(DeliveryStatus.FAILED)
    today = await bot.say("/today")
    assert "08:00 — ⚠️ not sent" in today.text
    history = await bot.say("/history")
    assert "⚠️ not sent 1" in history.text


async def test_today_and_history_show_taken_dose(bot: BotUnderTest) -> None:
    message = await dose_at_0800_in_kolkata(bot)
    await bot.press(message, button(bot, message, "Taken"))
    today = await bot.say("/today")
    assert "08:00 — ✅ taken" in today.text
    history = await bot.say("/history")
    assert "100% taken (1 of 1)" in history.text
    assert "streak: 1 day" in history.text


async def test_blocked_user_is_marked_and_reminders_stop(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.block_chat(USER)
    bot.clock.set(KOLKATA_0800)
    await eventually(lambda: _user_status(bot, "blocked"), what="user marked blocked after a 403")
    await bot.first_delivery(DeliveryStatus.BLOCKED)
    [reminder] = await bot.rows(Reminder)
    assert reminder.next_fire_at is None


async def _user_status(bot: BotUnderTest, status: str) -> bool:
    users = await bot.rows(User, User.id == USER)
    return bool(users) and users[0].status == status


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Berlin in March 2026, as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)


@pytest.mark.parametrize("resumed_at", [_berlin(4, 7), _berlin(3, 23)], ids=["wed_07", "tue_23"])
async def test_resuming_before_the_dose_time_brings_that_days_dose(
    bot: BotUnderTest, resumed_at: datetime
) -> None:
    """Paused on Tuesday morning, resumed before Wednesday's 09:00: Wednesday's dose comes."""
    await bot.say("/timezone Europe/Berlin")  # Mon 2 Mar, 07:00 there
    await bot.say("/remind dose 09:00")
    monday = await fire(bot, _berlin(2, 9))
    await bot.press(monday, button(bot, monday, "Taken"))
    bot.clock.set(_berlin(3, 8))
    await bot.say("/pause")
    bot.clock.set(resumed_at)
    await bot.say("/resume")
    listing = await bot.say("/reminders")
    assert "next tomorrow at 09:00" in listing.text or "next today at 09:00" in listing.text
    wednesday = await fire(bot, _berlin(4, 9, 1))
    assert "dose" in wednesday.text and wednesday.message_id != monday.message_id


async def picker_shown(bot: BotUnderTest) -> BotMessage:
    """/remind, then the dose kind: the time picker."""
    menu = await bot.say("/remind")
    await bot.press(menu, "rk:dose")
    return await bot.fake.wait_for(lambda: edited_last(bot.fake))


async def press_and_edit(bot: BotUnderTest, message: BotMessage, label: str) -> BotMessage:
    """Press the button labelled `label`; return the message once the bot has edited it."""
    edits = next(m.edits for m in bot.fake.messages(USER) if m.message_id == message.message_id)
    await bot.press(message, button(bot, message, label))
    return await bot.fake.wait_for(
        lambda: next(
            (
                m
                for m in bot.fake.messages(USER)
                if m.message_id == message.message_id and m.edits > edits
            ),
            None,
        )
    )


async def test_the_only_time_moved_in_the_picker_keeps_its_snooze(bot: BotUnderTest) -> None:
    """Snoozed at 08:00, then in the picker 08:00 tapped away and 09:00 tapped: each tap applied
    at once, so the first deleted the reminder and cancelled the snooze. The time moves now,
    as /remind dose 09:00 moves it, and the snoozed reminder still comes."""
    message = await dose_at_0800_in_kolkata(bot)
    await bot.press(message, button(bot, message, "Snooze"))
    picker = await picker_shown(bot)
    emptied = await press_and_edit(bot, picker, "✓ 08:00")
    assert "takes the place of 08:00" in emptied.text, emptied.text
    assert [r.local_time for r in await bot.rows(Reminder)] == ["08:00"]
    moved = await press_and_edit(bot, emptied, "09:00")
    assert "Chosen: <b>09:00</b>" in moved.html, moved.html
    snoozed = await fire(bot, KOLKATA_0800 + timedelta(minutes=15))
    assert "Snoozed reminder: your 08:00 dose" in snoozed.text


async def test_the_only_time_tapped_away_then_finish_removes_it(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    picker = await picker_shown(bot)
    emptied = await press_and_edit(bot, picker, "✓ 08:00")
    done = await press_and_edit(bot, emptied, "Finish")
    assert [r.local_time for r in await bot.rows(Reminder)] == [], done.text
