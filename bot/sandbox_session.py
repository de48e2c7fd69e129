"""`python -m bot sandbox`: the real bot against the fake Telegram, with a person on the other side.

One event loop runs the strict fake Bot API from sandbox/, the real Application polling it, the
browser chat and, at a terminal, the terminal chat. Nothing listens beyond 127.0.0.1, no token is
needed, and the data goes to a SQLite file of its own. Time is simulated: it can run faster than
real time (--speed) and jump forward (/sandbox_time +2h).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, select

from bot.app import build_application, running
from bot.config import Settings
from bot.handlers import sandbox_time
from bot.logs import configure_logging
from bot.services import IsobotApp
from sandbox import FakeBotApi
from sandbox.chat import PersonChat
from sandbox.chat_page import ChatPage
from sandbox.terminal import TerminalChat, restore_terminal
from scheduler.clock import ScaledClock
from storage import Database
from storage.migrate import upgrade
from storage.models import Delivery, User
from storage.private_files import make_private_file
from storage.users import Sighting, record_seen

# Shaped like a BotFather token so the real code path checks it; it opens nothing but the fake.
SANDBOX_USER = 1
FIRST_SIMULATED_USER = 1001
# One simulated user in ten has blocked the bot, so a broadcast report shows both outcomes.
BLOCKED_EVERY = 10
SIMULATED_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
DEFAULT_PORT = 8800
DEFAULT_DB = Path("data/sandbox.sqlite3")
MAX_SPEED = 10_000.0
MAX_USERS = 10_000


class SandboxError(RuntimeError):
    """The sandbox cannot start; the message says what to do instead."""


@dataclass(frozen=True)
class SandboxOptions:
    speed: float = 1.0
    users: int = 0
    port: int = DEFAULT_PORT
    db: Path = DEFAULT_DB
    start: datetime | None = None
    terminal: bool = True
    fresh: bool = False


def _speed(text: str) -> float:
    value = float(text)
    if not 0 < value <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"choose a speed above 0 and at most {MAX_SPEED:g}")
    return value


def _users(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_USERS:
        raise argparse.ArgumentTypeError(f"choose from 0 to {MAX_USERS} users")
    return value


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        # As it was started: the console script, or the module.
        prog=f"{'isobot' if Path(sys.argv[0]).name == 'isobot' else 'python -m bot'} sandbox",
        description="Try isobot with no Telegram token: the real bot, a fake Telegram on "
        "127.0.0.1, and a chat in this terminal and in the browser.",
    )
    parser.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="N",
        help="run simulated time N times faster (default 1)",
    )
    parser.add_argument(
        "--users",
        type=_users,
        default=0,
        metavar="N",
        help="add N simulated users, for /broadcast and /stats",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="P",
        help=f"port of the browser chat on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DB,
        metavar="PATH",
        help=f"SQLite file (default {DEFAULT_DB})",
    )
    parser.add_argument(
        "--start",
        type=_instant,
        default=None,
        metavar="WHEN",
        help="simulated start time, ISO 8601 such as 2026-03-29T00:30Z (default: now)",
    )
    parser.add_argument(
        "--no-terminal", action="store_true", help="only the browser chat, no terminal chat"
    )
    parser.add_argument("--fresh", action="store_true", help="delete the sandbox's data first")
    return parser


def parse_options(argv: list[str]) -> SandboxOptions:
    args = parser().parse_args(argv)
    return SandboxOptions(
        speed=args.speed,
        users=args.users,
        port=args.port,
        db=args.db,
        start=args.start,
        terminal=not args.no_terminal,
        fresh=args.fresh,
    )


def tick_seconds(speed: float) -> float:
    """How often the dispatcher looks: at most a simulated minute apart, so a reminder is not
    late by the scheduler's own doing, and never busier than 20 times a second."""
    return min(0.5, max(0.05, 60.0 / speed))


def sandbox_settings(fake: FakeBotApi, database_url: str, speed: float) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": fake.token,
        "telegram_api_base_url": fake.base_url,
        "database_url": database_url,
        "admin_ids": frozenset({SANDBOX_USER}),
        "tick_seconds": tick_seconds(speed),
        # Polling the fake, whatever BOT_MODE or HEALTH_LISTEN the environment holds.
        "bot_mode": "polling",
        "health_listen": "",
    }
    # No .env: a production DATABASE_URL or token there must not reach the sandbox.
    return Settings(_env_file=None, **values)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _latest_moment(db: Database) -> datetime | None:
    """The latest simulated time the kept data was written at, if any."""
    async with db.session() as session:
        seen = await session.scalar(select(func.max(User.last_seen_at)))
        changed = await session.scalar(select(func.max(Delivery.updated_at)))
    return max((t for t in (seen, changed) if t is not None), default=None)


async def _seed_users(db: Database, fake: FakeBotApi, count: int, now: datetime) -> None:
    """Add the simulated users, then tell the fake about everyone the database knows, so the
    bot can write to people from earlier runs as Telegram would let it."""
    async with db.session() as session:
        for number in range(count):
            user_id = FIRST_SIMULATED_USER + number
            user = await record_seen(session, Sighting.once(user_id, user_id, "en", now))
            if not user.timezone:
                user.timezone = SIMULATED_ZONES[number % len(SIMULATED_ZONES)]
        known = list(await session.scalars(select(User.id)))
    for user_id in known:
        if user_id == SANDBOX_USER:
            continue
        fake.add_user(user_id, first_name=f"Simulated {user_id}")
        number = user_id - FIRST_SIMULATED_USER + 1
        if number > 0 and number % BLOCKED_EVERY == 0:
            fake.block_chat(user_id)


class Sandbox:
    """The fake Telegram, the real bot and the browser chat, started and stopped together."""

    def __init__(self, options: SandboxOptions, *, log: TextIO | None = None) -> None:
        self.options = options
        start = options.start or datetime.now(UTC)
        self.clock = ScaledClock(start, options.speed)
        # A new random token each run: a page elsewhere cannot guess the fake's API address.
        self.fake = FakeBotApi(
            bot_username="isobot_sandbox_bot",
            clock=lambda: self.clock.now().timestamp(),
        )
        self.chat = PersonChat(self.fake, SANDBOX_USER)
        self.page = ChatPage(self.chat, status=self.status)
        self.app: IsobotApp | None = None
        self.log_path = options.db.with_suffix(".log")
        self._log = log
        self._stack = contextlib.AsyncExitStack()

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.options.db.resolve()}"

    def status(self) -> str:
        return f"🕰 {self.clock.now():%a %d %b %Y, %H:%M} UTC · {self.clock.speed:g}× speed"

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self._stack.aclose()
            raise

    async def _start(self) -> None:
        options = self.options
        if options.fresh:
            _remove_database(options.db)
        if self._log is None:
            # Private as the database beside it: the log holds user ids and what befell them.
            make_private_file(self.log_path)
            self._log = self._stack.enter_context(self.log_path.open("a", encoding="utf-8"))
        await upgrade(self.database_url)
        await self.fake.start()
        self._stack.push_async_callback(self.fake.stop)
        try:
            await self.page.start(options.port)
        except OSError as error:
            problem = (
                f"Port {options.port} on 127.0.0.1 is taken"
                if error.errno == errno.EADDRINUSE
                else f"Cannot listen on 127.0.0.1:{options.port} ({error})"
            )
            raise SandboxError(
                f"{problem}: choose another with --port, or --port 0 for any free one."
            ) from None
        self._stack.push_async_callback(self.page.stop)
        settings = sandbox_settings(self.fake, self.database_url, options.speed)
        configure_logging(settings.log_level, secrets=[self.fake.token], stream=self._log)
        db = Database(settings.database_url)
        latest = await _latest_moment(db)
        if latest is not None and latest > self.clock.now():
            # Time only moves forward: a restart goes on from where the kept data left off,
            # or the dose taken a simulated day ahead would lie in the future.
            self.clock.jump(latest - self.clock.now())
        await _seed_users(db, self.fake, options.users, self.clock.now())
        self.app = build_application(settings, db=db, clock=self.clock)
        sandbox_time.register(self.app)
        await self._stack.enter_async_context(running(self.app, poll_timeout=1))

    async def stop(self) -> None:
        await self._stack.aclose()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


def banner(sandbox: Sandbox, *, terminal: bool) -> str:
    options = sandbox.options
    lines = [
        "isobot sandbox: the real bot, talking to a fake Telegram on this machine. "
        "No token, no network.",
        f"  Chat in your browser: {sandbox.page.url}",
    ]
    if terminal:
        lines.append("  Or chat here: type a message or a /command; a number presses that button.")
    lines += [
        f"  Simulated time: {sandbox.status().removeprefix('🕰 ')}. /sandbox_time +2h jumps ahead.",
        f"  You are user {SANDBOX_USER}, an admin: /broadcast and /stats work. "
        f"Simulated users: {options.users}.",
        f"  Fake Bot API: {sandbox.fake.base_url}<token>/  Data: {options.db}  "
        f"Log: {sandbox.log_path}",
        "Send /start to begin. Stop with Ctrl-C" + (" or Ctrl-D." if terminal else "."),
    ]
    return "\n".join(lines)


@contextlib.asynccontextmanager
async def _stop_on_sigterm() -> AsyncIterator[None]:
    """SIGTERM stops the sandbox as cleanly as Ctrl-C does."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    try:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)  # type: ignore[union-attr]
    except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def serve(options: SandboxOptions) -> None:
    """Run the sandbox until Ctrl-C, SIGTERM or, in the terminal chat, Ctrl-D."""
    terminal = options.terminal and sys.stdin.isatty()
    async with _stop_on_sigterm(), Sandbox(options) as sandbox:
        print(banner(sandbox, terminal=terminal), flush=True)
        if options.terminal and not terminal:
            print("(Standard input is not a terminal: only the browser chat runs.)", flush=True)
        if terminal:
            await TerminalChat(sandbox.chat).run()
        else:
            await asyncio.Event().wait()


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    # Ctrl-C is how a person stops the sandbox, even when started from a shell that ignores it
    # (a background job of a script); asyncio.run only takes over SIGINT when it has this handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    restore = restore_terminal()
    try:
        asyncio.run(serve(options))
    except SandboxError as error:
        print(error, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        restore()
    print("\nSandbox stopped.", flush=True)
    return 0
