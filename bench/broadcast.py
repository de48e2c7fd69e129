"""Throughput of a broadcast through the real sender against the fake Bot API in another process.

Without limits at the fake, at the paid-broadcast cap (1000/s), with our aiohttp transport and
PTB's default httpx side by side; and against a fake that enforces Telegram's 30/s and 1/s per
chat, at the default cap of 25/s and at 29.5/s.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from telegram.request import BaseRequest, HTTPXRequest

import bot.app as app_module
from bench.databases import fresh_database
from bench.settings import bot_settings
from bot.app import build_application, running
from bot.config import Settings
from scheduler.broadcast import enqueue
from scheduler.clock import ManualClock
from storage import Database
from storage.models import (
    Delivery,
    DeliveryStatus,
)
from tests.seeding import draft_broadcast, insert_rows, user_row

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TOKEN = "123456:BENCH-broadcast-token"
ADMIN = 1


async def populate(db: Database, recipients: int) -> int:
    ids = range(ADMIN, recipients + 1)
    await insert_rows(db, (user_row(i, NOW, timezone="") for i in ids))
    async with db.session() as session:
        tip = "💡 <b>Benchmark tip</b>\nKeep using a gentle moisturiser."
        broadcast = draft_broadcast(ADMIN, NOW, tip)
        session.add(broadcast)
        await session.flush()
        await enqueue(session, broadcast, NOW, {ADMIN})
    return len(ids)


async def unfinished(db: Database) -> bool:
    """Whether a delivery is still pending or sending: one index probe, not a count, since the
    benchmark asks while the bot sends and its CPU is what is measured."""
    async with db.session() as session:
        found = await session.scalar(
            select(Delivery.id)
            .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
            .limit(1)
        )
    return found is not None


@dataclass(frozen=True)
class FakeReport:
    """What the fake saw: successful sendMessage calls, 429s from its limits, when the first and
    last successful sendMessage arrived (its clock), and its own CPU seconds."""

    sent: int
    rate_limited: int
    first: float | None
    last: float | None
    cpu_s: float


@asynccontextmanager
async def fake_in_another_process(
    users: int, *, enforce_rate_limits: bool = False, token: str = TOKEN
) -> AsyncIterator[tuple[str, list[FakeReport]]]:
    """The fake Bot API in a child process; yields its base URL and, afterwards, its report."""
    flags = ["--enforce-rate-limits"] if enforce_rate_limits else []
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.fake_server",
        token,
        str(users),
        *flags,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    port = int((await child.stdout.readline()).decode())
    reports: list[FakeReport] = []
    try:
        yield f"http://127.0.0.1:{port}/bot", reports
    finally:
        child.stdin.close()
        line = (await child.stdout.readline()).decode()
        if line:
            reports.append(FakeReport(**json.loads(line)))
        await child.wait()


@contextmanager
def transport(name: str) -> Iterator[None]:
    """The bot's HTTP transport: ours over aiohttp, or PTB's default (httpx) to compare with."""
    if name == "aiohttp":
        yield
        return

    def httpx_request(settings: Settings, *, connection_pool_size: int = 256) -> BaseRequest:
        timeouts = app_module.request_timeouts(settings)
        return HTTPXRequest(connection_pool_size=connection_pool_size, **timeouts)

    original = app_module.bot_request
    app_module.bot_request = httpx_request  # type: ignore[assignment]
    try:
        yield
    finally:
        app_module.bot_request = original


@dataclass(frozen=True)
class Run:
    backend: str
    transport: str
    cap: float
    group: int
    delivered: int
    elapsed_s: float  # from the bot's start to the database saying nothing is left
    rate: float  # messages a second, from the fake's clock: first to last sendMessage
    bot_cpu_ms: float  # this process's CPU per message: the bot, and SQLite on SQLite
    fake_cpu_ms: float  # the fake's CPU per message
    rate_limited: int  # 429s from the fake's limits


async def measure(
    backend: str,
    recipients: int,
    cap: float,
    group: int,
    *,
    transport_name: str = "aiohttp",
    enforce_rate_limits: bool = False,
) -> Run:
    async with (
        fresh_database(backend) as url,
        fake_in_another_process(recipients, enforce_rate_limits=enforce_rate_limits) as (
            base,
            reports,
        ),
    ):
        db = Database(url)
        total = await populate(db, recipients)
        settings = bot_settings(
            TOKEN, url, base, send_rate_per_second=cap, send_concurrency=group, tick_seconds=1.0
        )
        with transport(transport_name):
            app = build_application(settings, db=Database(url), clock=ManualClock(NOW))
        started, cpu = time.perf_counter(), time.process_time()
        async with running(app, poll_timeout=1):
            # Polling the table is the point: "done" is what the database says.
            while await unfinished(db):  # noqa: ASYNC110
                await asyncio.sleep(0.5)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        await db.dispose()
    [report] = reports
    sent = report.sent
    span = (report.last or 0.0) - (report.first or 0.0)
    return Run(
        backend=backend,
        transport=transport_name,
        cap=cap,
        group=group,
        delivered=total,
        elapsed_s=elapsed,
        rate=(sent - 1) / span if span > 0 else 0.0,
        bot_cpu_ms=cpu * 1000 / max(sent, 1),
        fake_cpu_ms=report.cpu_s * 1000 / max(sent, 1),
        rate_limited=report.rate_limited,
    )


# Telegram's own cap, which the fake enforces in the ratelimit benchmark.
TELEGRAM_CAP = 30.0


def _print(run: Run, enforced: bool) -> None:
    # Against the enforcing fake, the share of Telegram's 30/s; otherwise of the sender's cap.
    reference = TELEGRAM_CAP if enforced else run.cap
    print(
        f"  {run.backend:<9} {run.transport:<8} {run.cap:>7g} {run.group:>5} "
        f"{run.delivered:>7,} {run.elapsed_s:>7.1f} {run.rate:>8.1f} "
        f"{100 * run.rate / reference:>6.1f}% {run.bot_cpu_ms:>9.3f} {run.fake_cpu_ms:>9.3f} "
        f"{run.rate_limited:>5}"
    )


def _header(enforced: bool) -> str:
    share = "of 30/s" if enforced else "of cap"
    return (
        f"  {'backend':<9} {'HTTP':<8} {'cap/s':>7} {'group':>5} {'sent':>7} {'wall s':>7} "
        f"{'msg/s':>8} {share:>7} {'bot CPU':>9} {'fake CPU':>9} {'429s':>5}"
    )


async def run(
    backends: list[str],
    recipients: int,
    caps: list[float],
    groups: list[int],
    transports: list[str],
    *,
    enforce_rate_limits: bool = False,
) -> None:
    limits = "enforcing 30/s and 1/s per chat" if enforce_rate_limits else "with no limits"
    print(
        f"broadcast: {recipients:,} recipients; the fake Bot API in its own process, {limits}; "
        "msg/s from the fake's clock (first to last sendMessage); CPU in ms per message"
    )
    print(_header(enforce_rate_limits))
    for backend in backends:
        for cap in caps:
            for group in groups:
                for transport_name in transports:
                    figures = await measure(
                        backend,
                        recipients,
                        cap,
                        group,
                        transport_name=transport_name,
                        enforce_rate_limits=enforce_rate_limits,
                    )
                    _print(figures, enforce_rate_limits)
