"""A snooze comes within its occurrence's grace or not at all (scheduler/claims.py; the verdict
on one queued past it is in test_claim_rules.py), and a refused one says why in an alert
(bot/handlers/reminder_buttons.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.handlers import reminder_buttons as texts
from scheduler.claims import snooze_in_grace
from scheduler.policy import Policy
from storage.models import ReminderKind

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


def test_every_refusal_of_a_snooze_fits_an_alert() -> None:
    """Telegram shows at most 200 characters of a callback query's answer."""
    for answers in ("Taken or Skip", "Done"):
        for notice in (texts.SNOOZE_GONE, texts.SNOOZE_PAUSED, texts.SNOOZE_OFF):
            assert len(notice.format(answers=answers)) <= 200
    for notice in (texts.SNOOZE_TOO_LATE_DOSE, texts.SNOOZE_TOO_LATE):
        assert len(notice.format(time="23:59")) <= 200
