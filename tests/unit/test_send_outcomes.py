"""What a failed send proves: retried only when the message provably never left this machine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import NoReturn

import aiohttp
import httpx
import pytest
from aiohttp.client_reqrep import ConnectionKey
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from scheduler.outcomes import Failure, classify, retry_after_seconds

REQUEST = httpx.Request("POST", "https://api.telegram.org/bot123:abc/sendMessage")


def _raise_from(error: Exception, cause: BaseException) -> NoReturn:
    try:
        raise cause
    except BaseException as inner:
        raise error from inner


def raised_from(error: Exception, cause: BaseException) -> Exception:
    """`error`, raised `from cause` for real, so __cause__ is set the way PTB sets it."""
    with pytest.raises(type(error)) as caught:
        _raise_from(error, cause)
    assert caught.value.__cause__ is cause
    return caught.value


def raised(error: Exception) -> Exception:
    """`error` raised on its own, outside any except block: no cause and no context."""
    with pytest.raises(type(error)) as caught:
        raise error
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    return caught.value


def connect_error() -> httpx.HTTPError:
    return httpx.ConnectError("All connection attempts failed", request=REQUEST)


def aiohttp_connect_error() -> aiohttp.ClientError:
    key = ConnectionKey("api.telegram.org", 443, True, True, None, None, None)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: raised(RetryAfter(5)), Failure.RATE_LIMITED),
        (lambda: raised(RetryAfter(timedelta(seconds=30))), Failure.RATE_LIMITED),
        (lambda: raised(Forbidden("Forbidden: bot was blocked by the user")), Failure.BLOCKED),
        (lambda: raised(BadRequest("Bad Request: chat not found")), Failure.REJECTED),
        (
            lambda: raised(BadRequest("Bad Request: can't parse entities")),
            Failure.REJECTED,
        ),
        (lambda: raised(InvalidToken()), Failure.REJECTED),
        (lambda: raised(Conflict("terminated by other getUpdates request")), Failure.REJECTED),
        (lambda: raised(ChatMigrated(-1001234567890)), Failure.REJECTED),
        (lambda: raised(TelegramError("something else")), Failure.REJECTED),
    ],
    ids=[
        "retry_after_seconds",
        "retry_after_timedelta",
        "forbidden",
        "bad_request_chat",
        "bad_request_entities",
        "invalid_token",
        "conflict",
        "chat_migrated",
        "plain_telegram_error",
    ],
)
def test_answers_from_telegram_are_classified_by_type(
    make: Callable[[], Exception], expected: Failure
) -> None:
    assert classify(make()) is expected


@pytest.mark.parametrize(
    ("retry_after", "seconds"), [(5, 5.0), (timedelta(seconds=30), 30.0), (timedelta(0), 0.0)]
)
def test_the_wait_a_429_asks_for_is_read_in_either_of_ptbs_forms(
    retry_after: int | timedelta, seconds: float
) -> None:
    assert retry_after_seconds(raised(RetryAfter(retry_after))) == seconds


def test_other_failures_ask_for_no_wait() -> None:
    assert retry_after_seconds(raised(Forbidden("Forbidden: bot was blocked by the user"))) is None


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (NetworkError("httpx.ConnectError: refused"), connect_error()),
        (TimedOut(), httpx.ConnectTimeout("connect timed out", request=REQUEST)),
        (TimedOut("Pool timeout"), httpx.PoolTimeout("no connection free", request=REQUEST)),
        (NetworkError("aiohttp.ClientConnectorError: refused"), aiohttp_connect_error()),
        (TimedOut(), aiohttp.ConnectionTimeoutError("Connection timeout to host")),
    ],
    ids=[
        "network_error_from_connect_error",
        "timed_out_from_connect",
        "timed_out_from_pool",
        "aiohttp_connector_error",
        "aiohttp_connect_or_pool_timeout",
    ],
)
def test_failures_before_the_request_left_are_retried(
    error: Exception, cause: BaseException
) -> None:
    assert classify(raised_from(error, cause)) is Failure.RETRY


def test_bare_network_error_from_a_5xx_answer_is_retried() -> None:
    # PTB raises NetworkError("Bad Gateway") with no cause when Telegram answers 5xx.
    assert classify(raised(NetworkError("Bad Gateway"))) is Failure.RETRY


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (TimedOut(), httpx.ReadTimeout("read timed out", request=REQUEST)),
        (TimedOut(), httpx.WriteTimeout("write timed out", request=REQUEST)),
        (NetworkError("httpx.ReadError: "), httpx.ReadError("reset", request=REQUEST)),
        (
            NetworkError("httpx.RemoteProtocolError: "),
            httpx.RemoteProtocolError("Server disconnected", request=REQUEST),
        ),
        (NetworkError("httpx.WriteError: "), httpx.WriteError("broken pipe", request=REQUEST)),
        (NetworkError("Unknown error in HTTP implementation"), RuntimeError("boom")),
        (TimedOut(), aiohttp.SocketTimeoutError("Timeout on reading data from socket")),
        (TimedOut(), TimeoutError()),
        (
            NetworkError("aiohttp.ServerDisconnectedError: "),
            aiohttp.ServerDisconnectedError(),
        ),
        (
            NetworkError("aiohttp.ClientOSError: "),
            aiohttp.ClientOSError(104, "Connection reset by peer"),
        ),
    ],
    ids=[
        "timed_out_from_read_timeout",
        "timed_out_from_write_timeout",
        "network_error_from_read_error",
        "network_error_from_remote_protocol_error",
        "network_error_from_write_error",
        "network_error_from_unknown_cause",
        "aiohttp_read_timeout",
        "aiohttp_overall_timeout",
        "aiohttp_server_disconnected",
        "aiohttp_connection_reset",
    ],
)
def test_failures_after_the_request_may_have_arrived_are_uncertain(
    error: Exception, cause: BaseException
) -> None:
    assert classify(raised_from(error, cause)) is Failure.UNCERTAIN


def test_timed_out_without_a_cause_is_uncertain() -> None:
    assert classify(raised(TimedOut())) is Failure.UNCERTAIN


@pytest.mark.parametrize(
    "error",
    [RuntimeError("unexpected"), ValueError("unexpected"), OSError("unexpected")],
    ids=["runtime_error", "value_error", "os_error"],
)
def test_errors_that_are_not_from_telegram_are_uncertain(error: Exception) -> None:
    assert classify(raised(error)) is Failure.UNCERTAIN
