"""The texts and buttons of reminder messages, and of the edits after a button press. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.callbacks import Action, encode
from scheduler.schedules import MONTHLY_KINDS
from storage.models import Outcome, Purpose, ReminderKind

PRESCRIBER = "<i>Your prescriber's instructions come first.</i>"
NO_DOUBLING = "If you missed a dose, never take two to make up for it."


@dataclass(frozen=True)
class Outgoing:
    html: str
    buttons: tuple[tuple[str, str], ...] = ()  # (label, callback data), one row


def _dose(local_time: str, purpose: Purpose, late: bool) -> str:
    if purpose == Purpose.FOLLOW_UP:
        return (
            f"💊 Checking in: did you take your {local_time} dose? If not yet, take it now with "
            f"food. If your next dose is close, skip this one instead. {NO_DOUBLING}"
        )
    if purpose == Purpose.SNOOZE:
        return f"💊 Snoozed reminder: your {local_time} dose. Take it with food or a meal."
    if late:
        return (
            f"💊 <b>Late reminder</b> for your {local_time} dose: I was offline when it was due. "
            f"If you have not taken it yet, take it now with food or a meal. {NO_DOUBLING}"
        )
    return f"💊 Time for your {local_time} isotretinoin dose. Take it with food or a meal."


def _care(kind: ReminderKind, prefix: str, late_note: str) -> str:
    if kind == ReminderKind.MOISTURISER:
        return (
            f"🧴 {prefix}Moisturiser time{late_note}. Isotretinoin dries skin and lips, so a "
            "gentle, fragrance-free moisturiser and a lip balm help a lot."
        )
    return (
        f"☀️ {prefix}Sunscreen time{late_note}. Your skin burns more easily on isotretinoin: "
        "put on a broad-spectrum sunscreen and top it up when you are outside."
    )


# The actual schedule of checks differs by country and prescriber, so the texts point to them and
# never state an interval themselves.
SCHEDULE_SET_BY = (
    "Your prescriber, and your local programme such as iPLEDGE in the US, decide when you need one."
)


def _check(kind: ReminderKind, prefix: str, late_note: str) -> str:
    if kind == ReminderKind.LABS:
        return (
            f"🩸 {prefix}Monthly check: blood tests{late_note}. Isotretinoin can raise liver "
            "enzymes and blood fats (lipids: cholesterol and triglycerides), so blood tests are "
            f"part of a course. {SCHEDULE_SET_BY} If one is due, book it or keep the appointment."
        )
    return (
        f"🧪 {prefix}Monthly check: pregnancy test{late_note}. Isotretinoin can cause serious "
        "birth defects, so anyone who can become pregnant needs reliable contraception "
        "throughout the course and for at least a month after the last dose, as the prescriber "
        f"says, and regular pregnancy tests. {SCHEDULE_SET_BY} If you think you might be "
        "pregnant, stop taking isotretinoin and contact your prescriber the same day."
    )


def _body(kind: ReminderKind, local_time: str, purpose: Purpose, late: bool) -> str:
    if kind == ReminderKind.DOSE:
        return _dose(local_time, purpose, late)
    if kind == ReminderKind.WEEKLY_SUMMARY:
        # Normally rendered with the user's figures by the summary renderer; this is the plain
        # fallback, so a summary without a renderer still says something true.
        return "📊 Your weekly summary: /course shows your progress and /history your doses."
    if kind == ReminderKind.CHECKIN:
        # Normally rendered with its Start button by the check-in renderer, as the summary is.
        return "📝 Time for your weekly check-in: send /checkin. It takes about a minute."
    # Care and check reminders say snoozed and late the same way, in their own texts.
    prefix = "Snoozed reminder: " if purpose == Purpose.SNOOZE else ""
    late_note = f" (late: it was due at {local_time})" if late else ""
    if kind in MONTHLY_KINDS:
        return _check(kind, prefix, late_note)
    return _care(kind, prefix, late_note)


def reminder_message(
    kind: ReminderKind, local_time: str, purpose: Purpose, late: bool, delivery_id: int
) -> Outgoing:
    """The message a reminder delivery sends, with its buttons."""
    if kind == ReminderKind.DOSE:
        buttons = [("✅ Taken", encode(Action.TAKEN, delivery_id))]
        if purpose == Purpose.FIRST:
            buttons.append(("⏰ Snooze 15 min", encode(Action.SNOOZE, delivery_id)))
        buttons.append(("⏭ Skip", encode(Action.SKIP, delivery_id)))
    elif kind in {ReminderKind.WEEKLY_SUMMARY, ReminderKind.CHECKIN}:
        buttons = []  # nothing to answer here: a check-in is answered in its own message
    else:
        buttons = [("✅ Done", encode(Action.DONE, delivery_id))]
        if purpose == Purpose.FIRST:
            buttons.append(("⏰ Snooze 15 min", encode(Action.SNOOZE, delivery_id)))
    return Outgoing(f"{_body(kind, local_time, purpose, late)}\n\n{PRESCRIBER}", tuple(buttons))


# A dose answered by mistake is put right from the answered message itself.
CHANGE_LABELS = {Outcome.TAKEN: "↩️ I didn't take it", Outcome.SKIPPED: "↩️ I took it after all"}


def change_button(outcome: Outcome | None, delivery_id: int) -> tuple[str, str] | None:
    """The button that turns a dose's Taken into Skipped or back, under its answer."""
    label = CHANGE_LABELS.get(outcome) if outcome is not None else None
    return (label, encode(Action.CHANGE, delivery_id)) if label else None


def outcome_message(
    kind: ReminderKind,
    local_time: str,
    purpose: Purpose,
    late: bool,
    outcome: Outcome | None,
    at_local: str,
) -> str:
    """The reminder's text after a press (None: snoozed), with the outcome and no buttons."""
    if outcome == Outcome.TAKEN:
        note = f"✅ Taken at {at_local}. Well done!"
    elif outcome == Outcome.SKIPPED:
        note = f"⏭ Skipped at {at_local}. Take your next dose as usual. {NO_DOUBLING}"
    elif outcome == Outcome.DONE:
        note = f"✅ Done at {at_local}."
    else:
        note = f"⏰ Snoozed at {at_local}: I will remind you again in 15 minutes."
    return f"{_body(kind, local_time, purpose, late)}\n\n{note}\n\n{PRESCRIBER}"
