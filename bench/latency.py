"""Command latency in process: from an update going into the Application to its reply's
sendMessage call going out, at a steady rate of updates.

The updates go straight into PTB's update queue, each from a different user, so no user is
answering anyone's flow and the sender's pacing holds no reply back. The reply's call is timed
where it leaves PTB, in the HTTP transport; the fake Bot API, in its own process, answers at once.
The dispatcher's tick and the sender run as they do in the bot. A second of other users'
updates goes first and is not counted (the pool's connections, the statement caches).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

import bot.app as app_module
from bench.broadcast import TOKEN, fake_in_another_process
from bench.databases import fresh_database
from bench.population import NOW, populate
from bot.app import build_application
from bot.config import Settings
from bot.transport import AiohttpRequest
from scheduler.clock import ManualClock
from storage import Database

COMMANDS = ("/sebum", "/remind dose 08:00")


class TimedRequest(AiohttpRequest):
    """The bot's transport, noting when each sendMessage leaves, by chat."""

    __slots__ = ("replied",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.replied: dict[int, float] = {}

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is not None and url.endswith("/sendMessage"):
            chat_id = int(request_data.parameters["chat_id"])  # type: ignore[arg-type]
            self.replied.setdefault(chat_id, time.perf_counter())
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


@dataclass(frozen=True)
class Latency:
    backend: str
    command: str
    updates: int
    replied: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    achieved_rate: float
    cpu_ms: float  # this process's CPU per update: the bot, and SQLite on SQLite


def _update(update_id: int, user_id: int, text: str, bot: Any) -> Update:
    command_length = len(text.split()[0])
    data = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(NOW.timestamp()),
            "chat": {"id": user_id, "type": "private", "first_name": "Bench"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Bench"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": command_length}],
        },
    }
    return Update.de_json(data, bot)


async def measure(
    backend: str, users: int, rate: float, seconds: float, command: str, *, at_once: int | None
) -> Latency:
    """One run; `at_once` overrides how many updates the bot handles at once (None: the bot's
    own choice)."""
    count = min(int(rate * seconds), users - int(rate))
    async with fresh_database(backend) as url, fake_in_another_process(users) as (base, _):
        db = Database(url)
        await populate(db, users)  # users with a zone and reminders, as a running bot has
        await db.dispose()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,
            database_url=url,
            telegram_api_base_url=base,
            log_level="WARNING",
        )
        original = app_module.bot_request
        timed = TimedRequest(read_timeout=10.0, write_timeout=10.0, connect_timeout=10.0)
        app_module.bot_request = lambda settings, connection_pool_size=256: (  # type: ignore[assignment]
            timed if connection_pool_size > 1 else original(settings, connection_pool_size=1)
        )
        chosen = app_module.UPDATES_AT_ONCE
        if at_once is not None:
            app_module.UPDATES_AT_ONCE = at_once
        try:
            app = build_application(settings, clock=ManualClock(NOW))
        finally:
            app_module.bot_request = original
            app_module.UPDATES_AT_ONCE = chosen
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        try:
            # A second of other users' updates first, not counted: it opens the pool's
            # connections and fills the statement caches, which only the first replies pay.
            warm_up = int(rate)
            await _send(app, range(count + 1, count + warm_up + 1), rate, command, {})
            await _replied(timed, warm_up)
            sent: dict[int, float] = {}
            cpu = time.process_time()
            achieved = await _send(app, range(1, count + 1), rate, command, sent)
            await _replied(timed, warm_up + count)
            cpu = time.process_time() - cpu
        finally:
            await app.stop()
            assert app.post_stop is not None and app.post_shutdown is not None
            await app.post_stop(app)
            await app.shutdown()
            await app.post_shutdown(app)
    latencies = sorted(
        (timed.replied[user] - at) * 1000 for user, at in sent.items() if user in timed.replied
    )
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return Latency(
        backend if at_once is None else f"{backend} ({at_once} at once)",
        command,
        count,
        len(latencies),
        statistics.median(latencies),
        quantiles[98],
        latencies[-1],
        achieved,
        cpu * 1000 / count,
    )


async def _send(app: Any, users: range, rate: float, command: str, sent: dict[int, float]) -> float:
    """One update from each user, paced at `rate`; returns the rate reached."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    for i, user_id in enumerate(users):
        # Paced from the start, not from the last put, so delays do not add up.
        await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
        update = _update(user_id, user_id, command, app.bot)
        sent[user_id] = time.perf_counter()
        await app.update_queue.put(update)
    return len(users) / (loop.time() - start)


async def _replied(timed: TimedRequest, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(timed.replied) < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


async def run(backends: list[str], users: int, rate: float, seconds: float) -> None:
    print(
        f"command latency, in process: update in -> reply's sendMessage out; {rate:.0f} updates/s "
        f"for {seconds:.0f} s, each from another of {users:,} users"
    )
    print(
        f"  {'backend':<22} {'command':<20} {'updates':>7} {'replied':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'rate/s':>7} {'CPU ms':>7}"
    )
    # The bot handles chats at once; beside it, the same run one update at a time (PTB's default).
    runs = [(backend, at_once) for backend in backends for at_once in (None, 1)]
    for backend, at_once in runs:
        for command in COMMANDS:
            f = await measure(backend, users, rate, seconds, command, at_once=at_once)
            print(
                f"  {f.backend:<22} {f.command:<20} {f.updates:>7,} {f.replied:>7,} "
                f"{f.p50_ms:>7.2f} {f.p99_ms:>7.2f} {f.max_ms:>7.1f} {f.achieved_rate:>7.0f} "
                f"{f.cpu_ms:>7.2f}"
            )
