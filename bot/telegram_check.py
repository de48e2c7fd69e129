"""Start-up's first call to Telegram, getMe: patience while it cannot be reached, and one sentence
and an exit status of its own when it never answers or refuses the token.

- **Telegram cannot be reached** (no network yet, DNS, a proxy, a wrong TELEGRAM_API_BASE_URL, a
  5xx): tried again, the wait doubling from 1 s to 15 s, for six TELEGRAM_TIMEOUT_SECONDS (a
  minute by default), each failure logged in one line; then exit status 3. Waiting serves an
  operator better than exiting at once: a container or a machine often starts before its network
  is up, and a blip should not cost a restart, with its migrations, in a crash loop.
- **Telegram refuses the token** (401, or 404 for a token it does not know): exit status 4 at
  once. Asking again cannot help, and a restart policy should not keep knocking with it.

getMe is the Application's own Bot being initialized, so PTB's `Application.initialize` later
finds it ready and does not ask again; on failure its HTTP sessions are closed, so nothing is
left unclosed. No traceback: what went wrong is named in the sentence, with the token taken out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.config import Settings
from bot.services import IsobotApp
from bot.startup_errors import EXIT_TOKEN_REJECTED, EXIT_UNREACHABLE, StartupError
from scheduler.outcomes import seconds_of

log = logging.getLogger("isobot.telegram_check")

A = TypeVar("A", bound=IsobotApp)

# How long start-up keeps trying, in TELEGRAM_TIMEOUT_SECONDS (the longest one try may take):
# a minute by default, and a test that sets a short timeout waits only a little.
PATIENCE_IN_TIMEOUTS = 6
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 15.0


def next_wait(failures: int, remaining: float, first: float = FIRST_WAIT_SECONDS) -> float | None:
    """The wait before the next try after `failures` failed ones, or None once the patience
    (`remaining` seconds of it) is spent: doubling from `first`, at most MAX_WAIT_SECONDS, and
    never past the deadline."""
    if remaining <= 0:
        return None
    return min(first * 2 ** (failures - 1), MAX_WAIT_SECONDS, remaining)


async def serve_when_reachable(
    app: A, settings: Settings, serve: Callable[[A], Awaitable[None]]
) -> None:
    """Run `serve(app)` once Telegram has answered getMe; return without serving when SIGINT or
    SIGTERM comes first. StartupError when it never answers or refuses the token."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # While waiting, a stop must not wait for the patience to run out: `docker stop` sends
    # SIGTERM, which a process with no handler ignores as a container's PID 1.
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        reached = await reach_telegram(app.bot, settings, stop)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    if reached:
        await serve(app)


async def reach_telegram(
    bot: Bot, settings: Settings, stop: asyncio.Event, first_wait: float = FIRST_WAIT_SECONDS
) -> bool:
    """Initialize `bot` (its HTTP sessions, then getMe), trying again while Telegram cannot be
    reached. True once it answered; False when `stop` was set first, with the bot shut down.
    StartupError, with the bot shut down, when it never answered or refused the token."""
    try:
        reached = await _keep_trying(bot, settings, stop, first_wait)
    except BaseException:
        await bot.shutdown()
        raise
    if not reached:
        await bot.shutdown()
    return reached


async def _keep_trying(
    bot: Bot, settings: Settings, stop: asyncio.Event, first_wait: float
) -> bool:
    loop = asyncio.get_running_loop()
    patience = settings.telegram_timeout_seconds * PATIENCE_IN_TIMEOUTS
    deadline = loop.time() + patience
    where = _api_origin(settings.telegram_api_base_url)
    failures = 0
    while True:
        try:
            return await _unless_stopped(bot.initialize(), stop)
        except InvalidToken as error:
            raise StartupError(_refused(error, bot.token, where), EXIT_TOKEN_REJECTED) from None
        except TelegramError as error:  # unreachable, timed out, 5xx, flood control, ...
            failures += 1
            reason = _reason(error, bot.token)
            wait = _wait_after(error, failures, deadline - loop.time(), first_wait)
        if wait is None:
            raise StartupError(
                f"Telegram could not be reached at {where} in {patience:g} s of trying "
                f"({reason}): check this machine's network and proxy settings, "
                "and TELEGRAM_API_BASE_URL if it is set.",
                EXIT_UNREACHABLE,
            )
        log.warning("Telegram cannot be reached yet (%s); trying again in %.1f s", reason, wait)
        if not await _unless_stopped(asyncio.sleep(wait), stop):
            return False


async def _unless_stopped(step: Awaitable[None], stop: asyncio.Event) -> bool:
    """Await `step`; True when it finished (its error raised), False when `stop` came first,
    with `step` cancelled."""
    task = asyncio.ensure_future(step)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if task.cancelled():
        return False
    task.result()
    return True


def _wait_after(
    error: TelegramError, failures: int, remaining: float, first: float
) -> float | None:
    if isinstance(error, RetryAfter):
        # Flood control says how long; asking sooner only extends it.
        asked = seconds_of(error.retry_after)
        return asked if asked <= remaining else None
    return next_wait(failures, remaining, first)


def _refused(error: InvalidToken, token: str, where: str) -> str:
    # PTB's own message quotes the token; Telegram's answer is the error it was made from.
    answer = _reason(error.__cause__ or error, token)
    if answer == "Unauthorized":
        return (
            "Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized): it was revoked or mistyped; "
            "put the bot's current token from @BotFather in the environment or .env."
        )
    return (
        f"Telegram refused TELEGRAM_BOT_TOKEN at {where} ({answer}): check the token from "
        "@BotFather, and TELEGRAM_API_BASE_URL if it is set."
    )


def _reason(error: BaseException, token: str) -> str:
    """The error in a few words, without the token (an invalid URL error quotes the URL)."""
    text = str(error).replace(token, "<token>") if token else str(error)
    return text or type(error).__name__


def _api_origin(base_url: str) -> str:
    """Scheme, host and port of the Bot API: its path may hold the token ({token})."""
    parts = urlsplit(base_url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a number: the error will say more
        port = ""
    if not parts.scheme or not parts.hostname:
        return "TELEGRAM_API_BASE_URL"
    return f"{parts.scheme}://{parts.hostname}{port}"
