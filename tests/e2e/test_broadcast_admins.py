"""What admins are told about broadcasts: /stats figures that add up, a progress message that
ends in the final state, and one admin's /broadcast_cancel against another admin's broadcast."""

from __future__ import annotations

import re

import pytest

from sandbox import FakeBotApi
from sandbox.state import BotMessage
from storage.models import Broadcast, BroadcastStatus
from tests.e2e.conftest import ADMIN, USER, BotUnderTest, bot_running
from tests.e2e.test_broadcast import (
    FAST,
    add_recipients,
    button,
    confirm_tip_broadcast,
    final_report,
    first_tip_drafted,
    got_tip,
    tip_under_way,
)
from tests.e2e.test_reminders import KOLKATA_0800, fire

ADMIN_B = 9002
OTHER = 2002
TWO_ADMINS = frozenset({ADMIN, ADMIN_B})
STATS_LINE = re.compile(r"^#1 .*?: (\d+)/(\d+) sent, (.*)$")
STOPPED_BY_B = "stopped by another admin"


def broadcast_figures(stats: BotMessage) -> tuple[int, dict[str, int]]:
    """The total and each figure of broadcast #1's /stats line ("17/20 sent, 1 blocked, …")."""
    [line] = [row for row in stats.text.splitlines() if row.startswith("#1 ")]
    found = STATS_LINE.match(line)
    assert found is not None, line
    sent, total, rest = found.groups()
    figures = {"sent": int(sent)}
    for part in rest.split(", "):
        number, _, name = part.partition(" ")
        figures[name] = int(number)
    return int(total), figures


def progress_message(bot: BotUnderTest) -> BotMessage | None:
    """The message the bot edits while broadcast #1 goes out (not the final report), once sent."""
    found = [
        m
        for m in bot.fake.messages(ADMIN)
        if m.text.startswith("📣 Broadcast #1") and "Delivered:" not in m.text
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


async def progress_says(bot: BotUnderTest, words: str) -> BotMessage:
    def check() -> BotMessage | None:
        message = progress_message(bot)
        return message if message is not None and words in message.text else None

    return await bot.fake.wait_for(check, timeout=10)


async def stopped_at_five_of_a_hundred(bot: BotUnderTest) -> BotMessage:
    """A tip to 100 users stopped by its admin after 5 went out, its report sent; the reply to
    /broadcast_cancel."""
    await tip_under_way(bot, recipients=100, reached=5)
    reply = await bot.say("/broadcast_cancel", user_id=ADMIN)
    await final_report(bot)
    return reply


# -- /stats ------------------------------------------------------------------------------------


async def test_stats_figures_of_a_broadcast_add_up_to_its_total(
    fake: FakeBotApi, database_url: str
) -> None:
    """One send timed out (uncertain), one was refused, one user had blocked the bot: /stats
    accounts for all 20, as the final report does."""
    async with bot_running(fake, database_url, **FAST) as bot:
        ids = await add_recipients(bot, 20)
        fake.hang_next("sendMessage", 4, chat_id=ids[1])  # longer than the 2 s timeout
        fake.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=ids[2])
        fake.block_chat(ids[3])
        await confirm_tip_broadcast(bot)
        await final_report(bot)
        stats = await bot.say("/stats", user_id=ADMIN)
    total, figures = broadcast_figures(stats)
    assert figures == {"sent": 17, "blocked": 1, "failed": 1, "uncertain": 1}
    assert sum(figures.values()) == total == 20


async def test_stats_figures_of_a_stopped_broadcast_add_up_to_its_total(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=20.0) as bot:
        await stopped_at_five_of_a_hundred(bot)
        stats = await bot.say("/stats", user_id=ADMIN)
    total, figures = broadcast_figures(stats)
    assert figures["stopped"] > 0 and figures["uncertain"] == 0
    assert sum(figures.values()) == total == 100


# -- the progress message ------------------------------------------------------------------------


async def test_progress_message_ends_in_the_final_state(
    fake: FakeBotApi, database_url: str
) -> None:
    async with bot_running(fake, database_url, **FAST) as bot:
        ids = await add_recipients(bot, 20)
        fake.block_chat(ids[0])
        await confirm_tip_broadcast(bot)
        await final_report(bot)
        progress = await progress_says(bot, "finished")
    assert "sending" not in progress.text and "remaining" not in progress.text
    assert "sent 19 of 20" in progress.text and "blocked 1" in progress.text


async def test_progress_message_of_a_stopped_broadcast_says_stopped(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=20.0) as bot:
        await stopped_at_five_of_a_hundred(bot)
        progress = await progress_says(bot, "stopped")
    assert "sending" not in progress.text and "not sent" in progress.text


async def test_a_broadcast_over_before_its_progress_message_is_stored_still_ends_it(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """The progress message is slow to send: the broadcast goes out and closes meanwhile, with
    no message id to edit yet. Once the id is stored, the message is brought to the end."""
    async with bot_running(fake, sqlite_db_url, telegram_timeout_seconds=10.0, **FAST) as bot:
        await add_recipients(bot, 3)
        menu = await first_tip_drafted(bot)
        before = len(fake.messages(ADMIN))
        await bot.press(menu, button(bot, menu, "In treatment"), user_id=ADMIN)
        confirm = (await fake.wait_for_messages(ADMIN, before + 3))[-1]
        # The sender polls every second and the report job runs every 2 s: 5 s is time enough
        # for both, while the progress message is still on its way.
        fake.hang_next("sendMessage", 5, chat_id=ADMIN, then_apply=True)
        await bot.press(confirm, button(bot, confirm, "Send to"), user_id=ADMIN)
        await final_report(bot)
        progress = await progress_says(bot, "finished")
    assert "sent 3 of 3" in progress.text


async def test_a_progress_message_that_cannot_be_edited_does_not_hold_the_report_up(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """The admin deleted the progress message: the closing edit fails, quietly."""
    async with bot_running(fake, sqlite_db_url, **FAST) as bot:
        await add_recipients(bot, 5)
        await confirm_tip_broadcast(bot)
        # Armed once the flow's own edits are done: from here on, only progress edits come.
        fake.fail_next("editMessageText", 400, "Bad Request: message to edit not found", times=100)
        report = await final_report(bot)
        await fake.wait_for(lambda: fake.calls_to("editMessageText", ADMIN, ok=False))
        stats = await bot.say("/stats", user_id=ADMIN)
        [broadcast] = await bot.rows(Broadcast)
    assert "Delivered: 5 of 5" in report.text and "done: 5/5 sent" in stats.text
    assert broadcast.status == BroadcastStatus.DONE
    assert "could not" not in bot.log.getvalue()


# -- two admins ------------------------------------------------------------------------------------


async def draft_waiting_for_text(bot: BotUnderTest, admin: int) -> None:
    start = await bot.say("/broadcast", user_id=admin)
    await bot.press(start, button(bot, start, "Write my own"), user_id=admin)
    await bot.fake.wait_for(
        lambda: any("Send the text now" in m.text for m in bot.fake.messages(admin))
    )


async def a_broadcast(bot: BotUnderTest, admin: int = ADMIN) -> Broadcast:
    [row] = [b for b in await bot.rows(Broadcast) if b.admin_id == admin]
    return row


async def test_cancelling_a_draft_leaves_another_admins_broadcast_sending_until_asked_again(
    fake: FakeBotApi, database_url: str
) -> None:
    async with bot_running(
        fake, database_url, send_rate_per_second=20.0, admin_ids=TWO_ADMINS
    ) as bot:
        ids = await tip_under_way(bot, recipients=200, reached=10)  # admin A's
        await draft_waiting_for_text(bot, ADMIN_B)

        first = await bot.say("/broadcast_cancel", user_id=ADMIN_B)
        assert "draft broadcast is cancelled" in first.text
        assert "#1 (another admin's)" in first.text and "again" in first.text, first.text
        assert (await a_broadcast(bot)).status == BroadcastStatus.SENDING
        assert not [m for m in fake.messages(ADMIN) if STOPPED_BY_B in m.text]

        second = await bot.say("/broadcast_cancel", user_id=ADMIN_B)
        assert "Broadcast #1 stopped" in second.text, second.text
        told = await fake.wait_for(
            lambda: next((m for m in fake.messages(ADMIN) if STOPPED_BY_B in m.text), None)
        )
        report = await final_report(bot)
        delivered = sum(got_tip(bot, i) for i in ids)
    assert "#1" in told.text
    assert (await a_broadcast(bot)).status == BroadcastStatus.CANCELLED
    assert "stopped" in report.text and delivered < 200
    assert not [m for m in fake.messages(ADMIN_B) if STOPPED_BY_B in m.text]
    assert STOPPED_BY_B not in bot.log.getvalue()


async def test_an_admin_stopping_their_own_broadcast_is_not_told_another_admin_did(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(
        fake, sqlite_db_url, send_rate_per_second=20.0, admin_ids=TWO_ADMINS
    ) as bot:
        reply = await stopped_at_five_of_a_hundred(bot)
    assert "Broadcast #1 stopped" in reply.text
    assert not [m for m in fake.messages(ADMIN) if STOPPED_BY_B in m.text]


@pytest.mark.parametrize("owner", [ADMIN, ADMIN_B], ids=["own_broadcast", "other_admins"])
async def test_cancelling_a_draft_names_what_still_sends(
    fake: FakeBotApi, sqlite_db_url: str, owner: int
) -> None:
    """With a draft of their own open, /broadcast_cancel ends only the draft, whoever started
    the running broadcast: the admin says which one they mean by sending it again."""
    async with bot_running(
        fake, sqlite_db_url, send_rate_per_second=20.0, admin_ids=TWO_ADMINS
    ) as bot:
        await tip_under_way(bot, recipients=100, reached=5)  # admin A's
        await draft_waiting_for_text(bot, owner)
        reply = await bot.say("/broadcast_cancel", user_id=owner)
        running = await a_broadcast(bot)
    whose = "yours" if owner == ADMIN else "another admin's"
    assert f"Still sending: #1 ({whose})" in reply.text, reply.text
    assert running.status == BroadcastStatus.SENDING


async def test_a_link_to_broadcast_cancel_offers_it_rather_than_stopping_a_broadcast(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """Admin A's tip is going out to 200 users; admin B opens a t.me/<bot>?start=broadcast_cancel
    link, which anyone can post in a group. The link alone stopped A's broadcast."""
    async with bot_running(
        fake, sqlite_db_url, send_rate_per_second=20.0, admin_ids=TWO_ADMINS
    ) as bot:
        await tip_under_way(bot, recipients=200, reached=5)
        fake.add_user(ADMIN_B)
        before = len(fake.messages(ADMIN_B))
        fake.start_deep_link(ADMIN_B, "broadcast_cancel")
        [*_, reply] = await fake.wait_for_messages(ADMIN_B, before + 1)
        [broadcast] = await bot.rows(Broadcast)
    assert broadcast.status == BroadcastStatus.SENDING, reply.text
    assert "Send /broadcast_cancel if you want that." in reply.text, reply.text


def stats_line(stats: BotMessage, start: str) -> str:
    return next(line for line in stats.text.splitlines() if line.startswith(start))


async def test_stats_keep_a_taken_dose_after_its_time_is_removed(bot: BotUnderTest) -> None:
    """Doses at 08:00 and 12:00, the 08:00 one taken, then only 12:00 kept. /history still says
    1 of 2 taken; /stats lost the taken dose, joined by a reminder id the removal had cleared."""
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/remind dose 08:00 12:00")
    message = await fire(bot, KOLKATA_0800)
    await bot.press(message, button(bot, message, "Taken"))
    before = stats_line(await bot.say("/stats", user_id=ADMIN), "💊")
    await bot.say("/remind dose 12:00")
    assert "(1 of 2)" in (await bot.say("/history")).text
    after = stats_line(await bot.say("/stats", user_id=ADMIN), "💊")
    assert "1 of 2 doses taken" in before, before
    assert after == before


async def test_stats_count_no_paused_reminder_as_active(bot: BotUnderTest) -> None:
    """Two users with a dose reminder, one of them paused: /stats said "dose 2", while the
    broadcast's audience menu counted one user in treatment."""
    for user_id in (USER, OTHER):
        await bot.say("/timezone Asia/Kolkata", user_id=user_id)
        await bot.say("/remind dose 08:00", user_id=user_id)
    await bot.say("/pause")
    stats = await bot.say("/stats", user_id=ADMIN)
    assert "dose 1," in stats_line(stats, "⏰"), stats.text
