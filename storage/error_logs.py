"""Logging a failure by its type and its stack frames, never by its message.

An exception's message can quote what was being written: a database error from SQLAlchemy holds
the statement and its parameters (user ids with their zones, reminder times, dose kinds), and a
Bot API error can quote a message's text. The privacy page promises that logs hold ids and
error types, never what people write, so failures are logged here rather than with
`log.exception`. It lives in storage/, the one package that the bot and the reminder engine may
both import.
"""

from __future__ import annotations

import logging
import traceback


def error_types(error: BaseException | None) -> str:
    """The exception's type, and the types of the exceptions it was raised from: "IntegrityError
    (from ForeignKeyViolationError)". Types only; no message."""
    names = [type(error).__name__]
    seen = {id(error)}
    cause = error.__cause__ if error is not None else None
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        name = type(cause).__name__
        if name != names[-1]:  # a driver's error wrapped under the same name says nothing more
            names.append(name)
        cause = cause.__cause__
    first, *causes = names
    return f"{first} (from {', from '.join(causes)})" if causes else first


def error_frames(error: BaseException | None) -> str:
    """Where the exception was raised, frame by frame: file, line, function and source line."""
    if error is None:
        return ""
    return "".join(traceback.format_tb(error.__traceback__))


def log_failure(
    log: logging.Logger,
    error: BaseException | None,
    what: str,
    *args: object,
    after: str = "",
) -> None:
    """Log "`what` failed with <types>`after`" and the frames below it.

    `what` and `after` are constant templates (`what` takes `args`); the record holds no
    exception, so no handler can print its message.
    """
    template = what + " failed with %s" + after.replace("%", "%%") + "\n%s"
    log.error(template, *args, error_types(error), error_frames(error))
