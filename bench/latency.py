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

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CommandHandler, Defaults, ExtBot
from telegram.request import BaseRequest, RequestData

import bot.app as app_module
from bench.broadcast import TOKEN, fake_in_another_process
from bench.databases import fresh_database
from bench.population import NOW, populate
from bench.settings import bot_settings
from bot.app import build_application
from bot.config import Settings
from bot.keyboards import topic_keyboard
from bot.transport import AiohttpRequest
from bot.updates import PerChatUpdateProcessor
from content import load_library, topic_message
from scheduler.clock import ManualClock
from storage import Database

COMMANDS = ("/sebum", "/remind dose 08:00")
# The picture mix (run_mix): this share of the updates asks for the /history calendar.
PICTURE = "/history"
PICTURE_SHARE = 0.05


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
    backend: str,
    users: int,
    rate: float,
    seconds: float,
    command: str,
    *,
    at_once: int | None,
    picture_share: float = 0.0,
) -> Latency:
    """One run; `at_once` overrides how many updates the bot handles at once (None: the bot's
    own choice); with `picture_share`, that share of the updates ask for /history instead, and
    only the others are timed."""
    count = min(int(rate * seconds), users - int(rate))
    async with fresh_database(backend) as url, fake_in_another_process(users) as (base, _):
        db = Database(url)
        await populate(db, users)  # users with a zone and reminders, as a running bot has
        await db.dispose()
        settings = bot_settings(TOKEN, url, base)
        original = app_module.bot_request
        timed = TimedRequest(read_timeout=10.0, write_timeout=10.0, connect_timeout=10.0)

        def timed_request(settings: Settings, *, connection_pool_size: int = 256) -> BaseRequest:
            if connection_pool_size > 1:
                return timed
            return original(settings, connection_pool_size=1)

        app_module.bot_request = timed_request  # type: ignore[assignment]
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
            driven = await _drive(app, timed, rate, count, command, picture_share)
        finally:
            await app.stop()
            assert app.post_stop is not None and app.post_shutdown is not None
            await app.post_stop(app)
            await app.shutdown()
            await app.post_shutdown(app)
    label = backend if at_once is None else f"{backend} ({at_once} at once)"
    if picture_share:
        label += f", {picture_share:.0%} {PICTURE}"
    return driven.latency(label, command, timed)


@dataclass(frozen=True)
class _Driven:
    """One timed pass: when each counted update went in, the rate reached, the CPU spent."""

    sent: dict[int, float]
    achieved_rate: float
    cpu_s: float

    def latency(self, label: str, command: str, timed: TimedRequest) -> Latency:
        replied = timed.replied
        latencies = sorted((replied[u] - at) * 1000 for u, at in self.sent.items() if u in replied)
        quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
        count = len(self.sent)
        return Latency(
            label,
            command,
            count,
            len(latencies),
            statistics.median(latencies),
            quantiles[98],
            latencies[-1],
            self.achieved_rate,
            self.cpu_s * 1000 / count,
        )


async def _drive(
    app: Any, timed: TimedRequest, rate: float, count: int, command: str, share: float = 0.0
) -> _Driven:
    """Warm up, then send `count` updates at `rate` and wait for their replies."""
    # A second of other users' updates first, not counted: it opens the pool's
    # connections and fills the statement caches, which only the first replies pay (and, in
    # the picture mix, starts the drawing worker, which only the first picture pays).
    warm_up = int(rate)
    warmed: dict[int, float] = {}
    await _send(app, range(count + 1, count + warm_up + 1), rate, command, warmed, share)
    await _replied(timed, len(warmed))
    sent: dict[int, float] = {}
    cpu = time.process_time()
    achieved = await _send(app, range(1, count + 1), rate, command, sent, share)
    await _replied(timed, len(warmed) + len(sent))
    return _Driven(sent, achieved, time.process_time() - cpu)


FLOOR = "floor: PTB alone"


async def measure_floor(users: int, rate: float, seconds: float) -> Latency:
    """The same updates, driven the same way, into a bare PTB Application: the bot's transport
    and update processor, the bot's defaults, and one handler that replies with a fixed text
    (/sebum's answer and buttons, made once). No database, no tick, no sender: what PTB, the
    transport and this benchmark cost per update, which no handler of ours can go below."""
    count = min(int(rate * seconds), users - int(rate))
    library = load_library()
    topic = library.topics["sebum"]
    text = topic_message(topic, library)
    markup = topic_keyboard([library.topics[c] for c in topic.related])

    async def reply(update: Update, context: Any) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)

    async with fake_in_another_process(users) as (base, _):
        timed = TimedRequest(read_timeout=10.0, write_timeout=10.0, connect_timeout=10.0)
        bot: ExtBot[None] = ExtBot(
            TOKEN,
            base_url=base,
            request=timed,
            get_updates_request=AiohttpRequest(connection_pool_size=1),
            defaults=Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        app = (
            ApplicationBuilder()
            .bot(bot)
            .updater(None)
            .concurrent_updates(PerChatUpdateProcessor(app_module.UPDATES_AT_ONCE))
            .build()
        )
        app.add_handler(CommandHandler("sebum", reply))
        await app.initialize()
        await app.start()
        try:
            driven = await _drive(app, timed, rate, count, "/sebum")
        finally:
            await app.stop()
            await app.shutdown()
    return driven.latency(FLOOR, "/sebum (fixed text)", timed)


async def _send(
    app: Any,
    users: range,
    rate: float,
    command: str,
    sent: dict[int, float],
    picture_share: float = 0.0,
) -> float:
    """One update from each user, paced at `rate`; returns the rate reached. With
    `picture_share`, evenly spread updates ask for /history; they are not noted in `sent`."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    every = round(1 / picture_share) if picture_share else 0
    for i, user_id in enumerate(users):
        # Paced from the start, not from the last put, so delays do not add up.
        await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
        picture = every and i % every == every // 2
        update = _update(user_id, user_id, PICTURE if picture else command, app.bot)
        if not picture:
            sent[user_id] = time.perf_counter()
        await app.update_queue.put(update)
    return len(users) / (loop.time() - start)


async def _replied(timed: TimedRequest, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(timed.replied) < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


async def run(backends: list[str], users: int, rate: float, seconds: float) -> None:
    """Two passes: at `rate`, with the bot one update at a time beside it; then, for the bot's
    setting only, at half the capacity the first pass measured, a rate the machine sustains."""
    rows = await _pass(backends, users, rate, seconds, modes=(None, 1))
    # Capacity: the bot is one Python thread, so one core over its CPU per update, for the
    # costliest command; half of it leaves room for what shares the machine.
    capacity = min(1000 / r.cpu_ms for r in rows if r.backend in backends)
    print(f"capacity of the costliest command: {capacity:.0f} updates/s on one core")
    await _pass(backends, users, round(capacity / 2), seconds, modes=(None,))


async def _pass(
    backends: list[str], users: int, rate: float, seconds: float, *, modes: tuple[int | None, ...]
) -> list[Latency]:
    """The floor first, then each backend and command; each row's CPU beside the floor's."""
    print(
        f"command latency, in process: update in -> reply's sendMessage out; {rate:.0f} updates/s "
        f"for {seconds:.0f} s, each from another of {users:,} users"
    )
    print(
        f"  {'backend':<22} {'command':<20} {'updates':>7} {'replied':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'rate/s':>7} {'CPU ms':>7} {'x floor':>7}"
    )
    floor = await measure_floor(users, rate, seconds)
    _print_row(floor, floor)
    rows = []
    # The bot handles chats at once; beside it, the same run one update at a time (PTB's default).
    for backend, at_once in [(backend, at_once) for backend in backends for at_once in modes]:
        for command in COMMANDS:
            row = await measure(backend, users, rate, seconds, command, at_once=at_once)
            _print_row(row, floor)
            rows.append(row)
    return rows


def _print_row(f: Latency, floor: Latency) -> None:
    print(
        f"  {f.backend:<22} {f.command:<20} {f.updates:>7,} {f.replied:>7,} "
        f"{f.p50_ms:>7.2f} {f.p99_ms:>7.2f} {f.max_ms:>7.1f} {f.achieved_rate:>7.0f} "
        f"{f.cpu_ms:>7.2f} {f.cpu_ms / floor.cpu_ms:>7.2f}"
    )


async def run_mix(backends: list[str], users: int, rate: float, seconds: float) -> None:
    """Each command alone, then with 5% of the updates asking for the /history calendar: the
    other commands' latency beside drawing (issue 15: p99 within 1 ms)."""
    print(
        f"command latency with and without {PICTURE_SHARE:.0%} {PICTURE} pictures; "
        f"{rate:.0f} updates/s for {seconds:.0f} s, each from another of {users:,} users"
    )
    print(
        f"  {'backend':<22} {'command':<20} {'updates':>7} {'replied':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'rate/s':>7} {'CPU ms':>7} {'x floor':>7}"
    )
    floor = await measure_floor(users, rate, seconds)
    for backend in backends:
        for command in COMMANDS:
            for share in (0.0, PICTURE_SHARE):
                row = await measure(
                    backend, users, rate, seconds, command, at_once=None, picture_share=share
                )
                _print_row(row, floor)
