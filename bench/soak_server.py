"""The crash soak's other process: the fake Telegram, the simulated clock and the simulated users.

They outlive the bot, which the soak kills with SIGKILL and starts again, so they run here.

    python -m bench.soak_server TOKEN USERS START [--press-every N]

prints `<Bot API port> <control port>` and serves until stdin closes. Users are ids 1..USERS.
The simulated clock stands still at START until POST /clock {"run": speed}.

The control API, on 127.0.0.1 only:
    GET  /clock     {"now", "speed"}: what the bot's RemoteClock (SIMULATED_CLOCK_URL) reads
    POST /clock     {"run": speed} starts time at that speed; {"jump": seconds} jumps forward
    POST /fault     {"status", "times", "retry_after"} the next sendMessage calls fail;
                    {"hang": seconds, "times"} they hang; {"clear": true} disarms everything
    GET  /report    every sendMessage, press and answer, and the updates not yet confirmed,
                    for the soak's checks
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from sandbox import FakeBotApi
from sandbox.state import Call

# How often the simulated users look for new reminders to press Taken on.
PRESS_SCAN_SECONDS = 0.02


class SimulatedTime:
    """Stands still until started; then runs at `speed` and can jump forward, never back."""

    def __init__(self, start: datetime) -> None:
        self._anchor = start
        self._anchor_real = time.monotonic()
        self.speed = 0.0

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._anchor_real) * self.speed
        return self._anchor + timedelta(seconds=elapsed)

    def run(self, speed: float) -> None:
        self._anchor, self._anchor_real = self.now(), time.monotonic()
        self.speed = speed

    def jump(self, seconds: float) -> None:
        self._anchor += timedelta(seconds=max(0.0, seconds))


class TakenPresser:
    """Simulated users: in every `every`-th chat, Taken is pressed on the first dose reminder.

    Each soak user has one reminder, so the first message with a Taken button is its first
    delivery; a follow-up after the press would be a dose reminder coming after Taken. A press
    with no answer after `again_after` seconds is pressed again, as a person would whose tap
    only spun: the bot may be down, or starting again after a kill. The soak then checks that
    every press, the first and the second, was answered in the end: none lost to a kill.
    """

    def __init__(self, fake: FakeBotApi, every: int, again_after: float = 5.0) -> None:
        self.fake = fake
        self.every = every
        self.again_after = again_after
        # chat -> (message id, callback data, query ids in order, when last pressed)
        self.pressed: dict[int, tuple[int, str, list[str], float]] = {}
        self._seen = 0

    async def run(self) -> None:
        while True:
            await asyncio.sleep(PRESS_SCAN_SECONDS)
            calls = self.fake.calls
            new, self._seen = calls[self._seen :], len(calls)
            for call in new:
                self._maybe_press(call)
            self._press_again()

    def _maybe_press(self, call: Call) -> None:
        if call.method != "sendMessage" or not call.ok or self.every <= 0:
            return
        chat_id = int(call.result["chat"]["id"])
        if chat_id % self.every or chat_id in self.pressed:
            return
        taken = [d for d in callback_data(call.result) if d.startswith("rem:t:")]
        if taken:
            message_id = call.result["message_id"]
            query_id = self.fake.press_button(chat_id, message_id, taken[0])
            self.pressed[chat_id] = (message_id, taken[0], [query_id], time.time())

    def _press_again(self) -> None:
        answered = self.fake.answered_callbacks()
        for chat_id, (message_id, data, queries, at) in list(self.pressed.items()):
            if any(q in answered for q in queries) or time.time() - at < self.again_after:
                continue
            queries.append(self.fake.press_button(chat_id, message_id, data))
            self.pressed[chat_id] = (message_id, data, queries, time.time())


def callback_data(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def report(fake: FakeBotApi, presser: TakenPresser) -> dict[str, Any]:
    sends: list[Any] = []
    answers: dict[Any, Any] = {}
    failed: list[Any] = []
    started = 0
    for call in fake.calls:
        if call.method == "setMyCommands":
            started += 1
        elif call.method == "sendMessage" and call.ok:
            sends.append(
                {
                    "chat_id": int(call.result["chat"]["id"]),
                    "at": call.at,
                    "data": callback_data(call.result),
                }
            )
        elif call.method == "answerCallbackQuery" and call.ok:
            answers.setdefault(str(call.params.get("callback_query_id")), call.at)
        elif not call.ok and call.method != "getUpdates":
            failed.append(
                {
                    "method": call.method,
                    "status": call.status,
                    "at": call.at,
                    # A press handled again after a kill is answered again, and refused.
                    "query_id": str(call.params.get("callback_query_id", "")),
                }
            )
    presses = [
        {"chat_id": chat, "query_ids": queries}
        for chat, (_, _, queries, _) in presser.pressed.items()
    ]
    return {
        "sends": sends,
        "answers": answers,
        "failed": failed,
        "presses": presses,
        "started": started,
        # Updates the bot has not confirmed: once it is 0, polling has confirmed (and, since it
        # confirms only what it has handled, handled) every press.
        "pending_updates": fake.pending_updates,
    }


def control_app(fake: FakeBotApi, clock: SimulatedTime, presser: TakenPresser) -> web.Application:
    async def get_clock(_: web.Request) -> web.Response:
        return web.json_response({"now": clock.now().isoformat(), "speed": clock.speed})

    async def post_clock(request: web.Request) -> web.Response:
        body = await request.json()
        if "run" in body:
            clock.run(float(body["run"]))
        if "jump" in body:
            clock.jump(float(body["jump"]))
        return await get_clock(request)

    async def post_fault(request: web.Request) -> web.Response:
        body = await request.json()
        times = int(body.get("times", 1))
        if body.get("clear"):
            fake.clear_faults()
        elif "hang" in body:
            fake.hang_next("sendMessage", float(body["hang"]), times=times)
        else:
            fake.fail_next(
                "sendMessage", int(body["status"]), retry_after=body.get("retry_after"), times=times
            )
        return web.json_response({"ok": True})

    async def get_report(_: web.Request) -> web.Response:
        return web.json_response(report(fake, presser))

    app = web.Application()
    app.router.add_get("/clock", get_clock)
    app.router.add_post("/clock", post_clock)
    app.router.add_post("/fault", post_fault)
    app.router.add_get("/report", get_report)
    return app


async def serve(token: str, users: int, start: datetime, press_every: int) -> None:
    clock = SimulatedTime(start)
    async with FakeBotApi(token=token) as fake:
        for user_id in range(1, users + 1):
            fake.add_user(user_id)
        presser = TakenPresser(fake, press_every)
        runner = web.AppRunner(control_app(fake, clock, presser), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        control_port = int(runner.addresses[0][1])
        pressing = asyncio.create_task(presser.run())
        print(fake.port, control_port, flush=True)
        try:
            # Until the soak closes our stdin.
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        finally:
            pressing.cancel()
            await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak_server")
    parser.add_argument("token")
    parser.add_argument("users", type=int)
    parser.add_argument("start", type=datetime.fromisoformat)
    parser.add_argument("--press-every", type=int, default=2)
    args = parser.parse_args()
    start = args.start if args.start.tzinfo else args.start.replace(tzinfo=UTC)
    asyncio.run(serve(args.token, args.users, start, args.press_every))


if __name__ == "__main__":
    main()
