"""Records every person who talks to the bot, before any other handler runs."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.services import services
from scheduler.reminders import reschedule_all
from storage.models import UserStatus
from storage.users import get_user, record_seen, refresh_active


async def remember_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    svc = services(context)
    now = svc.clock.now()
    language = user.language_code or ""
    # Nearly every update comes from a known, active user: one statement, nothing loaded.
    if await refresh_active(svc.db, user.id, chat.id, language, now):
        return
    async with svc.db.session() as session:
        known = await get_user(session, user.id)
        was_blocked = known is not None and known.status == UserStatus.BLOCKED
        stored = await record_seen(session, user.id, chat.id, language, now)
        if was_blocked:
            # Writing again means they unblocked the bot: their reminders resume from now.
            await reschedule_all(session, stored, now)


def register(app: Application) -> None:  # type: ignore[type-arg]
    # The lowest group runs before every other one, and does not stop them.
    app.add_handler(TypeHandler(Update, remember_user), group=-2)
