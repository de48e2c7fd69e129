"""The composition root: the only place that knows every part of the bot."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.config import Settings
from bot.handlers import (
    doses,
    errors,
    freetext,
    remind,
    reminder_buttons,
    reminders,
    start,
    timezone,
    topics,
    unknown,
    users,
)
from bot.services import Services
from content import Library, load_library
from scheduler.clock import Clock, SystemClock
from scheduler.dispatcher import dispatch_due
from scheduler.policy import Policy
from scheduler.sender import Sender
from storage import Database

log = logging.getLogger("isobot")

# The order is deliberate: users first (its own group), the areas, then free text, and the
# unknown-command catch-all last, because within a group the first matching handler wins.
AREAS = (
    users,
    start,
    topics,
    timezone,
    remind,
    reminders,
    reminder_buttons,
    doses,
    freetext,
    unknown,
    errors,
)


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    library: Library | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the Application with every handler; raises ConfigError on a bad token."""
    token = settings.token()
    svc = Services(
        settings=settings,
        db=db or Database(settings.database_url),
        library=library or load_library(),
        clock=clock or SystemClock(),
        policy=policy_from(settings),
    )
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.base_file_url())
        .read_timeout(settings.telegram_timeout_seconds)
        .write_timeout(settings.telegram_timeout_seconds)
        .connect_timeout(settings.telegram_timeout_seconds)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data["services"] = svc
    for area in AREAS:
        area.register(app)
    assert app.job_queue is not None
    # One short repeating job for all reminders: reminders are rows, never jobs of their own.
    app.job_queue.run_repeating(_tick, interval=settings.tick_seconds, first=0.0, name="dispatch")
    return app


def policy_from(settings: Settings) -> Policy:
    return Policy(
        dose_grace=timedelta(minutes=settings.dose_grace_minutes),
        care_grace=timedelta(minutes=settings.care_grace_minutes),
        follow_up_after=timedelta(minutes=settings.follow_up_minutes),
    )


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc: Services = context.bot_data["services"]
    result = await dispatch_due(svc.db, svc.clock.now(), svc.policy)
    if result.queued and svc.sender is not None:
        svc.sender.wake()


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    svc: Services = app.bot_data["services"]
    await app.bot.set_my_commands([BotCommand(c.name, c.description) for c in svc.commands])
    svc.sender = Sender(
        svc.db,
        app.bot,
        svc.clock,
        svc.policy,
        rate_per_second=svc.settings.send_rate_per_second,
    )
    svc.sender.start()
    log.info("isobot started as @%s", app.bot.username)


async def _post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    svc: Services = app.bot_data["services"]
    if svc.sender is not None:
        await svc.sender.stop()


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    svc: Services = app.bot_data["services"]
    await svc.db.dispose()


@asynccontextmanager
async def running(
    app: Application[Any, Any, Any, Any, Any, Any], *, poll_timeout: int = 10
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run the bot inside an already running event loop, as run_polling would, then stop it.

    The sandbox and the end-to-end tests share one loop with the fake Bot API, so they cannot use
    run_polling, which owns its loop.
    """
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
    await app.start()
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
