"""`python -m bot` killed with SIGKILL after it fetched a Taken press and before it handled it.

PTB's Updater confirmed a batch of updates with its next poll, before they were handled, so a
kill there lost the press: the button only spun. The bot now confirms an update only after
handling it (bot/polling.py), so the next start gets the press again and notes it, once.

The press is held up the way a busy chat holds it: the user's earlier command is still being
answered (the fake makes that reply hang), and one chat's updates are handled in order
(bot/updates.py). The process is a real one, killed for real.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from sandbox import FakeBotApi
from storage import Database
from storage.models import DoseLog, Outcome
from tests.bot_settings import environment_without_settings
from tests.e2e.conftest import USER
from tests.e2e.test_polling import served
from tests.e2e.test_redelivery import message_is, press_is
from tests.seeding import add_users_with_reminders

REPO_ROOT = Path(__file__).resolve().parents[2]


async def dose_due_now(database_url: str) -> None:
    """The user, in UTC, with a dose reminder due this minute: the bot sends it at once."""
    now = datetime.now(UTC)
    db = Database(database_url)
    try:
        await add_users_with_reminders(db, [USER], now, next_fire_at=now)
    finally:
        await db.dispose()


async def doses_taken(database_url: str) -> int:
    db = Database(database_url)
    try:
        async with db.session() as session:
            rows = await session.scalars(select(DoseLog).where(DoseLog.outcome == Outcome.TAKEN))
            return len(list(rows))
    finally:
        await db.dispose()


class Bot:
    """`python -m bot` in polling mode against the fake, each run logging to its own file."""

    def __init__(self, fake: FakeBotApi, database_url: str, folder: Path) -> None:
        env = environment_without_settings()
        env.update(
            {
                "PYTHONPATH": str(REPO_ROOT),
                "TELEGRAM_BOT_TOKEN": fake.token,
                "TELEGRAM_API_BASE_URL": fake.base_url,
                "DATABASE_URL": database_url,
                "TICK_SECONDS": "0.2",
                # Longer than the test: the held-up reply must not time out on its own.
                "TELEGRAM_TIMEOUT_SECONDS": "60",
            }
        )
        self.fake = fake
        self.env = env
        self.folder = folder
        self.runs = 0
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        started = len(self.fake.calls_to("setMyCommands"))
        self.runs += 1
        with (self.folder / f"run-{self.runs}.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.folder, env=self.env, stdout=log, stderr=log
            )
        await self.fake.wait_for(lambda: len(self.fake.calls_to("setMyCommands")) > started, 60)

    async def signal(self, signum: int) -> int:
        assert self.process is not None
        self.process.send_signal(signum)
        code = await asyncio.wait_for(self.process.wait(), 30)
        self.process = None
        return code

    def logs(self) -> str:
        return "".join(p.read_text() for p in sorted(self.folder.glob("run-*.log")))


async def test_a_taken_press_fetched_before_a_kill_is_noted_once_after_the_restart(
    fake: FakeBotApi, database_url: str, tmp_path: Path
) -> None:
    fake.add_user(USER)  # they started the bot before: it may write to them
    await dose_due_now(database_url)
    bot = Bot(fake, database_url, tmp_path)
    try:
        await bot.start()
        [reminder] = await fake.wait_for_messages(USER, 1, timeout=30)
        taken = next(data for text, data in fake.buttons(reminder) if "Taken" in text)

        # The user asks for /help, whose answer hangs, then presses Taken, which waits its turn.
        fake.hang_next("sendMessage", 60, chat_id=USER, then_apply=False)
        asked = fake.send_text(USER, "/help")
        query_id = fake.press_button(USER, reminder.message_id, taken)
        await fake.wait_for(lambda: served(fake, press_is(query_id)), 30)
        polls = len(fake.calls_to("getUpdates"))
        await fake.wait_for(lambda: len(fake.calls_to("getUpdates")) >= polls + 2, 30)
        # Fetched, polled past, and neither handled nor confirmed.
        assert query_id not in fake.answered_callbacks()
        assert fake.pending_updates == 2
        assert await bot.signal(signal.SIGKILL) == -signal.SIGKILL

        fake.clear_faults()
        await bot.start()
        await fake.wait_for(lambda: query_id in fake.answered_callbacks(), 30)
        await fake.wait_for(lambda: fake.pending_updates == 0, 30)
        assert await bot.signal(signal.SIGTERM) == 0
    finally:
        if bot.process is not None:
            await bot.signal(signal.SIGKILL)

    assert await doses_taken(database_url) == 1
    assert fake.answered_callbacks()[query_id]["text"] == "Noted. Thank you!"
    [noted, help_reply] = fake.messages(USER)
    assert "Taken at" in noted.text
    assert [label for label, _ in fake.buttons(noted)] == ["↩️ I didn't take it"]
    assert "Here is everything I can do" in help_reply.text  # once: the hung one never arrived
    assert served(fake, message_is(asked))
    logs = bot.logs()
    assert "ERROR" not in logs and "Traceback" not in logs, logs
    assert fake.token not in logs
