"""Admin-only commands look exactly like unknown ones to everybody else."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.unknown import unknown_command_text
from bot.services import services


async def refuse_unless_admin(
    update: Update, context: ContextTypes.DEFAULT_TYPE, command: str
) -> bool:
    """True (after answering as for an unknown command) when the user is not an admin."""
    svc = services(context)
    user = update.effective_user
    if svc.is_admin(user.id if user else None):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_chat is not None:
        known = [c.name for c in svc.commands]
        await context.bot.send_message(
            update.effective_chat.id, unknown_command_text(command, known)
        )
    return True
