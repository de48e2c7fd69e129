"""The machine's ceiling for sending: PTB's send_message alone, no database, no sender, against
the fake Bot API in its own process, over our aiohttp transport and over PTB's default httpx.
"""

from __future__ import annotations

import asyncio
import time

from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bench.broadcast import TOKEN, fake_in_another_process
from bot.transport import AiohttpRequest

TEXT = "💡 <b>Benchmark tip</b>\nKeep using a gentle moisturiser."


def _request(name: str) -> BaseRequest:
    if name == "httpx":
        return HTTPXRequest(connection_pool_size=256)
    return AiohttpRequest(connection_pool_size=256)


async def measure(transport: str, calls: int, in_flight: int) -> tuple[float, float]:
    """Calls a second, and this process's CPU milliseconds per call."""
    async with (
        fake_in_another_process(calls) as (base, _),
        Bot(TOKEN, base_url=base, request=_request(transport)) as bot,
    ):
        chats = iter(range(1, calls + 1))
        started, cpu = time.perf_counter(), time.process_time()

        async def worker() -> None:
            for chat in chats:
                await bot.send_message(chat, TEXT, parse_mode="HTML")

        await asyncio.gather(*(worker() for _ in range(in_flight)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return calls / elapsed, cpu * 1000 / calls


async def run(transports: list[str], calls: int, in_flight: int) -> None:
    print(
        f"send_message alone: {calls:,} calls, {in_flight} in flight, no cap; the fake in its "
        "own process"
    )
    for transport in transports:
        rate, cpu_ms = await measure(transport, calls, in_flight)
        print(f"  {transport:<8} {rate:>7.0f} calls/s  {cpu_ms:.3f} ms CPU per call")
