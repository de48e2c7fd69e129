"""Failures are logged by their types and frames, never by their messages (storage/error_logs.py):
a database error's message quotes its statement's parameters, a Bot API error's may quote a text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from telegram import Bot

from scheduler.clock import ManualClock
from scheduler.pacing import Pacing
from scheduler.policy import Policy
from scheduler.send_loop import SendLoop
from scheduler.sender import Sender
from storage import Database
from storage.error_logs import error_types, log_failure
from tests.e2e.conftest import START, eventually

SECRET = "user 1001 in Asia/Kolkata, dose at 08:00"


@pytest.fixture
def logged() -> Iterator[StringIO]:
    """What the isobot loggers write, formatted as the bot's handler formats it."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("isobot")
    log.addHandler(handler)
    level = log.level
    log.setLevel(logging.INFO)
    yield stream
    log.setLevel(level)
    log.removeHandler(handler)


class IntegrityError(Exception):
    """Named as SQLAlchemy and the drivers name theirs."""


class ForeignKeyViolationError(Exception):
    """Named as asyncpg names the error it raises from."""


def write_the_row(parameters: str) -> None:
    # The frames quote these source lines, which name the values but do not hold them.
    try:
        raise ForeignKeyViolationError(parameters)
    except ForeignKeyViolationError as driver:
        raise IntegrityError(parameters) from driver


def test_a_failure_is_logged_by_its_types_and_frames_never_its_message(logged: StringIO) -> None:
    try:
        write_the_row(SECRET)
    except IntegrityError as error:
        log_failure(logging.getLogger("isobot.test"), error, "row %d", 7, after="; 100% again")
    output = logged.getvalue()
    assert output.startswith(
        "ERROR isobot.test: row 7 failed with IntegrityError (from ForeignKeyViolationError)"
        "; 100% again\n"
    )
    assert "in write_the_row" in output  # the frames
    assert SECRET not in output


def test_a_driver_error_wrapped_under_its_own_name_is_named_once() -> None:
    wrapped = IntegrityError(SECRET)
    wrapped.__cause__ = IntegrityError(SECRET)  # SQLAlchemy's, over sqlite3's
    assert error_types(wrapped) == "IntegrityError"


async def test_the_sender_logs_its_own_failure_without_the_databases_message(
    tmp_path: Path, logged: StringIO
) -> None:
    """A sender that cannot even start (no tables: its recovery's UPDATE fails) says so, and
    tries again, without SQLAlchemy's statement and parameters."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'not-migrated.sqlite3'}")
    loop = SendLoop(db, Bot("123:TEST"), ManualClock(START), Policy(), Pacing(30, 1.0))
    loop.idle_wait = 0.05
    sender = Sender(loop)

    async def failed_twice() -> bool:
        return logged.getvalue().count("sender failed") >= 2

    sender.start()
    try:
        await eventually(failed_twice, what="two failures to be logged")
    finally:
        await sender.stop()
        await db.dispose()
    output = logged.getvalue()
    assert "[SQL:" not in output and "deliveries" not in output
    assert "sender failed with OperationalError" in output
    assert "in recover" in output  # the frames
