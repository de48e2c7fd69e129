"""What a failed Bot API call proves about whether the message reached Telegram. Pure."""

from __future__ import annotations

import enum

import aiohttp
import httpx
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut


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
