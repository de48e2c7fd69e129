"""The settings every benchmarked bot runs with: its token, its database and the fake Bot API."""

from __future__ import annotations

from typing import Any

from bot.config import Settings


def bot_settings(token: str, url: str, base_url: str, **more: Any) -> Settings:
    """Settings from the arguments alone, never from the machine's .env, and quiet logs, so that
    logging costs no time in the figures."""
    return Settings(
        _env_file=None,
        telegram_bot_token=token,
        database_url=url,
        telegram_api_base_url=base_url,
        log_level="WARNING",
        **more,
    )
