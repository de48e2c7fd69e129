"""The rules that stop a claimed reminder from going out after all (scheduler/claims.py), a
snooze past its occurrence's grace among them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scheduler.claims import Known, verdict
from scheduler.policy import Policy
from storage.models import (
    Delivery,
    DeliveryStatus,
    Purpose,
    Reminder,
    ReminderKind,
    User,
    UserStatus,
)

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DUE = NOW - timedelta(minutes=1)
POLICY = Policy()
NOTHING = Known([], set(), set())


def user(**changes: object) -> User:
    values: dict[str, object] = {"id": 1, "chat_id": 1, "status": UserStatus.ACTIVE}
    values["reminders_paused"] = False
    return User(**(values | changes))


def reminder(**changes: object) -> Reminder:
    values: dict[str, object] = {"id": 7, "user_id": 1, "kind": ReminderKind.DOSE, "enabled": True}
    return Reminder(**(values | changes))


def delivery(**changes: object) -> Delivery:
    values: dict[str, object] = {
        "id": 100,
        "user_id": 1,
        "chat_id": 1,
        "reminder_id": 7,
        "kind": ReminderKind.DOSE,
        "occurrence": DUE,
        "purpose": Purpose.FIRST,
        "due_at": DUE,
    }
    return Delivery(**(values | changes))


def judge(
    d: Delivery, u: User | None = None, r: Reminder | None = None, known: Known = NOTHING
) -> DeliveryStatus | None:
    return verdict(d, u or user(), r or reminder(), NOW, POLICY, known)


def test_a_due_reminder_of_an_active_user_goes_out() -> None:
    assert judge(delivery()) is None


def test_a_broadcast_is_not_judged_as_a_reminder() -> None:
    broadcast = delivery(kind=None, reminder_id=None, occurrence=None, broadcast_id=3)
    assert verdict(broadcast, None, None, NOW, POLICY, NOTHING) is None


@pytest.mark.parametrize(
    ("what", "d", "u", "r"),
    [
        ("the reminder was deleted", delivery(reminder_id=None), user(), reminder()),
        ("the user blocked the bot", delivery(), user(status=UserStatus.BLOCKED), reminder()),
        ("the user paused reminders", delivery(), user(reminders_paused=True), reminder()),
        ("the reminder was switched off", delivery(), user(), reminder(enabled=False)),
    ],
)
def test_a_reminder_no_longer_wanted_is_cancelled(
    what: str, d: Delivery, u: User, r: Reminder
) -> None:
    assert judge(d, u, r) == DeliveryStatus.CANCELLED, what


def test_a_reminder_whose_user_or_reminder_row_is_gone_is_cancelled() -> None:
    assert verdict(delivery(), None, reminder(), NOW, POLICY, NOTHING) == DeliveryStatus.CANCELLED
    assert verdict(delivery(), user(), None, NOW, POLICY, NOTHING) == DeliveryStatus.CANCELLED


def test_a_reminder_past_its_grace_is_missed_not_sent_late() -> None:
    grace = POLICY.grace(ReminderKind.DOSE)
    assert judge(delivery(due_at=NOW - grace)) is None
    assert judge(delivery(due_at=NOW - grace - timedelta(seconds=1))) == DeliveryStatus.MISSED
    care = delivery(kind=ReminderKind.SUNSCREEN, due_at=NOW - timedelta(hours=1, minutes=1))
    assert judge(care) == DeliveryStatus.MISSED


def test_a_dose_already_answered_is_not_reminded() -> None:
    answered = Known([], {(7, DUE)}, set())
    assert judge(delivery(), known=answered) == DeliveryStatus.CANCELLED
    assert judge(delivery(purpose=Purpose.FOLLOW_UP), known=answered) == DeliveryStatus.CANCELLED
    other_day = Known([], {(7, DUE - timedelta(days=1))}, set())
    assert judge(delivery(), known=other_day) is None


def test_a_follow_up_is_dropped_once_the_reminder_was_snoozed() -> None:
    snoozed = Known([], set(), {(7, DUE)})
    assert judge(delivery(purpose=Purpose.FOLLOW_UP), known=snoozed) == DeliveryStatus.CANCELLED
    assert judge(delivery(purpose=Purpose.SNOOZE), known=snoozed) is None


SNOOZED = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # the occurrence a snooze repeats


def snooze_judged(due_at: datetime, purpose: Purpose = Purpose.SNOOZE) -> DeliveryStatus | None:
    """The verdict on a dose delivery of SNOOZED due at `due_at`, claimed on time."""
    d = delivery(occurrence=SNOOZED, purpose=purpose, due_at=due_at)
    return verdict(d, user(), reminder(), due_at, POLICY, NOTHING)


def test_a_snooze_queued_past_its_occurrences_grace_is_missed_not_sent() -> None:
    """Sent on time for itself, it would still be "your 08:00 dose" beside the next one."""
    assert snooze_judged(SNOOZED + timedelta(hours=2)) is None
    assert snooze_judged(SNOOZED + timedelta(days=1)) == DeliveryStatus.MISSED


def test_only_a_snooze_is_judged_from_its_occurrence() -> None:
    # A follow-up or a reminder owed at once has its own due time; the grace runs from there.
    assert snooze_judged(SNOOZED + timedelta(days=1), Purpose.FOLLOW_UP) is None
