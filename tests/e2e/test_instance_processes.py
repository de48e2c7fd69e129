"""Three `python -m bot` processes in webhook mode on one PostgreSQL database, 5,000 reminders
due at once, and the sending process killed halfway: none is sent twice, another takes over.

Real processes, so that the kill is a real crash (SIGKILL: no cleanup, the kernel closes the
lock's connection) and each instance has its own interpreter, as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from sandbox import FakeBotApi
from storage import Database
from storage.models import Delivery, DeliveryStatus
from tests.e2e.listeners import SECRET, Balancer, free_port
from tests.seeding import insert_due_reminders

pytestmark = pytest.mark.postgres

REPO_ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 5_000
CONCURRENCY = 32


class BotProcess:
    """One instance: `python -m bot` with its own listener port and log file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**env, "WEBHOOK_LISTEN": f"127.0.0.1:{self.port}"}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, cwd: Path) -> None:
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=cwd,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    async def sender(self, session: aiohttp.ClientSession) -> str | None:
        """What its /healthz says of its sender: active, standby, or None if it does not answer."""
        try:
            async with session.get(f"{self.url}/healthz") as response:
                return str((await response.json())["sender"])
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return None

    async def stop(self, how: signal.Signals = signal.SIGTERM) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(how)
        try:
            await asyncio.wait_for(self.process.wait(), timeout=20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


@asynccontextmanager
async def three_instances(
    fake: FakeBotApi, url: str, tmp_path: Path
) -> AsyncIterator[list[BotProcess]]:
    balancer = Balancer()
    await balancer.start()
    settings = {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_URL": url,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": balancer.url,
        "WEBHOOK_SECRET": SECRET,
        "SEND_RATE_PER_SECOND": "1000",  # the cap lifted: this test is about who sends
        "SEND_CONCURRENCY": str(CONCURRENCY),
        "TICK_SECONDS": "0.5",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(REPO_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    # Nothing of the machine's own settings, and no .env: cwd is the test's folder.
    env = {k: v for k, v in os.environ.items() if k.upper() not in settings}
    env.update(settings)
    env.pop("HEALTH_LISTEN", None)
    instances = [BotProcess(env, tmp_path / f"instance-{i}.log") for i in range(3)]
    try:
        for instance in instances:
            await instance.start(tmp_path)
        balancer.backends.extend(instance.url for instance in instances)
        yield instances
    except BaseException:
        for instance in instances:  # shown by pytest with the failure
            print(f"--- {instance.log.name}\n{instance.log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        for instance in instances:
            await instance.stop()
        await balancer.stop()


async def senders(instances: list[BotProcess], session: aiohttp.ClientSession) -> list[str | None]:
    return list(await asyncio.gather(*(i.sender(session) for i in instances)))


@asynccontextmanager
async def at_most_one_sender(
    instances: list[BotProcess],
) -> AsyncIterator[list[tuple[int, float]]]:
    """Ask every instance's /healthz, every 0.1 s, that no two send at once; yields who sent,
    and since when (seen first, by time.time())."""
    holders: list[tuple[int, float]] = []

    async def watch(session: aiohttp.ClientSession) -> None:
        while True:
            states = await senders(instances, session)
            active = [i for i, state in enumerate(states) if state == "active"]
            assert len(active) <= 1, f"instances {active} send at once: {states}"
            if active and (not holders or holders[-1][0] != active[0]):
                holders.append((active[0], time.time()))
            await asyncio.sleep(0.1)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as session:
        watcher = asyncio.create_task(watch(session))
        try:
            yield holders
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


async def statuses(db: Database) -> dict[DeliveryStatus, int]:
    async with db.session() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return {DeliveryStatus(status): int(n) for status, n in rows.all()}


async def wait_until(check: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, f"timed out after {within} s waiting for {what}"
        await asyncio.sleep(0.1)


def sends(fake: FakeBotApi) -> int:
    return sum(1 for call in fake.calls if call.method == "sendMessage")


async def test_three_processes_send_5000_due_reminders_once_and_survive_killing_the_sender(
    fake: FakeBotApi, postgres_db_url: str, tmp_path: Path
) -> None:
    db = Database(postgres_db_url)
    for user_id in range(1, REMINDERS + 1):
        fake.add_user(user_id)
    # Due this minute by the real clock, which the processes use.
    due = datetime.now(UTC).replace(second=0, microsecond=0)
    await insert_due_reminders(db, range(1, REMINDERS + 1), due)

    async def halfway() -> bool:
        return sends(fake) >= REMINDERS // 2

    async def settled() -> bool:
        found = await statuses(db)
        return not (found.get(DeliveryStatus.PENDING) or found.get(DeliveryStatus.SENDING))

    try:
        async with (
            three_instances(fake, postgres_db_url, tmp_path) as instances,
            aiohttp.ClientSession() as session,
        ):

            async def all_up() -> bool:
                return None not in await senders(instances, session)

            await wait_until(all_up, within=60, what="three instances answering /healthz")
            started = time.monotonic()
            async with at_most_one_sender(instances) as holders:
                await wait_until(halfway, within=60, what="half the reminders sent")
                states = await senders(instances, session)
                [sending] = [i for i, state in enumerate(states) if state == "active"]
                killed_at = time.time()
                await instances[sending].stop(signal.SIGKILL)

                async def taken_over() -> bool:
                    return len(holders) > 1

                await wait_until(taken_over, within=20, what="another instance to send")
                await wait_until(settled, within=60, what="every delivery to settle")
            took = time.monotonic() - started
        final = await statuses(db)
    finally:
        await db.dispose()
    # Seen by /healthz polled every 0.1 s: up to that much later than the lock was taken.
    takeover = holders[1][1] - killed_at
    print(
        f"\n{REMINDERS} reminders, 3 processes: another sender {takeover:.2f} s after killing "
        f"the first; all settled after {took:.1f} s"
    )

    # Another instance took over, never two at once (the watcher asked all along).
    assert [who for who, _ in holders][:1] == [sending] and len(holders) == 2, holders
    assert takeover < 5
    # One delivery per reminder, whoever's dispatcher wrote it; each sent, or uncertain because
    # the kill caught it in flight (at most one group).
    assert sum(final.values()) == REMINDERS
    assert set(final) <= {DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN}, final
    uncertain = final.get(DeliveryStatus.UNCERTAIN, 0)
    assert uncertain <= CONCURRENCY
    # None was sent twice; an uncertain one may have arrived or not, never twice.
    per_chat: dict[int, int] = {}
    for call in fake.calls_to("sendMessage"):
        chat = int(call.params["chat_id"])
        per_chat[chat] = per_chat.get(chat, 0) + 1
    assert max(per_chat.values()) == 1
    assert final[DeliveryStatus.SENT] <= len(per_chat) <= final[DeliveryStatus.SENT] + uncertain
