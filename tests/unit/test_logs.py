"""Logging set-up: the bot token never reaches the log, however it gets into a record."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import StringIO

import pytest

from bot.logs import REDACTED, configure_logging

TOKEN = "123456789:AAEhBP0av28_secretTokenPart-xyz"
OTHER_SECRET = "postgres-password-42"
TOUCHED_LOGGERS = [
    "",
    "httpx",
    "httpcore",
    "aiohttp.access",
    "apscheduler",
    "telegram",
    "telegram.ext",
    "aiosqlite",
    "asyncio",
    "sqlalchemy",
    "isobot.test",
]


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put back the root handlers and every level configure_logging changes."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in TOUCHED_LOGGERS}
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def configured(level: str = "DEBUG", secrets: list[str] | None = None) -> StringIO:
    stream = StringIO()
    configure_logging(level, secrets=[TOKEN] if secrets is None else secrets, stream=stream)
    return stream


def test_token_in_the_message_is_redacted() -> None:
    stream = configured()
    logging.getLogger("isobot.test").warning(f"calling https://api.telegram.org/bot{TOKEN}/getMe")
    output = stream.getvalue()
    assert TOKEN not in output
    assert f"https://api.telegram.org/bot{REDACTED}/getMe" in output


def test_token_in_percent_args_is_redacted() -> None:
    stream = configured()
    logging.getLogger("isobot.test").info("url=%s attempt=%d", f"/bot{TOKEN}/sendMessage", 3)
    output = stream.getvalue()
    assert TOKEN not in output
    assert f"url=/bot{REDACTED}/sendMessage attempt=3" in output


def test_token_in_an_exception_traceback_is_redacted() -> None:
    stream = configured()
    logger = logging.getLogger("isobot.test")
    try:
        try:
            raise ConnectionError(f"cannot reach /bot{TOKEN}/getUpdates")
        except ConnectionError as inner:
            raise RuntimeError(f"wrapped {TOKEN}") from inner
    except RuntimeError:
        logger.exception("polling failed for %s", TOKEN)
    output = stream.getvalue()
    assert TOKEN not in output
    assert "Traceback (most recent call last)" in output
    assert f"ConnectionError: cannot reach /bot{REDACTED}/getUpdates" in output
    assert f"RuntimeError: wrapped {REDACTED}" in output
    assert f"polling failed for {REDACTED}" in output


def test_token_in_a_traceback_already_formatted_by_another_handler_is_redacted() -> None:
    # Another handler on the root (pytest's, Sentry's) may format the record first and leave
    # an unredacted exc_text on it.
    earlier = StringIO()
    first = logging.StreamHandler(earlier)
    root = logging.getLogger()
    root.addHandler(first)
    stream = configured()
    assert root.handlers.index(first) < len(root.handlers) - 1
    try:
        raise ValueError(TOKEN)
    except ValueError:
        logging.getLogger("isobot.test").exception("failed")
    assert TOKEN in earlier.getvalue()
    assert TOKEN not in stream.getvalue()
    assert f"ValueError: {REDACTED}" in stream.getvalue()


def test_every_secret_is_redacted_and_more_can_be_added_later() -> None:
    stream = StringIO()
    redactor = configure_logging("INFO", secrets=[TOKEN, ""], stream=stream)
    logger = logging.getLogger("isobot.test")
    logger.info("before: %s", OTHER_SECRET)
    redactor.add(OTHER_SECRET)
    logger.info("after: %s and %s", OTHER_SECRET, TOKEN)
    lines = stream.getvalue().splitlines()
    assert OTHER_SECRET in lines[0]
    assert OTHER_SECRET not in lines[1]
    assert TOKEN not in lines[1]
    assert f"after: {REDACTED} and {REDACTED}" in lines[1]


def test_messages_without_secrets_are_left_alone() -> None:
    stream = configured()
    logging.getLogger("isobot.test").info("%d reminders sent in %.1f s", 12, 0.5)
    output = stream.getvalue()
    assert "12 reminders sent in 0.5 s" in output
    assert REDACTED not in output
    assert "INFO isobot.test:" in output


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR"])
def test_httpx_never_logs_below_warning(level: str) -> None:
    stream = configured(level)
    for name in ("httpx", "httpcore"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING
    logging.getLogger("httpx").info(
        f'HTTP Request: POST https://api.telegram.org/bot{TOKEN}/x "200"'
    )
    assert "HTTP Request" not in stream.getvalue()


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR"])
def test_telegram_never_logs_below_info(level: str) -> None:
    configured(level)
    for name in ("telegram", "telegram.ext"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.INFO
        assert logging.getLogger(name).getEffectiveLevel() >= logging.getLevelName(level)


def test_root_level_follows_the_setting() -> None:
    stream = configured("WARNING")
    assert logging.getLogger().level == logging.WARNING
    logging.getLogger("isobot.test").info("quiet")
    logging.getLogger("isobot.test").warning("loud")
    assert "quiet" not in stream.getvalue()
    assert "loud" in stream.getvalue()


def test_configuring_twice_keeps_a_single_handler() -> None:
    first = configured("INFO")
    second = configured("INFO")
    logging.getLogger("isobot.test").info("once")
    assert "once" not in first.getvalue()
    assert second.getvalue().count("once") == 1
    named = [h for h in logging.getLogger().handlers if h.get_name() == "isobot"]
    assert len(named) == 1
