"""The composition root: the only place that knows every part of the bot."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TypedDict, cast

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults

from bot.broadcast_progress import report_progress
from bot.checkin_message import checkin_renderer
from bot.config import Settings
from bot.handlers import (
    broadcast,
    cancel,
    chat_scope,
    checkin,
    checks,
    course,
    doses,
    errors,
    flood,
    freetext,
    media,
    privacy,
    remind,
    reminder_buttons,
    reminders,
    report,
    start,
    stats,
    timezone,
    topics,
    unknown,
    urgent,
    users,
)
from bot.listener import start_listeners, stop_listeners
from bot.polling import Poller
from bot.redelivery import RedeliverySafeBot
from bot.services import CONTEXT_TYPES, Context, IsobotApp, Services
from bot.session_guard import SessionGuardedRequest
from bot.updates import PerChatUpdateProcessor
from bot.weekly_summary import summary_renderer
from content import Library, load_library
from scheduler.broadcast import render_broadcast
from scheduler.claims import Renderers
from scheduler.clock import Clock, RemoteClock, SystemClock
from scheduler.dispatcher import dispatch_due
from scheduler.pacing import Pacing
from scheduler.policy import Policy
from scheduler.send_loop import SendLoop
from scheduler.sender import Sender
from storage import Database
from storage.advisory_lock import AdvisoryLock, lock_key
from storage.models import Purpose, ReminderKind

log = logging.getLogger("isobot")

# Updates handled at once, across chats; more wait in PTB's queue. On SQLite their transactions
# still take turns (storage/db.py), but one update's network calls overlap another's database work.
UPDATES_AT_ONCE = 64

# The order is deliberate: the chat scope (personal data in private chats only), the flood
# guard and users first (groups of their own, the scope lowest), the areas, then free text,
# and the unknown-command catch-all last, because within a group the first matching handler
# wins.
AREAS = (
    chat_scope,
    flood,
    users,
    start,
    cancel,
    urgent,
    topics,
    timezone,
    remind,
    reminders,
    reminder_buttons,
    doses,
    course,
    report,
    checks,
    checkin,
    privacy,
    broadcast,
    stats,
    freetext,
    media,
    unknown,
    errors,
)


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    library: Library | None = None,
) -> IsobotApp:
    """Build the Application with every handler; raises ConfigError on a bad token, or on
    webhook mode without its URL or secret."""
    token = settings.token()
    if settings.bot_mode == "webhook":
        settings.webhook()
    svc = Services(
        settings=settings,
        db=db or Database(settings.database_url),
        library=library or load_library(),
        clock=clock or clock_from(settings),
        policy=policy_from(settings),
    )
    # Built here rather than by the builder: a handler may see its update twice (bot/polling.py),
    # and this Bot takes Telegram's "answered already" and "not modified" as done.
    telegram_bot = RedeliverySafeBot(
        token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.base_file_url(),
        # aiohttp, not PTB's default httpx: an eighth of the CPU per call, which the paid
        # broadcast cap (1000/s) needs. Long polling gets its own single connection.
        request=bot_request(settings),
        get_updates_request=bot_request(settings, connection_pool_size=1),
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )
    # PTB's builder types lose the JobQueue's context type and keep the Bot's subclass; the
    # Application is the one IsobotApp names (bot/services.py), bot_data with typed services.
    app = cast(
        IsobotApp,
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .bot(telegram_bot)
        # No PTB Updater: it confirms updates before they are handled. bot/polling.py polls.
        .updater(None)
        # Chats at once, each chat in order (bot/updates.py): one at a time, a command's reply
        # waited behind every update before it.
        .concurrent_updates(PerChatUpdateProcessor(UPDATES_AT_ONCE))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build(),
    )
    app.bot_data.services = svc
    for area in AREAS:
        area.register(app)
    assert app.job_queue is not None
    # One short repeating job for all reminders: reminders are rows, never jobs of their own.
    app.job_queue.run_repeating(_tick, interval=settings.tick_seconds, first=0.0, name="dispatch")
    app.job_queue.run_repeating(
        report_progress, interval=max(settings.tick_seconds, 2.0), name="broadcast-progress"
    )
    return app


def bot_request(settings: Settings, *, connection_pool_size: int = 256) -> SessionGuardedRequest:
    """The HTTP transport for Bot API calls, with the timeouts from the settings; it checks
    that no call starts inside a database session (bot/session_guard.py)."""
    return SessionGuardedRequest(
        connection_pool_size=connection_pool_size,
        # Uploads (/export) get at least PTB's default time to write the file.
        media_write_timeout=max(settings.telegram_timeout_seconds, 20.0),
        **request_timeouts(settings),
    )


class RequestTimeouts(TypedDict):
    read_timeout: float
    write_timeout: float
    connect_timeout: float


def request_timeouts(settings: Settings) -> RequestTimeouts:
    """Read, write and connect timeouts for a PTB request, all the one from the settings."""
    timeout = settings.telegram_timeout_seconds
    return {"read_timeout": timeout, "write_timeout": timeout, "connect_timeout": timeout}


def clock_from(settings: Settings) -> Clock:
    """The real clock; the crash soak's simulated one when SIMULATED_CLOCK_URL says so."""
    if settings.simulated_clock_url:
        log.warning("using the simulated clock at %s (testing only)", settings.simulated_clock_url)
        return RemoteClock(settings.simulated_clock_url)
    return SystemClock()


def policy_from(settings: Settings) -> Policy:
    return Policy(
        dose_grace=timedelta(minutes=settings.dose_grace_minutes),
        care_grace=timedelta(minutes=settings.care_grace_minutes),
        follow_up_after=timedelta(minutes=settings.follow_up_minutes),
    )


async def _tick(context: Context) -> None:
    svc = context.bot_data.services
    result = await dispatch_due(svc.db, svc.clock.now(), svc.policy)
    svc.last_tick = svc.clock.now()
    if result.queued and svc.sender is not None:
        svc.sender.wake()


async def _post_init(app: IsobotApp) -> None:
    svc = app.bot_data.services
    await app.bot.set_my_commands([BotCommand(c.name, c.description) for c in svc.commands])
    renderers: Renderers = {
        Purpose.BROADCAST: render_broadcast,
        ReminderKind.WEEKLY_SUMMARY: summary_renderer(svc.library, svc.clock),
        ReminderKind.CHECKIN: checkin_renderer(),
    }
    pacing = Pacing(svc.settings.send_rate_per_second, per_chat_interval=1.0)
    loop = SendLoop(
        svc.db,
        app.bot,
        svc.clock,
        svc.policy,
        pacing,
        concurrency=svc.settings.send_concurrency,
        renderers=renderers,
    )
    svc.sender = Sender(loop, lock=sender_lock(svc.db, app.bot.id))
    svc.sender.start()
    await start_listeners(app)
    # What is loaded by now (modules, content, the application) lives as long as the process.
    # Frozen, the collector stops walking it: a full collection went from about 20 ms, a stall
    # that every reply waiting at that moment shares, to nearly nothing (docs/benchmarks.md).
    gc.freeze()
    log.info("isobot started as @%s", app.bot.username)


def sender_lock(db: Database, bot_id: int) -> AdvisoryLock | None:
    """On PostgreSQL, several instances may share the database and only one may send: the lock
    is per bot, since Telegram's limits are per bot token. On SQLite there is one instance."""
    if not db.is_postgres:
        return None
    # The bot id, not the token: it is no secret, and it stays the same when a token is revoked.
    return AdvisoryLock(db.url, lock_key(f"isobot sender {bot_id}"))


async def _post_stop(app: IsobotApp) -> None:
    svc = app.bot_data.services
    await stop_listeners(app)
    if svc.sender is not None:
        await svc.sender.stop()


async def _post_shutdown(app: IsobotApp) -> None:
    svc = app.bot_data.services
    if svc.sender is not None and svc.sender.lock is not None:
        await svc.sender.lock.dispose()
    await svc.db.dispose()


# A tick or a sightings write runs for milliseconds; this only bounds a stuck one.
_JOBS_FINISH_WITHIN = 10.0


async def _let_jobs_finish(app: IsobotApp) -> None:
    """Pause the JobQueue and wait for the jobs running now. Stopping it cancels them
    (APScheduler's asyncio executor cancels what is in flight, whatever `wait` says): nothing is
    lost, as each job's transaction rolls back, but each is logged as an error."""
    if app.job_queue is None or not app.job_queue.scheduler.running:
        return
    app.job_queue.scheduler.pause()
    in_flight = [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__name__", "") == "run_coroutine_job" and not task.done()
    ]
    if in_flight:
        await asyncio.wait(in_flight, timeout=_JOBS_FINISH_WITHIN)


@asynccontextmanager
async def running(app: IsobotApp, *, poll_timeout: int = 10) -> AsyncIterator[IsobotApp]:
    """Run the bot inside an already running event loop, then stop it: `python -m bot` in both
    modes, the sandbox and the end-to-end tests (which share one loop with the fake Bot API).

    In polling mode bot/polling.py fetches the updates, not PTB's Updater. In webhook mode
    post_init opens the webhook listener, and nothing polls.
    """
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    svc = app.bot_data.services
    poller = Poller(app, timeout=poll_timeout) if svc.settings.bot_mode == "polling" else None
    await app.start()
    try:
        # After start, as with run_polling: no update is handled before the JobQueue runs.
        if poller is not None:
            await poller.start()
        yield app
    finally:
        if poller is not None:
            # Lets the updates in hand finish and confirms them: see bot/polling.py.
            await poller.stop()
        # Before the Application stops: an update taken after that would be answered 200 and lost.
        await stop_listeners(app)
        await _let_jobs_finish(app)
        if app.running:
            await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
