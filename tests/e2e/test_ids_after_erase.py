"""Buttons on old messages after the rows they name are gone, end to end on SQLite and PostgreSQL.

A button's callback data names a row by its id alone (a delivery, a check-in, a reminder, a
broadcast draft), and the message stays in the chat after /delete erased the row, or after a new
/broadcast replaced the draft. An id is never given to a new row, or the old button would act on
that row: PostgreSQL's sequences never hand one out twice, and on SQLite the tables are
AUTOINCREMENT (migration 0007), where a plain INTEGER PRIMARY KEY reuses the highest ids once
they are deleted.
"""

from __future__ import annotations

from datetime import timedelta

from bot.handlers.broadcast import GONE as DRAFT_GONE
from bot.handlers.reminder_buttons import GONE as REMINDER_GONE
from content import load_library
from sandbox.state import BotMessage
from storage.models import Broadcast, BroadcastStatus, CheckIn, DoseLog, Reminder
from tests.e2e.conftest import ADMIN, BotUnderTest
from tests.e2e.test_broadcast import edited
from tests.e2e.test_reminders import (
    KOLKATA_0800,
    button,
    fire,
    press_and_edit,
    set_dose_reminder_in_kolkata,
)

LIBRARY = load_library()
FIRST_TIP, SECOND_TIP = list(LIBRARY.tips.values())[:2]


async def erase_everything(bot: BotUnderTest) -> None:
    """/delete, confirmed: every row of the user's is gone, their messages stay in the chat."""
    prompt = await bot.say("/delete")
    await press_and_edit(bot, prompt, "Yes, delete everything")


async def test_an_old_reminder_button_from_before_an_erasure_records_nothing(
    any_bot: BotUnderTest,
) -> None:
    """A user gets a dose reminder, erases everything and sets the same reminder again. When
    the next day's reminder comes, ✅ Taken on the OLD message must not answer the new one: it
    would record a dose perhaps never taken, and cancel the new reminder's follow-up.
    The button names only the delivery id (scheduler/callbacks.py), so the new day's delivery
    must not get the erased one's id."""
    bot = any_bot
    await set_dose_reminder_in_kolkata(bot)
    old = await fire(bot, KOLKATA_0800)
    await erase_everything(bot)
    await set_dose_reminder_in_kolkata(bot)
    await fire(bot, KOLKATA_0800 + timedelta(days=1))
    query = await bot.press(old, button(bot, old, "Taken"))
    assert bot.fake.answered_callbacks()[query].get("text") == REMINDER_GONE
    assert await bot.rows(DoseLog) == []


async def test_an_old_check_in_button_from_before_an_erasure_leaves_the_new_check_in_alone(
    any_bot: BotUnderTest,
) -> None:
    """A user starts a /checkin, erases everything, and later starts a new /checkin. A tap on
    the OLD mood question must not answer the new check-in's: the buttons name the check-in id
    and the owner (bot/checkin_callbacks.py), and both would match a reused id."""
    bot = any_bot
    old = await bot.say("/checkin")
    await erase_everything(bot)
    await bot.say("/checkin")
    await bot.press(old, button(bot, old, "Nearly every day"))
    [checkin] = await bot.rows(CheckIn)
    assert checkin.phq_interest is None


async def test_an_old_reminder_list_from_before_an_erasure_deletes_nothing(
    any_bot: BotUnderTest,
) -> None:
    """/reminders lists a dose at 08:00 with a Delete button; the user erases everything and sets
    the same dose again. Delete on the OLD list must not delete the new reminder: the button
    names the reminder id and its time, and both would match a reused id."""
    bot = any_bot
    await set_dose_reminder_in_kolkata(bot)
    old = await bot.say("/reminders")
    await erase_everything(bot)
    await set_dose_reminder_in_kolkata(bot)
    await bot.press(old, button(bot, old, "Delete"))
    assert [r.local_time for r in await bot.rows(Reminder)] == ["08:00"]


async def tip_to_confirm(bot: BotUnderTest, title: str) -> BotMessage:
    """/broadcast as the admin, the tip `title` for admins only: returns the confirmation,
    with its "Send to" button."""
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, title), user_id=ADMIN)
    menu = await edited(bot, start)
    before = len(bot.fake.messages(ADMIN))
    await bot.press(menu, button(bot, menu, "Admins only"), user_id=ADMIN)
    return (await bot.fake.wait_for_messages(ADMIN, before + 3))[-1]


async def test_an_old_broadcast_confirmation_does_not_send_the_draft_that_replaced_it(
    any_bot: BotUnderTest,
) -> None:
    """An admin gets as far as "Send to" with one tip, then starts /broadcast again, which
    replaces the draft, and picks another tip. "Send to" on the OLD confirmation must not send
    the new draft, whose text it never previewed: the buttons name only the draft's id."""
    bot = any_bot
    old = await tip_to_confirm(bot, FIRST_TIP.title)
    await tip_to_confirm(bot, SECOND_TIP.title)
    query = await bot.press(old, button(bot, old, "Send to"), user_id=ADMIN)
    assert bot.fake.answered_callbacks()[query].get("text") == DRAFT_GONE
    [draft] = await bot.rows(Broadcast)
    assert draft.status == BroadcastStatus.DRAFT
