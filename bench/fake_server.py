"""Runs the fake Bot API in its own process, so a benchmark measures the bot and not the fake.

python -m bench.fake_server TOKEN USERS [--enforce-rate-limits]

Prints the port, serves until stdin closes, then prints one JSON line: successful sendMessage
calls, the 429s Telegram's limits produced (with --enforce-rate-limits: 30/s, 1/s per chat),
the times of the first and last successful sendMessage, and the fake's own CPU seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from sandbox import FakeBotApi


async def serve(token: str, users: int, enforce_rate_limits: bool) -> None:
    async with FakeBotApi(token=token, enforce_rate_limits=enforce_rate_limits) as fake:
        for user_id in range(1, users + 1):
            fake.add_user(user_id)
        print(fake.port, flush=True)
        cpu = time.process_time()
        # Until the benchmark closes our stdin.
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        sent = fake.calls_to("sendMessage")
        summary = {
            "sent": len(sent),
            "rate_limited": fake.rate_limit_hits,
            "first": sent[0].at if sent else None,
            "last": sent[-1].at if sent else None,
            "cpu_s": time.process_time() - cpu,
        }
        print(json.dumps(summary), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_server")
    parser.add_argument("token")
    parser.add_argument("users", type=int)
    parser.add_argument("--enforce-rate-limits", action="store_true")
    args = parser.parse_args()
    asyncio.run(serve(args.token, args.users, args.enforce_rate_limits))


if __name__ == "__main__":
    main()
