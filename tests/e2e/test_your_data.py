"""/privacy, /export and /delete end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.handlers.privacy import ALREADY_GONE
from bot.handlers.users import WRITE_SIGHTINGS_EVERY
from sandbox import FakeBotApi
from sandbox.state import BotMessage
from storage.models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Purpose,
    User,
    delivery_status_in,
)
from storage.personal_data import personal_tables
from tests.e2e.conftest import ADMIN, USER, BotUnderTest, all_handled, bot_running, eventually
from tests.e2e.test_broadcast import add_recipients, confirm_tip_broadcast, final_report, got_tip
from tests.e2e.test_reminders import KOLKATA_0800, button, fire, press_and_edit, settle

OTHER = 2002


async def set_up_everything(bot: BotUnderTest, *user_ids: int) -> None:
    """Each user with a timezone, dose reminders, checks and a course."""
    for user_id in user_ids:
        for text in [
            "/timezone Asia/Kolkata",
            "/remind dose 08:00",
            "/remind sunscreen 09:00",
            "/checks labs 15 09:00",
            "/course start 2026-03-01",
            "/course dose 40",
            "/course weight 68.5",
        ]:
            await bot.say(text, user_id=user_id)


async def rows_per_table(bot: BotUnderTest, user_id: int) -> dict[str, int]:
    counts = {}
    async with bot.db.session() as session:
        for table, column in personal_tables():
            query = select(func.count()).select_from(table).where(column == user_id)
            counts[table.name] = int(await session.scalar(query) or 0)
    return counts


async def test_privacy_says_what_is_stored_and_how_to_export_and_delete(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("/privacy")
    for phrase in ("What I store", "What I do not store", "For how long", "/export", "/delete"):
        assert phrase in reply.text


async def test_export_sends_json_with_the_users_rows_and_nobody_elses(
    any_bot: BotUnderTest,
) -> None:
    bot = any_bot
    await set_up_everything(bot, USER, OTHER)
    reminder = await fire(bot, KOLKATA_0800)
    await bot.press(reminder, button(bot, reminder, "Taken"))
    document_message = await bot.say("/export")
    assert document_message.document is not None
    assert document_message.document["file_name"] == "isobot-export.json"
    assert "JSON" in document_message.text
    content = bot.fake.document_content(document_message.document["file_id"])
    assert content is not None
    exported: dict[str, Any] = json.loads(content.decode("utf-8"))
    assert exported["user_id"] == USER
    tables = exported["tables"]
    assert [u["id"] for u in tables["users"]] == [USER]
    assert {r["kind"] for r in tables["reminders"]} == {
        "dose",
        "sunscreen",
        "labs",
        "weekly_summary",
    }
    assert [r["outcome"] for r in tables["dose_log"]] == ["taken"]
    assert tables["courses"][0]["start_date"] == "2026-03-01"
    assert tables["course_doses"][0]["mg_per_day"] == 40
    assert tables["course_weights"][0]["kg"] == 68.5
    assert tables["deliveries"], "the reminder message sent is part of the record"
    for name, found in tables.items():
        for row in found:
            owner = row.get("user_id", row.get("admin_id", row.get("id")))
            assert owner == USER, (name, row)
    assert str(OTHER) not in content.decode("utf-8")


async def test_delete_erases_every_row_stops_pending_messages_and_starts_fresh(
    any_bot: BotUnderTest,
) -> None:
    bot = any_bot
    await set_up_everything(bot, USER, OTHER)
    # A dose reminder is sent: its follow-up is now pending.
    await fire(bot, KOLKATA_0800)

    async def follow_ups_pending() -> bool:
        rows = await bot.rows(Delivery, Delivery.purpose == Purpose.FOLLOW_UP)
        return sorted((d.user_id, d.status) for d in rows) == [
            (USER, DeliveryStatus.PENDING),
            (OTHER, DeliveryStatus.PENDING),
        ]

    # Both users' reminders went out; each follow-up is queued once its send is recorded.
    await eventually(follow_ups_pending, what="both follow-ups to be pending")
    other_before = await rows_per_table(bot, OTHER)

    prompt = await bot.say("/delete")
    assert "cannot be undone" in prompt.text and "/export" in prompt.text
    for _, data in bot.fake.buttons(prompt):
        assert len(data.encode()) <= 64 and str(USER) not in data
    done = await press_and_edit(bot, prompt, "Yes, delete everything")
    assert "Deleted" in done.text and "start fresh" in done.text
    assert set((await rows_per_table(bot, USER)).values()) == {0}
    assert await rows_per_table(bot, OTHER) == other_before

    # The follow-up that was waiting is gone with everything else: nothing more arrives.
    count = len(bot.fake.messages(USER))
    bot.clock.advance(timedelta(hours=1))
    await settle(bot)
    assert len(bot.fake.messages(USER)) == count

    reply = await bot.say("/reminders")
    assert "no reminders yet" in reply.text
    [user] = await bot.rows(User, User.id == USER)
    assert (user.timezone, user.created_at) == ("", bot.clock.now())
    counts = await rows_per_table(bot, USER)
    assert {name for name, count in counts.items() if count} == {"users"}


async def test_keeping_the_data_deletes_nothing(bot: BotUnderTest) -> None:
    await set_up_everything(bot, USER)
    before = await rows_per_table(bot, USER)
    prompt = await bot.say("/delete")
    kept = await press_and_edit(bot, prompt, "Keep my data")
    assert "Nothing was deleted" in kept.text
    assert await rows_per_table(bot, USER) == before


async def test_an_old_confirmation_button_has_expired(bot: BotUnderTest) -> None:
    await bot.say("/course start 2026-03-01")
    prompt = await bot.say("/delete")
    bot.clock.advance(timedelta(hours=2))
    data = next(d for t, d in bot.fake.buttons(prompt) if "Yes" in t)
    query = await bot.press(prompt, data)
    assert "expired" in bot.fake.answered_callbacks()[query]["text"]
    assert (await rows_per_table(bot, USER))["courses"] == 1


async def test_a_confirmation_from_before_an_erasure_cannot_erase_the_fresh_start(
    bot: BotUnderTest,
) -> None:
    first = await bot.say("/delete")
    bot.clock.advance(timedelta(minutes=1))
    second = await bot.say("/delete")
    await press_and_edit(bot, second, "Yes, delete everything")
    bot.clock.advance(timedelta(minutes=1))
    await set_up_everything(bot, USER)  # a fresh start
    before = await rows_per_table(bot, USER)
    bot.clock.advance(timedelta(minutes=1))
    query = await bot.press(first, button(bot, first, "Yes, delete everything"))
    assert "expired" in bot.fake.answered_callbacks()[query]["text"]
    assert await rows_per_table(bot, USER) == before


def message_now(bot: BotUnderTest, message: BotMessage) -> BotMessage:
    """The message as it stands now, after any edits."""
    return next(m for m in bot.fake.messages(USER) if m.message_id == message.message_id)


async def test_a_double_tap_on_delete_says_how_many_records_the_first_erased(
    bot: BotUnderTest,
) -> None:
    """The second tap erased the fresh users row its own update had made, and the message
    ended on "gone (1 records)"."""
    await set_up_everything(bot, USER)
    bot.clock.advance(timedelta(seconds=5))  # the taps come after the set-up
    erased = sum((await rows_per_table(bot, USER)).values())
    prompt = await bot.say("/delete")
    yes = button(bot, prompt, "Yes, delete everything")
    first = bot.fake.press_button(USER, prompt.message_id, yes)
    second = bot.fake.press_button(USER, prompt.message_id, yes)
    await bot.fake.wait_for(lambda: {first, second} <= set(bot.fake.answered_callbacks()))
    await all_handled(bot)
    shown = message_now(bot, prompt).text
    assert f"({erased} records)" in shown, shown


async def test_keep_tapped_after_yes_says_the_data_is_gone(bot: BotUnderTest) -> None:
    """Both buttons stay on screen until the first edit: a Keep tapped just after Yes said
    "Nothing was deleted" while everything had been, reminders included."""
    await set_up_everything(bot, USER)
    bot.clock.advance(timedelta(seconds=5))  # the taps come after the set-up
    prompt = await bot.say("/delete")
    yes = bot.fake.press_button(USER, prompt.message_id, button(bot, prompt, "Yes, delete"))
    keep = bot.fake.press_button(USER, prompt.message_id, button(bot, prompt, "Keep my data"))
    await bot.fake.wait_for(lambda: {yes, keep} <= set(bot.fake.answered_callbacks()))
    await all_handled(bot)
    counts = await rows_per_table(bot, USER)
    assert counts["courses"] == 0 and counts["reminders"] == 0
    assert message_now(bot, prompt).text == ALREADY_GONE


async def test_an_admins_delete_keeps_the_recipients_records_of_a_broadcast(
    bot: BotUnderTest,
) -> None:
    """Erasing the admin deleted their broadcasts, and the foreign key's cascade took every
    recipient's delivery row with them: /delete erased rows about other people."""
    await bot.say("/start", user_id=ADMIN)
    await set_up_everything(bot, USER)
    await confirm_tip_broadcast(bot, "Everyone")
    await final_report(bot)
    before = await rows_per_table(bot, USER)
    prompt = await bot.say("/delete", user_id=ADMIN)
    await bot.press(prompt, button(bot, prompt, "Yes, delete everything"), user_id=ADMIN)
    await all_handled(bot)
    assert await rows_per_table(bot, USER) == before
    assert sum((await rows_per_table(bot, ADMIN)).values()) == 0


async def test_an_admins_unsent_draft_is_erased_with_them(bot: BotUnderTest) -> None:
    """A draft reached no one, so no recipient's record hangs on it: it goes, text and all."""
    await bot.say("/start", user_id=ADMIN)
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    await all_handled(bot)
    await bot.say("Hi all, this is Dr Jane Smith's private note", user_id=ADMIN)
    bot.clock.advance(timedelta(seconds=2))
    prompt = await bot.say("/delete", user_id=ADMIN)
    await bot.press(prompt, button(bot, prompt, "Yes, delete everything"), user_id=ADMIN)
    await all_handled(bot)
    assert await bot.rows(Broadcast) == []


async def test_an_admins_erasure_stops_their_broadcast_still_going_out(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """No one is left to report to: what is not yet sent stays unsent, as after
    /broadcast_cancel, and what was sent stays in its recipients' records."""
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=20.0) as bot:
        await bot.say("/start", user_id=ADMIN)
        ids = await add_recipients(bot, 200)
        await confirm_tip_broadcast(bot)
        await bot.fake.wait_for(lambda: sum(got_tip(bot, i) for i in ids) >= 5, 10)
        prompt = await bot.say("/delete", user_id=ADMIN)
        await bot.press(prompt, button(bot, prompt, "Yes, delete everything"), user_id=ADMIN)
        await all_handled(bot)
        [broadcast] = await bot.rows(Broadcast)
        assert (broadcast.status, broadcast.admin_id) == (BroadcastStatus.CANCELLED, 0)
        waiting = await bot.rows(Delivery, delivery_status_in(DeliveryStatus.PENDING))
        assert waiting == []
        gone_out = delivery_status_in(DeliveryStatus.SENT, DeliveryStatus.SENDING)
        assert await bot.rows(Delivery, gone_out)
        # Its progress message stayed "sending…" for good: no report comes to correct it.
        await asyncio.sleep(2.5)  # a progress round, which must not bring "sending…" back
        progress = [m.text for m in bot.fake.messages(ADMIN) if "Broadcast #" in m.text]
        assert progress and "stopped, because you deleted your data" in progress[0], progress


async def test_an_erasure_waits_for_the_sightings_being_written(bot: BotUnderTest) -> None:
    """Topic taps are written a second later, in one batch. A batch in flight when the user
    confirmed /delete could commit after the erasure and bring back their users row: erased,
    yet on record. The erasure now waits for it."""
    await set_up_everything(bot, USER)
    sightings = bot.app.bot_data["sightings"]
    prompt = await bot.say("/delete")
    async with sightings.write_lock:  # a batch being written
        data = button(bot, prompt, "Yes, delete everything")
        query = bot.fake.press_button(USER, prompt.message_id, data)
        await settle(bot)
        assert query not in bot.fake.answered_callbacks()
        assert (await rows_per_table(bot, USER))["users"] == 1
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    assert set((await rows_per_table(bot, USER)).values()) == {0}


async def test_blocking_the_bot_after_an_erasure_stores_nothing_again(bot: BotUnderTest) -> None:
    """Someone erases their data and leaves the way people leave a bot: they block it. The block
    brought a users row back (id, chat, language, last seen), and /stats counted them blocked."""
    await bot.say("/start")
    prompt = await bot.say("/delete")
    assert "Deleted" in (await press_and_edit(bot, prompt, "Yes, delete everything")).text
    bot.fake.block_bot(USER)
    await all_handled(bot)
    await asyncio.sleep(2 * WRITE_SIGHTINGS_EVERY)  # any sighting noted is written by now
    assert await bot.rows(User, User.id == USER) == []
    stats = await bot.say("/stats", user_id=ADMIN)
    assert "0 blocked" in stats.text, stats.text


async def test_unblocking_the_bot_after_an_erasure_stores_nothing_again(bot: BotUnderTest) -> None:
    """After erasing and blocking, someone unblocks the bot without writing anything. The
    unblock brought a users row back; they are stored again only once they talk to the bot."""
    await bot.say("/start")
    prompt = await bot.say("/delete")
    assert "Deleted" in (await press_and_edit(bot, prompt, "Yes, delete everything")).text
    bot.fake.block_bot(USER)
    await all_handled(bot)
    bot.fake.unblock_bot(USER)
    await all_handled(bot)
    await asyncio.sleep(2 * WRITE_SIGHTINGS_EVERY)
    assert await bot.rows(User, User.id == USER) == []
    await bot.say("/start")
    assert len(await bot.rows(User, User.id == USER)) == 1
