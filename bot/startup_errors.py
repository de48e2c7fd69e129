"""Why start-up stopped: one sentence for the operator, a status of its own.

Telegram (bot/telegram_check.py), the database (bot/__main__.py) or a listener's port
(bot/listener.py). Apart from them, so that `python -m bot` can catch it without importing PTB on
its quick paths (a configuration mistake, `migrate`): PTB costs 0.2 to 0.3 s.
"""

from __future__ import annotations

# After 0 (stopped) and 1 (a crash), and 2 (a configuration mistake, bot/__main__.py).
EXIT_UNREACHABLE = 3
EXIT_TOKEN_REJECTED = 4
# DATABASE_URL names a database that cannot be used: not reached in time, refused, not there.
EXIT_DATABASE = 5
# HEALTH_LISTEN or WEBHOOK_LISTEN cannot be listened on: the port is taken, say.
EXIT_LISTEN = 6


class StartupError(Exception):
    """Start-up cannot go on. `str()` is one sentence for the operator, with no secret in it."""

    def __init__(self, sentence: str, exit_status: int) -> None:
        super().__init__(sentence)
        self.exit_status = exit_status
