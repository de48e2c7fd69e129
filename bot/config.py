"""Settings, read from the environment and from a `.env` file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.exc import ArgumentError

from storage.db import asyncpg_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/isobot.sqlite3"
# Read from the working directory, as pydantic-settings does with a relative path.
ENV_FILE = ".env"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"

# BotFather tokens look like 123456789:AAE...; the second half is at least 30 characters in
# practice, but self-hosted and sandbox tokens are shorter, so only the shape is checked.
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{10,}$")

BOT_MODES = ("polling", "webhook")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Settings that take one of a few words, in any case: how each is written, and the words.
CHOICES: dict[str, tuple[Callable[[str], str], tuple[str, ...]]] = {
    "log_level": (str.upper, LOG_LEVELS),
    "bot_mode": (str.lower, BOT_MODES),
}
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8443"
# Telegram's alphabet for X-Telegram-Bot-Api-Secret-Token, and at least 32 characters: Telegram
# takes 1, but the secret is all that stops a stranger posting forged updates to our listener.
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,256}")
WEBHOOK_SECRET_RULE = (
    "WEBHOOK_SECRET must be 32 to 256 of A-Z, a-z, 0-9, _ and -; make one with "
    '`python -c "import secrets; print(secrets.token_urlsafe(32))"`'
)
# A Telegram user id as people write it: ASCII digits, no sign, no leading zero, no separators.
ADMIN_ID_PATTERN = re.compile(r"[1-9][0-9]{0,19}")
ADMIN_IDS_RULE = "ADMIN_IDS must be Telegram user ids separated by commas, such as 123,456"
# setWebhook refuses every other port; loopback URLs (a local Bot API server, the tests) are free.
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
HEALTH_PATH = "/healthz"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is meant for the person starting the bot."""


def async_database_url(url: str) -> str:
    """Give a plain `postgresql://` or `sqlite://` URL its async driver, and a libpq `sslmode`
    asyncpg's name for it, `ssl`: the URL that pg_dump takes works for the bot as well."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError(f"DATABASE_URL is not a URL: {url!r}")
    if "+" not in scheme:
        driver = _ASYNC_DRIVERS.get(scheme)
        if driver is None:
            raise ConfigError("DATABASE_URL must start with sqlite:// or postgresql://")
        url = f"{driver}://{rest}"
    try:
        return asyncpg_url(url)
    except ArgumentError:
        # Not echoed: the URL may hold a password.
        raise ConfigError("DATABASE_URL is not a URL SQLAlchemy can read") from None
    except ValueError as error:  # a mode asyncpg would not know either
        raise ConfigError(f"DATABASE_URL's {error}") from None


def env_file_read() -> str:
    """The `.env` that settings are read from, as an absolute path, and whether it is there.

    It is looked for in the working directory, so a service started elsewhere (a systemd unit
    without WorkingDirectory, cron) misses the one next to the README: the path says so.
    """
    path = Path(ENV_FILE).absolute()
    return str(path) if path.is_file() else f"{path} (which does not exist yet)"


def parse_listen(value: str, name: str) -> tuple[str, int]:
    """`host:port` (`[::1]:8443` for IPv6) as a host and a port; port 0 picks a free one."""
    host, sep, port = value.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"{name} must be host:port, such as {DEFAULT_WEBHOOK_LISTEN}")
    return host, int(port)


def parse_admin_ids(raw: str) -> list[int]:
    """The ids in a comma-separated ADMIN_IDS; ValueError names the first bad entry."""
    ids = []
    for position, entry in enumerate(raw.split(","), start=1):
        entry = entry.strip()
        if not entry:
            raise ValueError(f"{ADMIN_IDS_RULE}; entry {position} is empty")
        if not ADMIN_ID_PATTERN.fullmatch(entry):
            raise ValueError(f"{ADMIN_IDS_RULE}; {entry!r} is not one")
        ids.append(int(entry))
    return ids


def _check_webhook_url(url: str) -> str:
    parts = urlsplit(url)
    loopback = parts.hostname in LOOPBACK_HOSTS
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
        raise ValueError("WEBHOOK_URL must be an https:// URL, such as https://bot.example.org/tg")
    if parts.scheme != "https" and not loopback:
        raise ValueError("WEBHOOK_URL must use https://, since Telegram posts only over TLS")
    if not loopback and (parts.port or 443) not in WEBHOOK_PORTS:
        raise ValueError("WEBHOOK_URL must use port 443, 80, 88 or 8443, the ones Telegram allows")
    if (parts.path or "/") == HEALTH_PATH:
        raise ValueError(f"WEBHOOK_URL must not end in {HEALTH_PATH}, where the health check is")
    return url


@dataclass(frozen=True)
class Webhook:
    """What webhook mode needs, checked: where Telegram posts, where we listen, the secret."""

    url: str
    path: str  # the URL's path: a reverse proxy passes it through to our listener
    listen: tuple[str, int]
    secret: str


class Settings(BaseSettings):
    """Everything the bot reads from its environment (see the README's settings table)."""

    # hide_input_in_errors: a refused token or webhook secret must not be echoed in an error.
    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    telegram_bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    # How long start-up keeps trying a database server that refuses or does not answer: in a
    # container the network, or PostgreSQL itself, often comes up after the bot.
    database_wait_seconds: float = Field(default=30.0, ge=0, le=600)
    # NoDecode: pydantic-settings would otherwise want JSON for a list; people write "123,456".
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    log_level: str = "INFO"
    dose_grace_minutes: int = Field(default=120, ge=0, le=720)
    care_grace_minutes: int = Field(default=60, ge=0, le=720)
    follow_up_minutes: int = Field(default=30, ge=5, le=720)
    tick_seconds: float = Field(default=5.0, gt=0, le=60)
    send_rate_per_second: float = Field(default=25.0, gt=0, le=1000)
    # Messages in flight at once; also the most a crash can leave uncertain.
    send_concurrency: int = Field(default=8, ge=1, le=64)
    telegram_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Per user: this many updates at once, then this many a second; beyond that, a flood is
    # dropped with one notice (bot/handlers/flood.py).
    flood_burst: int = Field(default=20, ge=1, le=1_000_000_000)
    flood_per_second: float = Field(default=1.0, gt=0, le=1000)
    # Testing only (the crash soak): read "now" from a fake Telegram's GET /clock on this machine,
    # so simulated time survives the bot being killed. Empty: the real clock.
    simulated_clock_url: str = ""
    bot_mode: str = "polling"
    webhook_url: str = ""
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_secret: SecretStr | None = None
    # Empty: no health listener of its own (webhook mode still answers on WEBHOOK_LISTEN).
    health_listen: str = ""

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            # Empty: no admins. Otherwise every entry counts: "1,,2" or a trailing comma is
            # more likely a lost id than a harmless typo.
            return frozenset(parse_admin_ids(value)) if value.strip() else frozenset()
        if isinstance(value, int):
            value = [value]
        if isinstance(value, list | tuple | set | frozenset):
            # From code rather than the environment; held to the same rule all the same.
            text = ",".join(str(entry) for entry in value)
            return frozenset(parse_admin_ids(text)) if value else frozenset()
        return value

    @field_validator("database_url", mode="after")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_database_url(value)

    @field_validator("simulated_clock_url", mode="after")
    @classmethod
    def _loopback_clock(cls, value: str) -> str:
        # A production bot must never take its time from anywhere else by mistake.
        if value and not value.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise ValueError("SIMULATED_CLOCK_URL is for tests: http://127.0.0.1:<port>/clock")
        return value

    @field_validator("log_level", "bot_mode", mode="after")
    @classmethod
    def _one_of_the_choices(cls, value: str, info: ValidationInfo) -> str:
        name = info.field_name or ""
        fold, choices = CHOICES[name]
        chosen = fold(value.strip())
        if chosen not in choices:
            *first, last = choices
            raise ValueError(f"{name.upper()} must be {', '.join(first)} or {last}")
        return chosen

    @field_validator("webhook_url", mode="after")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        return _check_webhook_url(value.strip()) if value.strip() else ""

    @field_validator("webhook_listen", mode="after")
    @classmethod
    def _webhook_listen(cls, value: str) -> str:
        parse_listen(value, "WEBHOOK_LISTEN")
        return value.strip()

    @field_validator("health_listen", mode="after")
    @classmethod
    def _health_listen(cls, value: str) -> str:
        if value.strip():
            parse_listen(value, "HEALTH_LISTEN")
        return value.strip()

    # mode="after": the value is a SecretStr by then, so an error never shows the secret.
    @field_validator("webhook_secret", mode="after")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        # fullmatch: `$` alone would let a trailing newline through.
        if not WEBHOOK_SECRET_PATTERN.fullmatch(value.get_secret_value()):
            raise ValueError(WEBHOOK_SECRET_RULE)
        return value

    def webhook(self) -> Webhook:
        """Webhook mode's settings, or ConfigError with one sentence naming what is missing."""
        if not self.webhook_url:
            raise ConfigError(
                "BOT_MODE=webhook needs WEBHOOK_URL, the public https:// URL Telegram posts "
                "updates to, such as https://bot.example.org/tg."
            )
        if self.webhook_secret is None:
            raise ConfigError(
                "BOT_MODE=webhook needs WEBHOOK_SECRET, so that only Telegram can post updates: "
                "32 to 256 of A-Z, a-z, 0-9, _ and -, made with "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"`.'
            )
        return Webhook(
            url=self.webhook_url,
            path=urlsplit(self.webhook_url).path or "/",
            listen=parse_listen(self.webhook_listen, "WEBHOOK_LISTEN"),
            secret=self.webhook_secret.get_secret_value(),
        )

    def health_address(self) -> tuple[str, int] | None:
        """HEALTH_LISTEN as host and port, when set."""
        return parse_listen(self.health_listen, "HEALTH_LISTEN") if self.health_listen else None

    def token(self) -> str:
        """The bot token, or ConfigError with one sentence that says what to do."""
        raw = self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else ""
        if not raw:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
                f"or in {env_file_read()}, or try the bot without one using "
                "`python -m bot sandbox`."
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
        """The SQLite file, when the database is one."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :].split("?", 1)[0]
        return None if path in {"", ":memory:"} else Path(path)
