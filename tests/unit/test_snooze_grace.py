"""A snooze comes within its occurrence's grace or not at all (scheduler/claims.py), and a
refused one says why in an alert (bot/handlers/reminder_buttons.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.handlers import reminder_buttons as texts
from scheduler.claims import Known, snooze_in_grace, verdict
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

POLICY = Policy()
OCCURRENCE = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "after", "in_grace"),
    [
        (ReminderKind.DOSE, timedelta(minutes=15), True),
        (ReminderKind.DOSE, timedelta(hours=2), True),
        (ReminderKind.DOSE, timedelta(hours=2, minutes=1), False),
        (ReminderKind.DOSE, timedelta(hours=23, minutes=50), False),
        (ReminderKind.MOISTURISER, timedelta(hours=1), True),
        (ReminderKind.MOISTURISER, timedelta(hours=1, minutes=1), False),
        (ReminderKind.LABS, timedelta(hours=20), True),
    ],
)
def test_a_snooze_is_in_grace_until_the_kinds_grace_after_its_occurrence(
    kind: ReminderKind, after: timedelta, in_grace: bool
) -> None:
    assert snooze_in_grace(kind, OCCURRENCE, OCCURRENCE + after, POLICY) is in_grace


def _snooze_judged(due_at: datetime, purpose: Purpose = Purpose.SNOOZE) -> DeliveryStatus | None:
    """The verdict on a dose delivery of OCCURRENCE due at `due_at`, claimed on time."""
    delivery = Delivery(
        id=100,
        user_id=1,
        chat_id=1,
        reminder_id=7,
        kind=ReminderKind.DOSE,
        occurrence=OCCURRENCE,
        purpose=purpose,
        due_at=due_at,
    )
    user = User(id=1, chat_id=1, status=UserStatus.ACTIVE, reminders_paused=False)
    reminder = Reminder(id=7, user_id=1, kind=ReminderKind.DOSE, enabled=True)
    return verdict(delivery, user, reminder, due_at, POLICY, Known([], set(), set()))


def test_a_snooze_queued_past_its_occurrences_grace_is_missed_not_sent() -> None:
    """Sent on time for itself, it would still be "your 08:00 dose" beside the next one."""
    assert _snooze_judged(OCCURRENCE + timedelta(hours=2)) is None
    assert _snooze_judged(OCCURRENCE + timedelta(days=1)) == DeliveryStatus.MISSED


def test_only_a_snooze_is_judged_from_its_occurrence() -> None:
    # A follow-up or a reminder owed at once has its own due time; the grace runs from there.
    assert _snooze_judged(OCCURRENCE + timedelta(days=1), Purpose.FOLLOW_UP) is None


def test_every_refusal_of_a_snooze_fits_an_alert() -> None:
    """Telegram shows at most 200 characters of a callback query's answer."""
    for answers in ("Taken or Skip", "Done"):
        for notice in (texts.SNOOZE_GONE, texts.SNOOZE_PAUSED, texts.SNOOZE_OFF):
            assert len(notice.format(answers=answers)) <= 200
    for notice in (texts.SNOOZE_TOO_LATE_DOSE, texts.SNOOZE_TOO_LATE):
        assert len(notice.format(time="23:59")) <= 200
