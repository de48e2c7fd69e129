"""Records every person who talks to the bot, before any other handler runs.

Most updates write their user's row (last seen, chat, language) at once, in one statement. Those
that can wait only note it (bot/sightings.py says why this is safe), and a job writes what was
noted once a second: the public commands and topic buttons, which read nothing personal, and the
commands whose handlers record their user in their own transaction (`seen_user_session`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import TypeHandler

from bot.handlers.chat_scope import GONE, PUBLIC_COMMANDS, command_of
from bot.keyboards import TOPIC_PREFIX
from bot.services import Context, IsobotApp, note_last_message, services, user_session
from bot.sightings import Sightings
from scheduler.reminders import reschedule_all
from storage.db import Database
from storage.error_logs import log_failure
from storage.models import User, UserStatus
from storage.users import (
    Sighting,
    get_user,
    record_seen,
    refresh_active,
    refresh_loaded,
    refresh_seen_many,
)

log = logging.getLogger(__name__)

# How often the noted sightings are written.
WRITE_SIGHTINGS_EVERY = 1.0
_KEY = "sightings"
_CAN_WAIT_KEY = "sightings_can_wait"


async def remember_user(update: Update, context: Context) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE or leaving(update):
        return
    svc = services(context)
    now = svc.clock.now()
    language = user.language_code or ""
    sightings = sightings_of(context)
    if update.my_chat_member is not None:
        # Unblocking says something only of someone known (their reminders resume); of anyone
        # else, someone who erased their data and left, say, nothing is stored until they write.
        async with svc.db.session() as session:
            if await get_user(session, user.id) is not None:
                await _record_in(session, _sighting(user.id, chat.id, language, now, None))
        return
    if _can_wait(update, context):
        sightings.note(user.id, chat.id, language, now)
        return
    seen = _sighting(user.id, chat.id, language, now, sightings.first_unwritten(user.id))
    # Nearly every update comes from a known, active user: one statement, nothing loaded.
    if await refresh_active(svc.db, seen):
        return
    await _record(svc.db, seen)


def leaving(update: Update) -> bool:
    """Blocking the bot is no talking to it: it marks a known user blocked (chat_scope) and
    stores nothing about anyone else, someone who erased their data and left, say."""
    change = update.my_chat_member
    return change is not None and change.new_chat_member.status in GONE


def _sighting(
    user_id: int, chat_id: int, language: str, now: datetime, first_unwritten: datetime | None
) -> Sighting:
    """This update's sighting, from the earliest of the user's not written yet."""
    return Sighting(user_id, chat_id, language, first_unwritten or now, now)


async def _record(db: Database, seen: Sighting) -> None:
    async with db.session() as session:
        await _record_in(session, seen)


async def _record_in(session: AsyncSession, seen: Sighting) -> User:
    """The user as seen now; a new one, or one who had blocked the bot, is (again) active."""
    found = await refresh_loaded(session, seen)
    if found is not None:
        return found
    known = await get_user(session, seen.user_id)
    was_blocked = known is not None and known.status == UserStatus.BLOCKED
    stored = await record_seen(session, seen)
    if was_blocked:
        # Writing again means they unblocked the bot: their reminders resume from now.
        await reschedule_all(session, stored, seen.last)
    return stored


@asynccontextmanager
async def seen_user_session(
    update: Update, context: Context
) -> AsyncIterator[tuple[AsyncSession, User]]:
    """`user_session` for the commands of `takes_own_sighting`: the user is recorded as seen
    (created, or made active again) in this transaction, not in one of its own before it."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    svc = services(context)
    if chat.type != ChatType.PRIVATE:  # personal commands answer only in private (chat_scope)
        async with user_session(svc.db, update) as found:
            yield found
        return
    first = sightings_of(context).first_unwritten(user.id)
    seen = _sighting(user.id, chat.id, user.language_code or "", svc.clock.now(), first)
    async with svc.db.session() as session:
        stored = await _record_in(session, seen)
        yield session, stored
        note_last_message(stored, update)


def takes_own_sighting(app: IsobotApp, *commands: str) -> None:
    """Updates with these commands only note their sighting: their handlers record the user
    through `seen_user_session`, or read nothing personal and leave it to the next write."""
    app.bot_data[_CAN_WAIT_KEY] = app.bot_data.get(_CAN_WAIT_KEY, frozenset()) | frozenset(commands)


def sightings_of(context: Context) -> Sightings:
    sightings = context.bot_data[_KEY]
    assert isinstance(sightings, Sightings)
    return sightings


def _can_wait(update: Update, context: Context) -> bool:
    """A command of `takes_own_sighting`, or a topic button."""
    query = update.callback_query
    if query is not None:
        data = query.data or ""
        return data == "topics" or data.startswith(TOPIC_PREFIX)
    message = update.message
    if message is None:
        return False
    command = command_of(message, context.bot.username)
    if command is None or command[1]:
        return False
    return command[0] in context.bot_data.get(_CAN_WAIT_KEY, frozenset())


async def write_sightings(context: Context) -> None:
    """Write every noted sighting: one transaction for the known, active users, and the full
    path for anyone else (new users, and those who had blocked the bot)."""
    svc = services(context)
    sightings = sightings_of(context)
    async with sightings.write_lock:
        taken = sightings.take()
        if not taken:
            return
        try:
            async with svc.db.session() as session:
                others = await refresh_seen_many(session, taken)
            for s in others:
                await _record(svc.db, s)
        except Exception as error:
            sightings.give_back()
            # The error's message would quote the statement's parameters: who was seen, when.
            log_failure(log, error, "writing %d sightings", len(taken), after="; trying again")
            return
        sightings.written()


def register(app: IsobotApp) -> None:
    app.bot_data[_KEY] = Sightings()
    # The public commands (a group may use them too) read nothing personal; /start is not one
    # here, since its deep links run personal commands.
    library = app.bot_data.services.library
    takes_own_sighting(app, *(PUBLIC_COMMANDS - {"start"}), *library.topics)
    # The lowest group runs before every other one, and does not stop them.
    app.add_handler(TypeHandler(Update, remember_user), group=-2)
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        write_sightings, interval=WRITE_SIGHTINGS_EVERY, first=WRITE_SIGHTINGS_EVERY, name="seen"
    )
