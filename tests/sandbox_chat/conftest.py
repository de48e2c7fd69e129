"""Helpers for the sandbox chat tests: the sandbox as a subprocess, and its page's JSON API."""

from __future__ import annotations

import asyncio
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[2]
# 07:50 on a Monday in March: London is on UTC, so simulated UTC and local time agree.
START = "2026-03-02T07:50:00+00:00"
ZONE = "Europe/London"
_URL_LINE = re.compile(r"Chat in your browser: (http://127\.0\.0\.1:\d+/)")
_SETTINGS = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "ADMIN_IDS", "TELEGRAM_API_BASE_URL")

Message = dict[str, Any]


def sandbox_env() -> dict[str, str]:
    """The environment for a sandbox subprocess, without the bot's real settings."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTINGS}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def sandbox_command(db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bot", "sandbox", "--port", "0", "--db", str(db), *extra]


@dataclass
class SandboxProcess:
    process: subprocess.Popen[str]
    url: str
    output: list[str] = field(default_factory=list)


@contextmanager
def sandbox_process(db: Path, *extra: str, timeout: float = 30.0) -> Iterator[SandboxProcess]:
    """`python -m bot sandbox --no-terminal`, until its browser chat URL is printed; stopped
    with Ctrl-C (SIGINT) afterwards, which must end it cleanly."""
    process = subprocess.Popen(
        sandbox_command(db, "--no-terminal", *extra),
        cwd=REPO_ROOT,
        env=sandbox_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put("")  # end of output

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        url = _wait_for_url(lines, timeout)
        assert url is not None, f"the sandbox did not start: {''.join(output)}"
        yield SandboxProcess(process, url, output)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    shown = "".join(output)
    assert process.returncode == 0, shown
    assert "Sandbox stopped." in shown, shown


def _wait_for_url(lines: queue.Queue[str], timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            return None
        if not line:
            return None
        if match := _URL_LINE.search(line):
            return match.group(1)
    return None


class PageClient:
    """The browser chat's JSON API, as the page itself uses it."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url.rstrip("/")
        self.seen = 0  # the newest message id already looked at

    async def send(self, text: str) -> None:
        async with self.http.post(f"{self.url}/send", json={"text": text}) as response:
            assert response.status == 200, await response.text()

    async def press(self, message: Message, label: str) -> None:
        data = button(message, label)["data"]
        body = {"message_id": message["id"], "data": data}
        async with self.http.post(f"{self.url}/press", json=body) as response:
            assert response.status == 200, await response.text()

    async def messages(self) -> list[Message]:
        async with self.http.get(f"{self.url}/messages") as response:
            assert response.status == 200
            found: list[Message] = await response.json()
            return found

    async def wait_for(self, check: Callable[[Message], bool], within: float = 15.0) -> Message:
        """The first bot message that passes ``check``; new ones only, unless an edit is meant."""
        deadline = time.monotonic() + within
        while True:
            messages = await self.messages()
            for message in messages:
                if message["from_bot"] and check(message):
                    self.seen = max(self.seen, message["id"])
                    return message
            if time.monotonic() > deadline:
                texts = [m["text"][:70] for m in messages]
                raise AssertionError(f"no such bot message after {within}s; chat: {texts!r}")
            await asyncio.sleep(0.05)

    async def reply(self, contains: str, within: float = 15.0) -> Message:
        """The next new bot message containing ``contains``."""
        after = self.seen
        return await self.wait_for(lambda m: m["id"] > after and contains in m["text"], within)


def button(message: Message, label: str) -> dict[str, str]:
    for row in message["buttons"]:
        for candidate in row:
            if label in candidate["text"]:
                return dict(candidate)
    raise AssertionError(f"no {label!r} button under {message['text'][:60]!r}")


def local_time_plus(text: str, minutes: int) -> str:
    """The "It is HH:MM there" of a /timezone reply, plus ``minutes``, as HH:MM."""
    match = re.search(r"It is (\d\d):(\d\d) there", text)
    assert match is not None, text
    total = int(match.group(1)) * 60 + int(match.group(2)) + minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"
