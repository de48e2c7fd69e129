"""No Bot API call inside a database session: the guard at the transport.

On SQLite a session holds the process's one writer turn (storage/db.py), so a call made inside
one makes every other chat wait for Telegram's answer to this one: a slow chat slows them all.
Handlers read or write, commit, and only then talk to Telegram.

The check is per task: a call counts only when the task making it has a session open. A task
started from inside a session inherits the context, not the session, and may call freely.

In production a call found inside a session is logged, with the stack that made it, and goes
ahead: the user still gets the answer, only later than they should. Under `strict()`, as the
test suite runs, it raises instead, and is listed, so that a test fails even where the error is
caught and logged on the way (the sender records every error on its row, PTB's error handler
logs them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.transport import AiohttpRequest
from storage.db import session_open

log = logging.getLogger("isobot.session_guard")

# Violations seen under strict(); None outside it, where they are only logged.
_strict_violations: list[str] | None = None


class BotCallInSession(RuntimeError):
    """A Bot API call started while its task had a database session open."""


@contextmanager
def strict() -> Iterator[list[str]]:
    """Within this block a call inside a session raises; the list names each one made."""
    global _strict_violations
    previous, _strict_violations = _strict_violations, []
    try:
        yield _strict_violations
    finally:
        _strict_violations = previous


def check_outside_session(url: str) -> None:
    """Complain when a Bot API call to `url` starts inside a session of the running task."""
    if not session_open():
        return
    # The URL holds the token: only its last part, the method name, may be shown.
    method = url.rsplit("/", 1)[-1]
    method = method if method.isalpha() else "a file download"
    if _strict_violations is not None:
        _strict_violations.append(method)
        raise BotCallInSession(f"{method} called inside a database session")
    log.warning(
        "%s called inside a database session; it holds the others up", method, stack_info=True
    )


class SessionGuardedRequest(AiohttpRequest):
    """The aiohttp transport, checking that no call starts inside a database session."""

    __slots__ = ()

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        # PTB's arguments pass through as they came; only the URL is looked at.
        check_outside_session(url)
        return await super().do_request(url, *args, **kwargs)
