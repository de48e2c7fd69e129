"""What a failed Bot API call proves about whether the message reached Telegram, and what
becomes of the delivery: retried, with backoff, or given up. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import aiohttp
import httpx
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from scheduler.policy import Policy
from storage.models import DeliveryStatus, ReminderKind

MAX_BACKOFF = timedelta(minutes=5)


class Failure(enum.Enum):
    # Telegram asked us to wait; nothing was sent.
    RATE_LIMITED = "rate_limited"
    # Provably not sent (connection refused, or Telegram answered 5xx): safe to retry.
    RETRY = "retry"
    # The call may have reached Telegram: never retried, so a reminder is never doubled.
    UNCERTAIN = "uncertain"
    BLOCKED = "blocked"
    REJECTED = "rejected"


# Raised before a single byte of the request left this machine: by httpx (PTB's default
# transport) and by aiohttp (bot/transport.py). aiohttp's ConnectionTimeoutError covers both the
# wait for a pooled connection and the TCP connect; its read timeout (SocketTimeoutError) is not
# here, because by then the request was written and may have reached Telegram.
_NOT_SENT_CAUSES = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)


def classify(error: Exception) -> Failure:
    if isinstance(error, RetryAfter):
        return Failure.RATE_LIMITED
    if isinstance(error, Forbidden):
        return Failure.BLOCKED
    if isinstance(error, BadRequest):
        return Failure.REJECTED
    cause = error.__cause__
    if isinstance(cause, _NOT_SENT_CAUSES):
        return Failure.RETRY
    if isinstance(error, TimedOut):
        return Failure.UNCERTAIN
    if isinstance(error, NetworkError):
        # PTB raises NetworkError without a cause when Telegram itself answered with an error
        # status (5xx): the request was refused, not half-delivered.
        return Failure.RETRY if cause is None else Failure.UNCERTAIN
    if isinstance(error, TelegramError):
        return Failure.REJECTED
    return Failure.UNCERTAIN


class Attempted(Protocol):
    """What the verdict after a failure reads of a delivery."""

    @property
    def attempts(self) -> int: ...  # counting the one that failed
    @property
    def kind(self) -> ReminderKind | None: ...  # None: not a reminder
    @property
    def occurrence(self) -> datetime | None: ...


@dataclass(frozen=True)
class AfterFailure:
    status: DeliveryStatus
    due_at: datetime | None = None  # when to try again; None leaves it as it was


def after_failure(
    failure: Failure, delivery: Attempted, now: datetime, policy: Policy, max_attempts: int
) -> AfterFailure:
    """What becomes of a delivery whose call failed so. A 429 goes back to pending as it was;
    the sender waits out `retry_after` first (retry_after_seconds)."""
    if failure == Failure.RATE_LIMITED:
        return AfterFailure(DeliveryStatus.PENDING)
    if failure == Failure.RETRY:
        retry_at = now + min(timedelta(seconds=2**delivery.attempts), MAX_BACKOFF)
        return AfterFailure(_after_outage(delivery, retry_at, policy, max_attempts), retry_at)
    if failure == Failure.BLOCKED:
        return AfterFailure(DeliveryStatus.BLOCKED)
    if failure == Failure.UNCERTAIN:
        return AfterFailure(DeliveryStatus.UNCERTAIN)
    return AfterFailure(DeliveryStatus.FAILED)


def _after_outage(
    delivery: Attempted, retry_at: datetime, policy: Policy, max_attempts: int
) -> DeliveryStatus:
    """Nothing was sent: pending again, for a retry at `retry_at`, or given up.

    A reminder is retried for as long as its occurrence is within the grace window, however
    many attempts that takes: counting attempts lost every reminder of a 30-second outage
    (2 + 4 + 8 + 16 s of backoff). Past the window it is missed, as after any outage.
    Anything else gives up after `max_attempts`.
    """
    if delivery.kind is not None and delivery.occurrence is not None:
        if retry_at - delivery.occurrence <= policy.grace(delivery.kind):
            return DeliveryStatus.PENDING
        return DeliveryStatus.MISSED
    if delivery.attempts < max_attempts:
        return DeliveryStatus.PENDING
    return DeliveryStatus.FAILED


def retry_after_seconds(error: Exception) -> float | None:
    """How long Telegram asked us to wait, for a 429; None for any other failure."""
    if classify(error) != Failure.RATE_LIMITED:
        return None
    return seconds_of(getattr(error, "retry_after", 1))


def seconds_of(retry_after: int | timedelta) -> float:
    """RetryAfter.retry_after is whole seconds or a timedelta, by PTB's setting."""
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def describe(error: Exception) -> str:
    """What is stored on the row: Telegram's description, or the error's type. Never the text."""
    return str(getattr(error, "message", "") or type(error).__name__)[:200]
