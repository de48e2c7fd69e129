"""Settings, read from the environment and from a `.env` file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/isobot.sqlite3"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"

# BotFather tokens look like 123456789:AAE...; the second half is at least 30 characters in
# practice, but self-hosted and sandbox tokens are shorter, so only the shape is checked.
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{10,}$")

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is meant for the person starting the bot."""


def async_database_url(url: str) -> str:
    """Give a plain `postgresql://` or `sqlite://` URL its async driver."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError(f"DATABASE_URL is not a URL: {url!r}")
    if "+" in scheme:
        return url
    driver = _ASYNC_DRIVERS.get(scheme)
    if driver is None:
        raise ConfigError("DATABASE_URL must start with sqlite:// or postgresql://")
    return f"{driver}://{rest}"


class Settings(BaseSettings):
    """Everything the bot reads from its environment (see the README's settings table)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    # NoDecode: pydantic-settings would otherwise want JSON for a list; people write "123,456".
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    log_level: str = "INFO"
    dose_grace_minutes: int = Field(default=120, ge=0, le=720)
    care_grace_minutes: int = Field(default=60, ge=0, le=720)
    follow_up_minutes: int = Field(default=30, ge=5, le=720)
    tick_seconds: float = Field(default=5.0, gt=0, le=60)
    send_rate_per_second: float = Field(default=25.0, gt=0, le=1000)
    telegram_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",")]
            return frozenset(int(part) for part in parts if part)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("database_url", mode="after")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_database_url(value)

    @field_validator("log_level", mode="after")
    @classmethod
    def _level_name(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    def token(self) -> str:
        """The bot token, or ConfigError with one sentence that says what to do."""
        raw = self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else ""
        if not raw:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
                "or in .env, or try the bot without one using `python -m bot sandbox`."
            )
        if not TOKEN_PATTERN.match(raw):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a token from @BotFather "
                "(digits, a colon, then letters, digits, _ or -); check it, "
                "or try the bot without one using `python -m bot sandbox`."
            )
        return raw

    def base_file_url(self) -> str:
        """The file endpoint that goes with the API base URL."""
        base = self.telegram_api_base_url
        if "/bot" in base:
            head, _, tail = base.rpartition("/bot")
            return f"{head}/file/bot{tail}"
        return base

    def sqlite_path(self) -> Path | None:
        """The SQLite file, when the database is one, so its folder can be created."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :].split("?", 1)[0]
        return None if path in {"", ":memory:"} else Path(path)
