"""Admin-only commands look exactly like unknown ones to everybody else."""

from __future__ import annotations

from telegram import Update

from bot.handlers.unknown import STALE_BUTTON, typed_command, unknown_command_text
from bot.services import Context, services


async def refuse_unless_admin(update: Update, context: Context) -> bool:
    """True (after answering as for an unknown command) when the user is not an admin."""
    svc = services(context)
    user = update.effective_user
    if svc.is_admin(user.id if user else None):
        return False
    if update.callback_query is not None:
        # A forged admin button: answered like any out-of-date one.
        await update.callback_query.answer(STALE_BUTTON)
        return True
    message = update.effective_message
    if message is not None and message.text and update.effective_chat is not None:
        # Echo the command as typed ("/BROADCAST"), exactly as for an unknown one.
        known = [c.name for c in svc.commands]
        await message.reply_text(unknown_command_text(typed_command(message.text), known))
    return True
