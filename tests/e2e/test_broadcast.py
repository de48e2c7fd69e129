"""Admin broadcasts end to end: the flow, the limits, crashes, stopping, and refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete

from bot.handlers.unknown import STALE_BUTTON, unknown_command_text
from content import load_library
from sandbox import FakeBotApi
from sandbox.state import BotMessage
from storage.models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    User,
    UserStatus,
)
from tests.e2e.conftest import ADMIN, START, USER, BotUnderTest, answered, bot_running
from tests.e2e.test_reminders import set_dose_reminder_in_kolkata
from tests.seeding import add_users_with_reminders

LIBRARY = load_library()
FIRST_TIP = next(iter(LIBRARY.tips.values()))
FAST: dict[str, Any] = {"send_rate_per_second": 200.0}


async def add_recipients(bot: BotUnderTest, count: int, first_id: int = 50_000) -> list[int]:
    """`count` users in treatment (a dose reminder each), known to the fake Telegram."""
    ids = await add_users_with_reminders(
        bot.db,
        range(first_id, first_id + count),
        START,
        timezone="Europe/Berlin",
        local_time="21:00",
        next_fire_at=START + timedelta(days=1),
    )
    for i in ids:
        bot.fake.add_user(i)
    return ids


def button(bot: BotUnderTest, message: BotMessage, label: str) -> str:
    for text, data in bot.fake.buttons(message):
        if label in text:
            return data
    raise AssertionError(f"no {label!r} button in {bot.fake.buttons(message)!r}")


async def edited(bot: BotUnderTest, message: BotMessage) -> BotMessage:
    def check() -> BotMessage | None:
        current = next(
            (m for m in bot.fake.messages(ADMIN) if m.message_id == message.message_id), None
        )
        return current if current and current.edits > message.edits else None

    return await bot.fake.wait_for(check)


async def first_tip_drafted(bot: BotUnderTest) -> BotMessage:
    """/broadcast and the first tip picked, as the admin. Returns the audience menu."""
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, FIRST_TIP.title), user_id=ADMIN)
    return await edited(bot, start)


async def confirm_tip_broadcast(bot: BotUnderTest, audience: str = "In treatment") -> BotMessage:
    """Walk the admin flow: /broadcast, the first tip, an audience, Confirm. Returns the preview."""
    menu = await first_tip_drafted(bot)
    before = len(bot.fake.messages(ADMIN))
    await bot.press(menu, button(bot, menu, audience), user_id=ADMIN)
    messages = await bot.fake.wait_for_messages(ADMIN, before + 3)
    preview, confirm = messages[-2], messages[-1]
    await bot.press(confirm, button(bot, confirm, "Send to"), user_id=ADMIN)
    return preview


def got_tip(bot: BotUnderTest, user_id: int) -> int:
    return sum(1 for m in bot.fake.messages(user_id) if FIRST_TIP.title in m.text)


async def final_report(bot: BotUnderTest) -> BotMessage:
    """The admin's final report. Found by its "Delivered:" line: once the broadcast closes, the
    progress message also says finished or stopped, with the short figures."""
    return await bot.fake.wait_for(
        lambda: next((m for m in bot.fake.messages(ADMIN) if "Delivered:" in m.text), None),
        timeout=60,
    )


async def deliveries(bot: BotUnderTest) -> list[Delivery]:
    return await bot.rows(Delivery, Delivery.broadcast_id.is_not(None))


@dataclass(frozen=True)
class Sent:
    """A tip broadcast run to its end: the recipients, the admin's preview, the final report."""

    ids: list[int]
    preview: BotMessage
    report: BotMessage


async def tip_sent_with_some_blocked(bot: BotUnderTest, recipients: int, blocked: int) -> Sent:
    """The first tip broadcast to `recipients` users in treatment, the first `blocked` of whom
    have blocked the bot; returns once the admin has the final report."""
    ids = await add_recipients(bot, recipients)
    for blocker in ids[:blocked]:
        bot.fake.block_chat(blocker)
    preview = await confirm_tip_broadcast(bot)
    return Sent(ids, preview, await final_report(bot))


async def tip_under_way(
    bot: BotUnderTest, recipients: int, reached: int, within_seconds: float = 10.0
) -> list[int]:
    """The first tip broadcast to `recipients` users in treatment, caught halfway: returns their
    ids once `reached` of them have it, waiting `within_seconds` at most."""
    ids = await add_recipients(bot, recipients)
    await confirm_tip_broadcast(bot)
    await bot.fake.wait_for(lambda: sum(got_tip(bot, i) for i in ids) >= reached, within_seconds)
    return ids


@pytest.fixture
async def fast_bot(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    async with bot_running(fake, sqlite_db_url, **FAST) as running_bot:
        yield running_bot


async def test_tip_to_50_users_with_5_blocked_reports_45_delivered(fast_bot: BotUnderTest) -> None:
    bot = fast_bot
    sent = await tip_sent_with_some_blocked(bot, recipients=50, blocked=5)
    assert FIRST_TIP.title in sent.preview.text
    assert "Delivered: 45 of 50" in sent.report.text
    assert "Blocked the bot: 5" in sent.report.text
    assert [got_tip(bot, i) for i in sent.ids] == [0] * 5 + [1] * 45
    blocked_users = await bot.rows(User, User.status == UserStatus.BLOCKED)
    assert sorted(u.id for u in blocked_users) == sent.ids[:5]
    [broadcast] = await bot.rows(Broadcast)
    assert broadcast.status == BroadcastStatus.DONE and broadcast.total == 50


async def test_blocked_users_are_left_out_of_later_audiences(fast_bot: BotUnderTest) -> None:
    bot = fast_bot
    sent = await tip_sent_with_some_blocked(bot, recipients=6, blocked=1)
    bot.fake.unblock_chat(sent.ids[0])
    menu = await first_tip_drafted(bot)
    assert "In treatment (5)" in [t for t, _ in bot.fake.buttons(menu)]


async def test_broadcast_to_300_users_stays_within_telegram_limits(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url) as bot:  # the default 25 messages/s
        ids = await add_recipients(bot, 300)
        await confirm_tip_broadcast(bot)
        # From here on: the admin's preview came in a burst, which real Telegram tolerates.
        fake.enforce_rate_limits = True
        report = await final_report(bot)
    assert "Delivered: 300 of 300" in report.text
    assert fake.rate_limit_hits == 0
    assert all(got_tip(bot, i) == 1 for i in ids)


async def test_reminders_due_during_a_broadcast_are_not_held_back(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=20.0) as bot:
        await set_dose_reminder_in_kolkata(bot)
        await tip_under_way(bot, recipients=200, reached=20)
        before = len(fake.messages(USER))
        bot.clock.set(datetime(2026, 3, 3, 2, 30, tzinfo=UTC))
        await fake.wait_for_messages(USER, before + 1)
        pending = await bot.rows(Delivery, Delivery.status == DeliveryStatus.PENDING)
        assert len(pending) > 50, "the reminder should overtake most of the broadcast"


async def test_crash_halfway_then_restart_delivers_to_each_recipient_exactly_once(
    fake: FakeBotApi, database_url: str
) -> None:
    async with bot_running(fake, database_url, send_rate_per_second=60.0) as bot:
        ids = await tip_under_way(bot, recipients=200, reached=80, within_seconds=30)
        # The process dies: the sender stops mid-call, nothing is shut down politely.
        await bot.sender.abort()
    reached_before = sum(got_tip(bot, i) for i in ids)
    assert reached_before < 200

    async with bot_running(fake, database_url, send_rate_per_second=60.0) as bot:
        report = await final_report(bot)
        rows = await deliveries(bot)
    counts = [got_tip(bot, i) for i in ids]
    assert max(counts) == 1, "nobody gets the broadcast twice"
    missing = {i for i, n in zip(ids, counts, strict=True) if n == 0}
    uncertain = {d.user_id for d in rows if d.status == DeliveryStatus.UNCERTAIN}
    assert missing <= uncertain, "only a message in flight at the kill may be lost"
    assert len(uncertain) <= 8  # at most the sender's concurrency was in flight
    assert "Delivered:" in report.text


async def test_broadcast_cancel_stops_what_is_not_yet_sent(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=20.0) as bot:
        ids = await tip_under_way(bot, recipients=200, reached=10)
        reply = await bot.say("/broadcast_cancel", user_id=ADMIN)
        assert "stopped" in reply.text
        report = await final_report(bot)
        await asyncio.sleep(0.5)
        delivered = sum(got_tip(bot, i) for i in ids)
        rows = await deliveries(bot)
    stopped = sum(1 for d in rows if d.status == DeliveryStatus.CANCELLED)
    assert stopped > 100
    assert delivered + stopped == 200
    assert f"Not sent because it was stopped: {stopped}" in report.text
    assert f"Delivered: {delivered} of 200" in report.text


async def test_cancel_in_the_flow_leaves_no_trace(bot: BotUnderTest) -> None:
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Cancel"), user_id=ADMIN)
    done = await edited(bot, start)
    assert "Nothing was sent" in done.text
    assert await bot.rows(Broadcast) == []
    assert await deliveries(bot) == []


QUESTION = "why are my lips so dry and cracked"
SIDE_EFFECTS = LIBRARY.topics["sideeffects"].title


async def write_my_own_tapped(bot: BotUnderTest) -> BotMessage:
    """/broadcast and "Write my own" tapped, as the admin: the bot now waits for their text."""
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    return await edited(bot, start)


async def admin_awaiting(bot: BotUnderTest) -> str:
    [admin] = await bot.rows(User, User.id == ADMIN)
    return admin.awaiting


async def test_a_new_broadcast_after_write_my_own_leaves_the_admins_next_question_alone(
    bot: BotUnderTest,
) -> None:
    """The admin changes their mind after "Write my own", sends a tip with a new /broadcast, then
    asks a question of their own: it gets its topic, not "no longer a draft"."""
    await add_recipients(bot, 2)
    await write_my_own_tapped(bot)
    await confirm_tip_broadcast(bot)  # a new /broadcast, a tip, an audience, Send
    await final_report(bot)
    assert await admin_awaiting(bot) == ""
    reply = await bot.say(QUESTION, user_id=ADMIN)
    assert SIDE_EFFECTS in reply.text, reply.text
    [sent] = await bot.rows(Broadcast)
    assert sent.status == BroadcastStatus.DONE


async def test_broadcast_cancel_ends_a_draft_waiting_for_text(bot: BotUnderTest) -> None:
    await write_my_own_tapped(bot)
    reply = await bot.say("/broadcast_cancel", user_id=ADMIN)
    assert "draft broadcast is cancelled" in reply.text and "Nothing was sent" in reply.text, (
        reply.text
    )
    assert await bot.rows(Broadcast) == []
    assert await admin_awaiting(bot) == ""
    answer = await bot.say(QUESTION, user_id=ADMIN)
    assert SIDE_EFFECTS in answer.text, answer.text


async def test_text_typed_for_a_draft_that_is_gone_is_an_ordinary_message(
    bot: BotUnderTest,
) -> None:
    """A wait for text that outlived its draft (as left by a version before this fix, or a draft
    ended elsewhere) lets the message through to free text, and is forgotten."""
    await write_my_own_tapped(bot)
    async with bot.db.session() as session:
        await session.execute(delete(Broadcast))
    reply = await bot.say(QUESTION, user_id=ADMIN)
    assert SIDE_EFFECTS in reply.text and "no longer a draft" not in reply.text, reply.text
    assert await admin_awaiting(bot) == ""


async def test_own_text_is_escaped_and_previewed_exactly(fast_bot: BotUnderTest) -> None:
    bot = fast_bot
    ids = await add_recipients(bot, 3)
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    await edited(bot, start)
    text = "Remember <b>SPF</b> & lip balm <script>x</script>"
    menu = await bot.say(text, user_id=ADMIN)
    assert "Who should get it?" in menu.text
    before = len(bot.fake.messages(ADMIN))
    await bot.press(menu, button(bot, menu, "In treatment"), user_id=ADMIN)
    messages = await bot.fake.wait_for_messages(ADMIN, before + 3)
    preview, confirm = messages[-2], messages[-1]
    assert preview.text.startswith(text)
    assert "prescriber" in preview.text
    await bot.press(confirm, button(bot, confirm, "Send to 3"), user_id=ADMIN)
    await final_report(bot)
    received = bot.fake.last_message(ids[0])
    assert received is not None and received.text == preview.text


async def test_own_text_too_long_is_refused_with_the_limit(bot: BotUnderTest) -> None:
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    await edited(bot, start)
    reply = await bot.say("x" * 4090, user_id=ADMIN)
    assert "too long" in reply.text and "4096" in reply.text
    [draft] = await bot.rows(Broadcast)
    assert draft.text_html is None


async def test_draft_survives_a_restart(fake: FakeBotApi, sqlite_db_url: str) -> None:
    async with bot_running(fake, sqlite_db_url) as bot:
        await add_recipients(bot, 2)
        menu = await first_tip_drafted(bot)
    async with bot_running(fake, sqlite_db_url) as bot:
        before = len(fake.messages(ADMIN))
        await bot.press(menu, button(bot, menu, "In treatment"), user_id=ADMIN)
        messages = await fake.wait_for_messages(ADMIN, before + 3)
        assert "goes to <b>2</b> users" in messages[-1].html


@pytest.mark.parametrize("command", ["broadcast", "broadcast_cancel", "stats"])
async def test_non_admin_gets_exactly_the_unknown_command_answer(
    bot: BotUnderTest, command: str
) -> None:
    await bot.say("/start")
    reply = await bot.say(f"/{command}")
    known = [c.name for c in bot.app.bot_data.services.commands]
    assert reply.html == unknown_command_text(command, known)
    assert command not in {c.name for c in bot.app.bot_data.services.commands}


async def test_forged_admin_button_from_non_admin_does_nothing(fast_bot: BotUnderTest) -> None:
    bot = fast_bot
    await add_recipients(bot, 3)
    menu = await first_tip_drafted(bot)
    [draft] = await bot.rows(Broadcast)
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    for data in [f"bc:aud:{draft.id}:all", f"bc:go:{draft.id}", f"bc:cancel:{draft.id}"]:
        message_id = bot.fake.last_message(USER).message_id  # type: ignore[union-attr]
        query_id = bot.fake.forge_callback(USER, message_id, data)
        await bot.fake.wait_for(answered(bot.fake, query_id))
        # Answered like any out-of-date button, and nothing else is said.
        assert bot.fake.answered_callbacks()[query_id].get("text") == STALE_BUTTON
    assert len(bot.fake.messages(USER)) == before
    [still] = await bot.rows(Broadcast)
    assert still.status == BroadcastStatus.DRAFT and still.audience is None
    assert await deliveries(bot) == []
    assert menu.message_id  # the admin's draft was untouched


async def test_stats_show_users_reminders_and_last_broadcast(fast_bot: BotUnderTest) -> None:
    bot = fast_bot
    await tip_sent_with_some_blocked(bot, recipients=4, blocked=1)
    stats = await bot.say("/stats", user_id=ADMIN)
    assert "Users: 4 active, 1 blocked" in stats.text
    assert "dose 3," in stats.text  # the blocked user's sends nothing
    assert "3/4 sent, 1 blocked" in stats.text


async def test_own_text_written_over_half_an_hour_is_still_taken(bot: BotUnderTest) -> None:
    """An admin taps "Write my own" and takes 31 minutes over the text. Every flow was forgotten
    after 30 minutes: the text was answered as a health question, and the draft never got it."""
    await add_recipients(bot, 2)
    prompt = await write_my_own_tapped(bot)
    assert "Send the text now" in prompt.text
    bot.clock.advance(timedelta(minutes=31))
    text = "Remember your sunscreen every morning, even when it is cloudy"
    reply = await bot.say(text, user_id=ADMIN)
    [draft] = await bot.rows(Broadcast)
    assert draft.text_html is not None and text in draft.text_html, reply.text
    assert "Who should get it?" in reply.text, reply.text
    # A day later the wait is over, as other flows' after half an hour.
    await bot.say("/broadcast_cancel", user_id=ADMIN)
    await write_my_own_tapped(bot)
    bot.clock.advance(timedelta(hours=25))
    reply = await bot.say(text, user_id=ADMIN)
    assert "Who should get it?" not in reply.text


async def test_an_edit_of_own_text_says_how_to_change_the_draft(bot: BotUnderTest) -> None:
    """The admin sends their text, sees a typo and edits the message. The bot said "send it
    again as a new message", which then got a health topic: the wait was over, and the draft
    kept the typo. Now it says how to change the text, and doing so changes it."""
    await add_recipients(bot, 2)
    await write_my_own_tapped(bot)
    typed = bot.fake.send_text(ADMIN, "Remember your sunscren every morning")
    await bot.fake.wait_for(
        lambda: any("Who should get it" in m.text for m in bot.fake.messages(ADMIN))
    )
    fixed = "Remember your sunscreen every morning"
    before = len(bot.fake.messages(ADMIN))
    bot.fake.edit_text(ADMIN, typed["message_id"], fixed)
    [*_, advice] = await bot.fake.wait_for_messages(ADMIN, before + 1)
    assert "send /broadcast, tap Write my own" in advice.text, advice.text
    await write_my_own_tapped(bot)
    assert "Who should get it?" in (await bot.say(fixed, user_id=ADMIN)).text
    [draft] = await bot.rows(Broadcast, Broadcast.status == BroadcastStatus.DRAFT)
    assert draft.text_html is not None and draft.text_html.startswith(fixed)
