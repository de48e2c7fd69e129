"""An erasure while a reminder is on its way harms nobody else, and a sender that cannot write to
the database logs the failure's type and frames, never the database's message (which quotes the
statement's parameters: users' ids, zones, reminder times)."""

from __future__ import annotations

import re
from datetime import timedelta

from storage.models import Delivery, DeliveryStatus, Purpose
from tests.e2e.conftest import USER, BotUnderTest, eventually
from tests.e2e.test_reminders import KOLKATA_0800, button

OTHER = 2002
# What the database's refusals below say: a user's zone and dose time, as a real error quotes
# the rows and parameters it was given.
REFUSAL = "refused the row of Asia/Kolkata at 08:00"


async def dose_at_0800_in_kolkata(bot: BotUnderTest, *user_ids: int) -> None:
    for user_id in user_ids:
        await bot.say("/timezone Asia/Kolkata", user_id=user_id)
        await bot.say("/remind dose 08:00", user_id=user_id)


async def press_while_own_reminder_is_in_flight(
    bot: BotUnderTest, command: str, label: str
) -> None:
    """USER and OTHER have a dose reminder at 08:00. USER's is on its way to Telegram, which
    answers slowly, when USER presses `label` under `command`'s answer; the slow call then
    ends, and OTHER's reminder, sent in the same round, has arrived too."""
    await dose_at_0800_in_kolkata(bot, USER, OTHER)
    bot.clock.set(KOLKATA_0800 - timedelta(minutes=1))
    prompt = await bot.say(command)
    data = button(bot, prompt, label)
    bot.fake.hang_next("sendMessage", 1.5, chat_id=USER, then_apply=True)
    bot.clock.set(KOLKATA_0800)

    async def in_flight() -> bool:
        rows = await bot.rows(Delivery, Delivery.user_id == USER)
        return bool(rows) and rows[0].status == DeliveryStatus.SENDING

    await eventually(in_flight, what="USER's reminder to be on its way")
    await bot.press(prompt, data)
    # Done while the call is still under way: its outcome is not recorded yet.
    rows = await bot.rows(Delivery, Delivery.user_id == USER)
    assert all(d.status == DeliveryStatus.SENDING for d in rows)
    await bot.fake.wait_for_messages(USER, 4)
    await bot.fake.wait_for_messages(OTHER, 3)


async def assert_others_follow_up_comes(bot: BotUnderTest) -> None:
    """OTHER's reminder was recorded sent, and its follow-up comes 30 minutes later."""
    before = len(bot.fake.messages(OTHER))
    bot.clock.set(KOLKATA_0800 + timedelta(minutes=31))
    found = await bot.fake.wait_for_messages(OTHER, before + 1, timeout=10)
    assert "did you take your 08:00 dose" in found[-1].text
    [first] = await bot.rows(Delivery, Delivery.user_id == OTHER, Delivery.purpose == Purpose.FIRST)
    assert first.status == DeliveryStatus.SENT


async def make_the_database_refuse(bot: BotUnderTest, table: str, event: str, when: str) -> None:
    """From now on the database refuses, with REFUSAL, every `event` ("INSERT" or "UPDATE") of a
    row of `table` for which `when` (SQL about NEW) holds: a trigger on either backend."""
    async with bot.db.session() as session:
        connection = await session.connection()
        if bot.db.is_postgres:
            await connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
            )
            await connection.exec_driver_sql(
                f"CREATE TRIGGER refuse BEFORE {event} ON {table} FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION refuse()"
            )
        else:
            await connection.exec_driver_sql(
                f"CREATE TRIGGER refuse BEFORE {event} ON {table} WHEN {when} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


async def logged_failure(bot: BotUnderTest, what: str) -> str:
    """The log, once a line of it says that `what` (a regular expression) failed."""
    said = re.compile(what + r"[^\n]* failed with ")
    await bot.fake.wait_for(lambda: said.search(bot.log.getvalue()), timeout=10)
    return bot.log.getvalue()


def assert_private(logged: str) -> None:
    """Neither the database's message nor a statement with its parameters reached the log."""
    assert REFUSAL not in logged
    assert "[SQL:" not in logged and "[parameters:" not in logged
    assert "Asia/Kolkata" not in logged
    assert "'08:00'" not in logged


async def test_erasing_while_a_reminder_is_on_its_way_leaves_other_users_reminders_alone(
    any_bot: BotUnderTest,
) -> None:
    """A user confirms /delete while their dose reminder is being sent. When the send ended, the
    sender queued the dose's follow-up for the erased user and reminder from its copy in
    memory; the insert broke the foreign keys, and the round's one transaction, with OTHER's
    result in it, was rolled back ("sender round failed"). OTHER's reminder, sent in that
    round, stayed `sending` for good: no follow-up ever came, and after a restart it was
    `uncertain`. Now the follow-up is copied from the sent row as the transaction sees it, so
    the erased user gets none, nothing fails, and OTHER's reminder is recorded sent, with its
    follow-up 30 minutes later."""
    bot = any_bot
    await press_while_own_reminder_is_in_flight(bot, "/delete", "Yes, delete everything")
    await assert_others_follow_up_comes(bot)
    assert await bot.rows(Delivery, Delivery.user_id == USER) == []
    assert " failed with " not in bot.log.getvalue()


async def test_deleting_a_reminder_on_its_way_leaves_other_users_reminders_alone(
    any_bot: BotUnderTest,
) -> None:
    """The same with one reminder deleted from /reminders while it is being sent: its
    follow-up named the deleted reminder, and broke the foreign key. Now the sent row, whose
    reminder is gone, is recorded sent, without a follow-up."""
    bot = any_bot
    await press_while_own_reminder_is_in_flight(bot, "/reminders", "Delete 💊 08:00")
    await assert_others_follow_up_comes(bot)
    [first] = await bot.rows(Delivery, Delivery.user_id == USER)
    assert (first.purpose, first.status, first.reminder_id) == (
        Purpose.FIRST,
        DeliveryStatus.SENT,
        None,
    )
    assert " failed with " not in bot.log.getvalue()


async def test_a_failed_sender_round_is_logged_without_the_databases_message(
    any_bot: BotUnderTest,
) -> None:
    """The sender logged a failed round with log.exception, and SQLAlchemy's message holds the
    statement's parameters: users' ids with their zones, dose times, the kind of message. The
    privacy page promises "Logs hold ids and error types, never what you write", and handler
    errors are logged as type and frames alone (bot/logs.py:log_failed_update). Here every claim
    is refused, so each round fails; the log says so, with the error's type and frames."""
    bot = any_bot
    await dose_at_0800_in_kolkata(bot, USER)
    await make_the_database_refuse(bot, "deliveries", "UPDATE", "NEW.status = 'sending'")
    bot.clock.set(KOLKATA_0800)
    logged = await logged_failure(bot, "sender round")
    assert_private(logged)
    assert "in claim" in logged, "the frames of the failure were not logged"


async def test_a_result_that_cannot_be_recorded_costs_no_other_call_its_record(
    any_bot: BotUnderTest,
) -> None:
    """One row that cannot be written (here the database refuses USER's follow-up) no longer
    rolls back the record of the whole round: each result is then recorded alone, USER's dose
    reminder as sent without its follow-up, OTHER's with its own; the failures are logged by
    type and frames."""
    bot = any_bot
    await dose_at_0800_in_kolkata(bot, USER, OTHER)
    await make_the_database_refuse(
        bot, "deliveries", "INSERT", f"NEW.purpose = 'follow_up' AND NEW.user_id = {USER}"
    )
    bot.clock.set(KOLKATA_0800)
    await bot.fake.wait_for_messages(USER, 3)
    await bot.fake.wait_for_messages(OTHER, 3)

    async def recorded() -> list[Delivery] | None:
        rows = await bot.rows(Delivery)
        sent = [d for d in rows if d.status == DeliveryStatus.SENT]
        return rows if len(sent) == 2 else None

    rows = await eventually(recorded, what="both reminders to be recorded sent")
    assert sorted((d.user_id, d.purpose) for d in rows) == [
        (USER, Purpose.FIRST),
        (OTHER, Purpose.FIRST),
        (OTHER, Purpose.FOLLOW_UP),
    ]
    logged = await logged_failure(bot, r"recording delivery \d+")
    assert_private(logged)


async def test_sightings_that_cannot_be_written_are_logged_without_the_databases_message(
    any_bot: BotUnderTest,
) -> None:
    """The sightings job (bot/handlers/users.py:write_sightings) logged its failures with
    log.exception too, and its statement's parameters are who was seen, and when."""
    bot = any_bot
    await bot.say("/start")
    await make_the_database_refuse(bot, "users", "UPDATE", "true")
    await bot.say("/help")
    logged = await logged_failure(bot, r"writing \d+ sightings")
    assert_private(logged)
