"""Reading a Bot API request's parameters, however the client sent them.

Telegram takes the query string, application/x-www-form-urlencoded, application/json and
multipart/form-data. PTB 22 sends forms (multipart when it uploads a file) where every
non-string value is JSON-encoded, so ``reply_markup`` arrives as a JSON string; a JSON body may
carry it as an object instead. Both are accepted.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, bad_request

# Parameters whose value is a JSON object or array, and what Telegram says when it isn't one.
JSON_PARAMS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "entities": "can't parse entities JSON object",
    "caption_entities": "can't parse entities JSON object",
    "commands": "can't parse BotCommand array JSON object",
    "allowed_updates": "can't parse allowed_updates JSON array",
    "scope": "can't parse BotCommandScope JSON object",
    "link_preview_options": "can't parse link preview options JSON object",
    "reply_parameters": "can't parse reply parameters JSON object",
    "media": "can't parse InputMedia JSON object",
}
_INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "reply_to_message_id",
        "offset",
        "limit",
        "cache_time",
        "max_connections",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "allow_paid_broadcast",
        "drop_pending_updates",
        "disable_content_type_detection",
        "allow_sending_without_reply",
        "disable_web_page_preview",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    file_name: str
    mime_type: str | None
    content: bytes

    def describe(self) -> dict[str, Any]:
        return {"file_name": self.file_name, "mime_type": self.mime_type, "content": self.content}


class Params:
    """The parameters of one call, with Telegram-like coercion and error messages."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        """Present and not empty: Telegram treats an empty parameter as a missing one."""
        value = self.values.get(name)
        return name in self.files or (value is not None and value != "")

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def get_int(self, name: str, *, invalid: str | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(invalid or f"{name} is invalid") from None

    def get_float(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"{name} is invalid") from None

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def get_json(self, name: str) -> Any:
        """The decoded JSON value, or None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(JSON_PARAMS.get(name, f"can't parse {name}")) from None

    def chat_id(self) -> int | None:
        """The target chat, when it is a numeric id; never raises (used to match faults)."""
        value = self.values.get("chat_id")
        try:
            return int(value) if value is not None and not isinstance(value, bool) else None
        except (TypeError, ValueError):
            return None

    def for_record(self) -> dict[str, Any]:
        """A readable copy for the call log: JSON decoded, ids as ints, files described."""
        record: dict[str, Any] = {}
        for name, value in self.values.items():
            if name in JSON_PARAMS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            elif name in _BOOL_PARAMS and isinstance(value, str):
                value = value.strip().lower() in ("true", "1")
            elif name in _INT_PARAMS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = int(value)
            elif name == "timeout" and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = float(value) if "." in value else int(value)
            record[name] = value
        for name, upload in self.files.items():
            record[name] = upload.describe()
        return record


async def read_params(request: web.Request) -> Params:
    """Collect the parameters of a request; the body wins over the query string."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    content_type = request.content_type
    if content_type == "application/json":
        body = await request.read()
        if body.strip():
            try:
                data = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(data, dict):
                raise bad_request("JSON object expected")
            values.update(data)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            # Telegram's front end refuses a bot's upload over 50 MB before reading it.
            raise ApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise bad_request("can't parse request body") from None
        for name, field in form.items():
            if isinstance(field, web.FileField):
                files[name] = UploadedFile(
                    field.filename or name, field.content_type, field.file.read()
                )
            else:
                values[name] = field if isinstance(field, str) else bytes(field).decode()
    return Params(values, files)


def require_error(name: str) -> ApiError:
    """Telegram's answer for a missing required parameter."""
    return bad_request(f"{name} is empty")
