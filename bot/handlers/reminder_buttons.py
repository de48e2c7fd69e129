"""Taken, Skip, Snooze and Done on a reminder message.

An answer is about a message that was sent, so it is recorded from the delivery alone, even
once the reminder was switched off, moved or deleted. A snooze asks for another message, so it
is refused, with the buttons left in place, whenever that message would not come (the reminder
deleted or switched off, reminders paused) or would come too late to act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.button_replies import show_after_press
from bot.services import Context, IsobotApp, services
from scheduler.callbacks import MAX_ROW_ID, PATTERN, Action, decode
from scheduler.claims import snooze_in_grace
from scheduler.doses import log_outcome
from scheduler.messages import NO_DOUBLING, change_button, outcome_message
from scheduler.policy import Policy
from storage.models import Delivery, Outcome, Reminder, ReminderKind, User
from storage.writes import answer_of, change_answer, queue_snooze

OUTCOMES = {Action.TAKEN: Outcome.TAKEN, Action.SKIP: Outcome.SKIPPED, Action.DONE: Outcome.DONE}
GONE = "This reminder no longer exists."
ALREADY = {
    Outcome.TAKEN: "Already noted as taken.",
    Outcome.SKIPPED: "Already noted as skipped.",
    Outcome.DONE: "Already noted as done.",
}
CHANGED = {Outcome.TAKEN: Outcome.SKIPPED, Outcome.SKIPPED: Outcome.TAKEN}
NOTHING_TO_CHANGE = "This dose has no answer to change."
# Why a snooze is refused. Each says what still works, as the message keeps its buttons.
SNOOZE_GONE = "This reminder no longer exists, so it can't be snoozed. You can still tap {answers}."
SNOOZE_PAUSED = (
    "Your reminders are paused, so a snoozed reminder would not come. You can still tap "
    "{answers}, or send /resume to start your reminders again."
)
SNOOZE_OFF = (
    "This reminder is switched off, so a snoozed reminder would not come. You can still tap "
    "{answers}."
)
# No "take it now": past the grace the next dose is close (an old message may be yesterday's).
SNOOZE_TOO_LATE_DOSE = (
    f"It's too late to snooze your {{time}} dose. Tap Taken if you took it, or Skip if not. "
    f"{NO_DOUBLING}"
)
SNOOZE_TOO_LATE = "It's too late to snooze this {time} reminder. You can still tap Done."


@dataclass(frozen=True)
class Notice:
    """The answer to a press that changes nothing on screen; an alert when it must be read."""

    text: str
    alert: bool = False


async def _press(query: CallbackQuery, context: Context, user_id: int) -> Notice | None:
    """Apply the press; the notice to show, or None after a successful edit."""
    press = decode(query.data or "")
    # The format allows ids beyond our keys; a forged one must not reach the query.
    if press is None or press.delivery_id > MAX_ROW_ID:
        return Notice(GONE)
    svc = services(context)
    now = svc.clock.now()
    async with svc.db.session() as session:
        delivery = await session.get(Delivery, press.delivery_id)
        # Someone else's reminder is answered exactly like a missing one: nothing is revealed.
        if (
            delivery is None
            or delivery.user_id != user_id
            or delivery.kind is None
            or delivery.occurrence is None
        ):
            return Notice(GONE)
        user = await session.get(User, user_id)
        if user is None:
            return Notice(GONE)
        # None once the reminder was deleted (its time dropped): the answer still counts.
        reminder = None
        if delivery.reminder_id is not None:
            reminder = await session.get(Reminder, delivery.reminder_id)
            if reminder is None:  # deleted since the delivery was read
                return Notice(GONE)
        zone = _zone(delivery, reminder, user)
        local_time = _local_time(delivery, reminder, zone)
        previous = await answer_of(session, delivery)
        if press.action == Action.CHANGE:
            outcome = CHANGED.get(previous) if previous is not None else None
            if (
                previous is None
                or outcome is None
                or not await change_answer(session, delivery, previous, outcome)
            ):
                return Notice(NOTHING_TO_CHANGE)
        elif previous is not None:
            return Notice(ALREADY[previous])
        elif press.action == Action.SNOOZE:
            refusal = _snooze_refusal(delivery, reminder, user, local_time, now, svc.policy)
            if refusal is not None:
                return Notice(refusal, alert=True)
            if not await queue_snooze(session, delivery, now + svc.policy.snooze_for, now):
                return Notice("Already snoozed.")
            outcome = None
        else:
            outcome = OUTCOMES[press.action]
            if not await log_outcome(session, delivery, outcome, zone, now):
                return Notice("Already noted.")
        text = outcome_message(
            delivery.kind,
            local_time,
            delivery.purpose,
            delivery.late,
            outcome,
            now.astimezone(zone).strftime("%H:%M"),
        )
        change = change_button(outcome, delivery.id) if delivery.kind == ReminderKind.DOSE else None
    if outcome is None:
        await query.answer("Snoozed for 15 minutes.")
    else:
        await query.answer("Changed." if press.action == Action.CHANGE else "Noted. Thank you!")
    markup = (
        InlineKeyboardMarkup([[InlineKeyboardButton(change[0], callback_data=change[1])]])
        if change
        else None
    )
    await show_after_press(query, context, text, markup)
    return None


def _zone(delivery: Delivery, reminder: Reminder | None, user: User) -> ZoneInfo:
    """The zone of the "at HH:MM" in the answer: where the user is now, as far as we know."""
    if reminder is not None and reminder.timezone:
        return ZoneInfo(reminder.timezone)
    return ZoneInfo(user.timezone or delivery.timezone or "UTC")


def _local_time(delivery: Delivery, reminder: Reminder | None, zone: ZoneInfo) -> str:
    """The wall time the message was sent for. A row from before deliveries kept it, whose
    reminder is gone, has only its occurrence left to tell."""
    if delivery.local_time:
        return delivery.local_time
    if reminder is not None:
        return reminder.local_time
    assert delivery.occurrence is not None
    return delivery.occurrence.astimezone(zone).strftime("%H:%M")


def _snooze_refusal(
    delivery: Delivery,
    reminder: Reminder | None,
    user: User,
    local_time: str,
    now: datetime,
    policy: Policy,
) -> str | None:
    """Why the occurrence must not be snoozed, as the notice to show; None if it may be.

    The sender would drop such a snooze (scheduler/claims.py:verdict), so promising it would
    leave the user waiting for nothing, with the buttons gone that could still record it.
    """
    assert delivery.kind is not None and delivery.occurrence is not None
    answers = "Taken or Skip" if delivery.kind == ReminderKind.DOSE else "Done"
    if reminder is None:
        return SNOOZE_GONE.format(answers=answers)
    if user.reminders_paused:
        return SNOOZE_PAUSED.format(answers=answers)
    if not reminder.enabled:
        return SNOOZE_OFF.format(answers=answers)
    if not snooze_in_grace(delivery.kind, delivery.occurrence, now + policy.snooze_for, policy):
        if delivery.kind == ReminderKind.DOSE:
            return SNOOZE_TOO_LATE_DOSE.format(time=local_time)
        return SNOOZE_TOO_LATE.format(time=local_time)
    return None


async def reminder_press(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    notice = await _press(query, context, update.effective_user.id)
    if notice is not None:
        await query.answer(notice.text, show_alert=notice.alert)


def register(app: IsobotApp) -> None:
    app.add_handler(CallbackQueryHandler(reminder_press, pattern=PATTERN))
