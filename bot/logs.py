"""Logging set-up: our format, quiet libraries, and no secrets in any record."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import IO

from storage.error_logs import log_failure

REDACTED = "[REDACTED]"
_HANDLER_NAME = "isobot"

# httpx logs each request URL at INFO, and the URL holds the token. PTB and APScheduler at DEBUG
# log request parameters and job reprs, which hold message texts.
_CHATTY = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "apscheduler": logging.WARNING,
    "telegram": logging.INFO,
    "telegram.ext": logging.INFO,
    "aiosqlite": logging.INFO,
    "asyncio": logging.INFO,
    "sqlalchemy": logging.WARNING,
}


def log_failed_update(
    log: logging.Logger, update_id: int | None, error: BaseException | None
) -> None:
    """Only the update's id, the exception's type and its frames: an exception's message can
    quote what a user wrote or what was sent, and that may be health information."""
    log_failure(log, error, "update %s", update_id)


class RedactingFilter(logging.Filter):
    """Replaces every secret in a record's final message and traceback text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def add(self, secret: str) -> None:
        if secret and secret not in self._secrets:
            self._secrets.append(secret)

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


def configure_logging(
    level: str, secrets: Iterable[str] = (), stream: IO[str] | None = None
) -> RedactingFilter:
    """Configure the root logger; returns the filter so more secrets can be added."""
    redactor = RedactingFilter(secrets)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    numeric = logging.getLevelName(level)
    for name, floor in _CHATTY.items():
        logging.getLogger(name).setLevel(max(floor, numeric))
    return redactor
