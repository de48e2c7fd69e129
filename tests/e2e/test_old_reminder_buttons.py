"""The buttons of a reminder message still on screen after things changed: its time dropped or
deleted, its day over, reminders paused or the reminder switched off.

An answer (Taken, Skip, Done) is about a message that was sent, so it is recorded whatever
changed since. A snooze asks for another message, so it is refused, with a notice and the
buttons kept, whenever that message would not come or would come too late to act on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sandbox.state import BotMessage
from storage.models import Delivery, DeliveryStatus, DoseLog, Outcome, Purpose
from tests.e2e.conftest import USER, BotUnderTest, edited_last
from tests.e2e.test_reminders import KOLKATA_0800, button, fire, settle

KOLKATA_2000 = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # 20:00 IST on START's day


def _notice(bot: BotUnderTest, query_id: str) -> str:
    return str(bot.fake.answered_callbacks()[query_id].get("text") or "")


def _as_now(bot: BotUnderTest, message: BotMessage) -> BotMessage:
    """`message` as the chat shows it now, edits applied."""
    return next(m for m in bot.fake.messages(USER) if m.message_id == message.message_id)


async def _snooze_refused(bot: BotUnderTest, reminder: BotMessage) -> str:
    """Press Snooze on `reminder`, check that it was refused and changed nothing; the notice."""
    query = await bot.press(reminder, button(bot, reminder, "Snooze"))
    notice = _notice(bot, query)
    assert "Snoozed for" not in notice, notice
    # An alert, not a toast: the message does not change, so the notice must be seen.
    assert bot.fake.answered_callbacks()[query].get("show_alert") is True
    shown = _as_now(bot, reminder)
    assert shown.edits == 0 and shown.reply_markup == reminder.reply_markup
    assert await bot.rows(Delivery, Delivery.purpose == Purpose.SNOOZE) == []
    return notice


async def _answer(bot: BotUnderTest, reminder: BotMessage, label: str, shown_as: str) -> str:
    """Press `label` on `reminder`; the notice, once the message says `shown_as` and has no
    buttons left but the one that changes the answer."""
    query = await bot.press(reminder, button(bot, reminder, label))
    answered = await bot.fake.wait_for(lambda: _edited(bot, reminder))
    assert f"{shown_as} at" in answered.text
    assert all(data.startswith("rem:c:") for _, data in bot.fake.buttons(answered))
    return _notice(bot, query)


async def _sent_then_deleted(bot: BotUnderTest) -> BotMessage:
    """The 08:00 dose reminder, sent (its follow-up queued), then deleted in /reminders."""
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00")
    reminder = await fire(bot, KOLKATA_0800)
    await bot.first_delivery(DeliveryStatus.SENT)
    listing = await bot.say("/reminders")
    await bot.press(listing, button(bot, listing, "Delete 💊 08:00"))
    return reminder


_SHOWN_AS = {"Taken": "Taken", "Skip": "Skipped", "Done": "Done"}


async def _refused_then_answered(
    bot: BotUnderTest, reminder: BotMessage, says: tuple[str, ...], label: str, outcome: Outcome
) -> None:
    """Snooze on `reminder` is refused with a notice that `says` each of these; `label` then
    records `outcome`, the one answer."""
    notice = await _snooze_refused(bot, reminder)
    assert all(part in notice for part in says), notice
    assert await _answer(bot, reminder, label, _SHOWN_AS[label]) == "Noted. Thank you!"
    [log] = await bot.rows(DoseLog)
    assert log.outcome == outcome


def _edited(bot: BotUnderTest, message: BotMessage) -> BotMessage | None:
    shown = _as_now(bot, message)
    return shown if shown.edits else None


async def test_taken_on_a_dose_reminder_counts_after_its_time_was_dropped(
    any_bot: BotUnderTest,
) -> None:
    """Doses at 08:00 and 20:00; the 20:00 reminder comes, then the user goes to once a day
    (`/remind dose 08:00`), takes tonight's pill and presses Taken on the 20:00 message.

    Dropping a time changes only the future: the dose sent for 20:00 is recorded as taken,
    on the day it was sent for, and /today no longer waits for it. A second Taken, a double
    tap, says it is already noted and records nothing more.
    """
    bot = any_bot
    await bot.say("/timezone Asia/Kolkata")  # 11:30 there
    await bot.say("/remind dose 08:00 20:00")
    evening = await fire(bot, KOLKATA_2000)
    assert "20:00" in evening.text
    await bot.first_delivery(DeliveryStatus.SENT)  # as a person reads before acting
    await bot.say("/remind dose 08:00")

    assert await _answer(bot, evening, "Taken", "Taken") == "Noted. Thank you!"

    [log] = await bot.rows(DoseLog)
    assert (log.outcome, log.occurrence, log.user_id) == (Outcome.TAKEN, KOLKATA_2000, USER)
    assert log.local_date == KOLKATA_2000.date()
    assert "20:00 — ✅ taken" in (await bot.say("/today")).text
    again = bot.fake.forge_callback(USER, evening.message_id, button(bot, evening, "Taken"))
    await bot.fake.wait_for(lambda: again in bot.fake.answered_callbacks())
    assert _notice(bot, again) == "Already noted as taken."
    assert len(await bot.rows(DoseLog)) == 1


async def test_taken_on_a_dose_reminder_counts_after_it_was_deleted(
    any_bot: BotUnderTest,
) -> None:
    """The 08:00 dose reminder comes; the user deletes it in /reminders (they will use an
    alarm), swallows the pill and presses Taken on the message still on screen.

    Deleting a reminder stops future messages, not the answer to one already sent: the dose
    is recorded as taken and /today shows it so.
    """
    bot = any_bot
    reminder = await _sent_then_deleted(bot)

    assert await _answer(bot, reminder, "Taken", "Taken") == "Noted. Thank you!"

    [log] = await bot.rows(DoseLog)
    assert (log.outcome, log.occurrence, log.reminder_id) == (Outcome.TAKEN, KOLKATA_0800, None)
    today = await bot.say("/today")
    assert "waiting for your answer" not in today.text


async def test_snooze_on_a_deleted_reminder_is_refused_and_skip_still_works(
    any_bot: BotUnderTest,
) -> None:
    """The 08:00 dose reminder comes; the user deletes it in /reminders, then taps Snooze on
    the message still on screen.

    The reminder a snooze would repeat is gone and no snoozed message would come, so the
    press is refused with a notice saying so, and the message keeps Taken and Skip, which
    still record the dose.
    """
    bot = any_bot
    reminder = await _sent_then_deleted(bot)

    says = ("no longer exists", "Taken or Skip")
    await _refused_then_answered(bot, reminder, says, "Skip", Outcome.SKIPPED)


async def test_snoozing_yesterdays_dose_reminder_is_refused_and_skip_still_works(
    any_bot: BotUnderTest,
) -> None:
    """Monday's 08:00 dose reminder went unanswered. On Tuesday at 07:50 the user taps Snooze
    on that old message.

    A snoozed "your 08:00 dose" minutes after Tuesday's own 08:00 reminder would invite two
    pills, so the snooze is refused with a notice that says what to do instead, Tuesday's
    reminder comes alone, and Skip on Monday's message still records Monday's dose.
    """
    bot = any_bot
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00")
    monday = await fire(bot, KOLKATA_0800)
    await fire(bot, KOLKATA_0800 + timedelta(minutes=30))  # Monday's follow-up
    bot.clock.set(KOLKATA_0800 + timedelta(hours=23, minutes=50))  # Tuesday 07:50
    await settle(bot)

    notice = await _snooze_refused(bot, monday)
    assert "too late to snooze" in notice and "never take two" in notice

    tuesday = await fire(bot, KOLKATA_0800 + timedelta(days=1))
    assert "Time for your 08:00" in tuesday.text
    before = len(bot.fake.messages(USER))
    bot.clock.set(KOLKATA_0800 + timedelta(days=1, minutes=20))
    await settle(bot)
    assert bot.fake.messages(USER)[before:] == []

    await _answer(bot, monday, "Skip", "Skipped")
    [log] = await bot.rows(DoseLog)
    assert (log.outcome, log.occurrence) == (Outcome.SKIPPED, KOLKATA_0800)


async def test_a_snoozed_dose_reminder_must_come_within_the_doses_grace(
    any_bot: BotUnderTest,
) -> None:
    """A snoozed dose reminder must come within the dose's grace (2 hours), as a late one
    would: past it the next dose is near. On Monday Snooze at 09:46 would bring it at 10:01,
    and is refused; on Tuesday Snooze at 09:45 brings it at 10:00."""
    bot = any_bot
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00")
    monday = await fire(bot, KOLKATA_0800)
    await fire(bot, KOLKATA_0800 + timedelta(minutes=30))  # its follow-up
    bot.clock.set(KOLKATA_0800 + timedelta(hours=1, minutes=46))
    assert "too late to snooze" in await _snooze_refused(bot, monday)

    tuesday = await fire(bot, KOLKATA_0800 + timedelta(days=1))
    await fire(bot, KOLKATA_0800 + timedelta(days=1, minutes=30))
    bot.clock.set(KOLKATA_0800 + timedelta(days=1, hours=1, minutes=45))
    query = await bot.press(tuesday, button(bot, tuesday, "Snooze"))
    assert _notice(bot, query) == "Snoozed for 15 minutes."
    snoozed = await fire(bot, KOLKATA_0800 + timedelta(days=1, hours=2))
    assert "Snoozed reminder: your 08:00 dose" in snoozed.text


async def test_snooze_while_paused_is_refused_and_the_buttons_stay(
    any_bot: BotUnderTest,
) -> None:
    """The 08:00 dose reminder comes; the user sends /pause, then taps Snooze on it.

    /pause promised no reminders until /resume, so no snoozed one would come: the press is
    refused with a notice saying so, rather than "Snoozed for 15 minutes" and silence, and the
    message keeps its buttons, so Taken still records the dose.
    """
    bot = any_bot
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00")
    reminder = await fire(bot, KOLKATA_0800)
    await bot.say("/pause")

    await _refused_then_answered(bot, reminder, ("paused", "/resume"), "Taken", Outcome.TAKEN)


async def test_snooze_of_a_switched_off_reminder_is_refused_and_done_still_works(
    any_bot: BotUnderTest,
) -> None:
    """The 21:30 moisturiser reminder comes; the user switches it off in /reminders, then taps
    Snooze on it. A switched-off reminder sends nothing, so the snooze is refused; Done still
    records it."""
    bot = any_bot
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind moisturiser 21:30")
    reminder = await fire(bot, datetime(2026, 3, 2, 20, 30, tzinfo=UTC))
    listing = await bot.say("/reminders")
    await bot.press(listing, button(bot, listing, "Switch off"))
    await bot.fake.wait_for(lambda: edited_last(bot.fake))

    await _refused_then_answered(bot, reminder, ("switched off",), "Done", Outcome.DONE)
