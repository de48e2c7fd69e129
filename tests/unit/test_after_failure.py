"""What becomes of a delivery after a failed call: retried with backoff only when nothing was
sent, for as long as a reminder is still useful; given up otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from scheduler.outcomes import (
    MAX_BACKOFF,
    AfterFailure,
    Failure,
    after_failure,
    describe,
    retry_after_seconds,
)
from scheduler.policy import Policy
from storage.models import DeliveryStatus, ReminderKind

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
POLICY = Policy()
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Row:
    attempts: int
    kind: ReminderKind | None = None
    occurrence: datetime | None = None


def dose(attempts: int, due_ago: timedelta = timedelta(0)) -> Row:
    return Row(attempts, ReminderKind.DOSE, NOW - due_ago)


def broadcast(attempts: int) -> Row:
    return Row(attempts)


def verdict(failure: Failure, row: Row) -> AfterFailure:
    return after_failure(failure, row, NOW, POLICY, MAX_ATTEMPTS)


@pytest.mark.parametrize("row", [dose(1), broadcast(4)])
def test_a_429_puts_it_back_as_it_was(row: Row) -> None:
    assert verdict(Failure.RATE_LIMITED, row) == AfterFailure(DeliveryStatus.PENDING)


@pytest.mark.parametrize(("attempts", "wait"), [(1, 2), (2, 4), (3, 8), (8, 256)])
def test_an_outage_retries_after_doubling_waits(attempts: int, wait: int) -> None:
    after = verdict(Failure.RETRY, dose(attempts))
    assert after == AfterFailure(DeliveryStatus.PENDING, NOW + timedelta(seconds=wait))


def test_the_wait_between_retries_is_at_most_five_minutes() -> None:
    assert verdict(Failure.RETRY, dose(9)).due_at == NOW + timedelta(minutes=5)
    assert verdict(Failure.RETRY, broadcast(4)).due_at == NOW + timedelta(seconds=16)
    assert timedelta(minutes=5) == MAX_BACKOFF


def test_a_reminder_is_retried_past_max_attempts_while_within_its_grace() -> None:
    after = verdict(Failure.RETRY, dose(7, due_ago=timedelta(minutes=30)))
    assert after.status == DeliveryStatus.PENDING


def test_a_reminder_whose_retry_would_come_past_its_grace_is_missed() -> None:
    # Due 2 s short of the dose's 2 hours of grace; the retry would come 4 s from now.
    after = verdict(Failure.RETRY, dose(2, due_ago=timedelta(hours=2, seconds=-2)))
    assert after == AfterFailure(DeliveryStatus.MISSED, NOW + timedelta(seconds=4))
    within = verdict(Failure.RETRY, dose(2, due_ago=timedelta(hours=2, seconds=-4)))
    assert within.status == DeliveryStatus.PENDING


def test_a_broadcast_gives_up_after_max_attempts() -> None:
    assert verdict(Failure.RETRY, broadcast(MAX_ATTEMPTS - 1)).status == DeliveryStatus.PENDING
    assert verdict(Failure.RETRY, broadcast(MAX_ATTEMPTS)).status == DeliveryStatus.FAILED


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (Failure.BLOCKED, DeliveryStatus.BLOCKED),
        (Failure.UNCERTAIN, DeliveryStatus.UNCERTAIN),
        (Failure.REJECTED, DeliveryStatus.FAILED),
    ],
)
def test_what_may_have_been_sent_or_cannot_be_is_never_retried(
    failure: Failure, status: DeliveryStatus
) -> None:
    assert verdict(failure, dose(1)) == AfterFailure(status)


def test_the_wait_telegram_asks_for_is_read_from_a_429_only() -> None:
    assert retry_after_seconds(RetryAfter(7)) == 7.0
    assert retry_after_seconds(RetryAfter(timedelta(seconds=1.5))) == 1.5
    for other in (NetworkError("Bad Gateway"), TimedOut(), Forbidden("blocked"), ValueError()):
        assert retry_after_seconds(other) is None


def test_the_stored_error_is_telegrams_description_or_the_type_and_short() -> None:
    assert describe(Forbidden("Forbidden: bot was blocked by the user")) == (
        "Forbidden: bot was blocked by the user"
    )
    assert describe(ValueError("x" * 300)) == "ValueError"
    assert len(describe(BadRequest("y" * 300))) == 200
