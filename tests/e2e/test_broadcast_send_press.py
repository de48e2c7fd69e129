"""What the admin is told right after pressing Send, when Telegram hiccups."""

from __future__ import annotations

from bot.handlers.errors import SORRY
from sandbox import FakeBotApi
from storage.models import Broadcast, BroadcastStatus
from tests.e2e.conftest import ADMIN, bot_running
from tests.e2e.test_broadcast import (
    add_recipients,
    button,
    deliveries,
    final_report,
    first_tip_drafted,
)
from tests.e2e.test_ids_after_erase import erase_everything


async def test_a_failed_progress_message_after_send_never_says_to_try_again(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """The admin presses "✅ Send to 40". The deliveries are committed and start going out, but
    Telegram answers the bot's progress message with a transient 502. The admin is not told to
    try again ("try again" after Send invites a second /broadcast, and every recipient would get
    the tip twice): the progress message comes once more, and the final report follows."""
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=20.0) as bot:
        await add_recipients(bot, 40)
        menu = await first_tip_drafted(bot)
        before = len(fake.messages(ADMIN))
        await bot.press(menu, button(bot, menu, "In treatment"), user_id=ADMIN)
        confirm = (await fake.wait_for_messages(ADMIN, before + 3))[-1]
        fake.fail_next("sendMessage", 502, "Bad Gateway", chat_id=ADMIN)
        after_send = len(fake.messages(ADMIN))
        await bot.press(confirm, button(bot, confirm, "Send to 40"), user_id=ADMIN)
        report = await final_report(bot)
        told = [m.text for m in fake.messages(ADMIN)[after_send:]]
        [broadcast] = await bot.rows(Broadcast)
        rows = await deliveries(bot)
    assert broadcast.status == BroadcastStatus.DONE and len(rows) == 40
    assert "Delivered: 40 of 40" in report.text
    assert SORRY not in told, f"after Send the admin was told {told!r}"
    assert broadcast.progress_message_id is not None, "no progress message after the retry"
    log = bot.log.getvalue()
    assert "progress of broadcast 1 failed with NetworkError" in log
    assert "Bad Gateway" not in log, "an error's message reached the log"


async def test_a_recipient_who_erases_their_data_mid_send_is_still_in_the_report(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """A broadcast to 20 is sent slowly; one recipient erases their data while it goes out, and
    their delivery row goes with it. The report said "Delivered: 19 of 19", as if the admin
    had confirmed 19. It counts against the 20 confirmed and says where the one went."""
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=2.0) as bot:
        await add_recipients(bot, 19)
        await bot.say("/timezone Europe/Berlin")
        await bot.say("/remind dose 21:00")
        menu = await first_tip_drafted(bot)
        before = len(fake.messages(ADMIN))
        await bot.press(menu, button(bot, menu, "In treatment"), user_id=ADMIN)
        confirm = (await fake.wait_for_messages(ADMIN, before + 3))[-1]
        await bot.press(confirm, button(bot, confirm, "Send to 20"), user_id=ADMIN)
        await erase_everything(bot)
        report = await final_report(bot)
    assert "Delivered: 19 of 20" in report.text
    assert "Erased their data since it was confirmed: 1" in report.text
