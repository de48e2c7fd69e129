"""The bot's settings as environment variables, so that a test or a benchmark decides every one
it gives the bot and none leaks in from the machine running it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    # Only the tests pass one in; the benchmarks import this module without pytest.
    import pytest

# pydantic-settings reads them whatever their case.
SETTING_NAMES = frozenset(name.upper() for name in Settings.model_fields)


def environment_without_settings() -> dict[str, str]:
    """This process's environment with none of the bot's settings in it, for a child process."""
    return {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}


def clear_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset every bot setting in this process for the test's duration."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def settings(**values: Any) -> Settings:
    """Settings from `values` and the environment, never from a stray .env file."""
    return Settings(_env_file=None, **values)
