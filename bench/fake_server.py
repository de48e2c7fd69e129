"""Runs the fake Bot API in its own process, so a benchmark measures the bot and not the fake.

python -m bench.fake_server TOKEN USERS    # prints the port, serves until stdin closes
"""

from __future__ import annotations

import asyncio
import sys

from sandbox import FakeBotApi


async def serve(token: str, users: int) -> None:
    async with FakeBotApi(token=token) as fake:
        for user_id in range(1, users + 1):
            fake.add_user(user_id)
        print(fake.port, flush=True)
        # Until the benchmark closes our stdin.
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        print(len(fake.calls_to("sendMessage")), flush=True)


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], int(sys.argv[2])))
