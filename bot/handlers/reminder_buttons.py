"""Taken, Skip, Snooze and Done on a reminder message."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Update
from telegram.ext import CallbackQueryHandler

from bot.button_replies import show_after_press
from bot.services import Context, IsobotApp, services
from scheduler.callbacks import MAX_ROW_ID, PATTERN, Action, decode
from scheduler.doses import log_outcome, outcome_of
from scheduler.messages import outcome_message
from storage.models import Delivery, Outcome, Reminder, User
from storage.writes import queue_snooze

OUTCOMES = {Action.TAKEN: Outcome.TAKEN, Action.SKIP: Outcome.SKIPPED, Action.DONE: Outcome.DONE}
GONE = "This reminder no longer exists."
ALREADY = {
    Outcome.TAKEN: "Already noted as taken.",
    Outcome.SKIPPED: "Already noted as skipped.",
    Outcome.DONE: "Already noted as done.",
}


async def _press(query: CallbackQuery, context: Context, user_id: int) -> str | None:
    """Apply the press; the notice to show, or None after a successful edit."""
    press = decode(query.data or "")
    # The format allows ids beyond our keys; a forged one must not reach the query.
    if press is None or press.delivery_id > MAX_ROW_ID:
        return GONE
    svc = services(context)
    now = svc.clock.now()
    async with svc.db.session() as session:
        delivery = await session.get(Delivery, press.delivery_id)
        # Someone else's reminder is answered exactly like a missing one: nothing is revealed.
        if delivery is None or delivery.user_id != user_id or delivery.reminder_id is None:
            return GONE
        reminder = await session.get(Reminder, delivery.reminder_id)
        user = await session.get(User, user_id)
        if reminder is None or user is None or delivery.kind is None:
            return GONE
        zone = ZoneInfo(reminder.timezone or user.timezone or "UTC")
        previous = await outcome_of(session, delivery)
        if previous is not None:
            return ALREADY[previous]
        if press.action == Action.SNOOZE:
            if not await queue_snooze(session, delivery, now + svc.policy.snooze_for, now):
                return "Already snoozed."
            outcome = None
        else:
            outcome = OUTCOMES[press.action]
            if not await log_outcome(session, delivery, outcome, zone, now):
                return "Already noted."
        text = outcome_message(
            delivery.kind,
            delivery.local_time or reminder.local_time,
            delivery.purpose,
            delivery.late,
            outcome,
            now.astimezone(zone).strftime("%H:%M"),
        )
    await query.answer("Snoozed for 15 minutes." if outcome is None else "Noted. Thank you!")
    await show_after_press(query, context, text, None)
    return None


async def reminder_press(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    notice = await _press(query, context, update.effective_user.id)
    if notice is not None:
        await query.answer(notice)


def register(app: IsobotApp) -> None:
    app.add_handler(CallbackQueryHandler(reminder_press, pattern=PATTERN))
