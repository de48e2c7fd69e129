"""Checks of structured parameters: keyboards, bot commands and their scopes, explicit entities."""

from __future__ import annotations

import re
from typing import Any

from sandbox.errors import ApiError, bad_request
from sandbox.telegram_html import Entity, is_valid_url, utf16_len

MAX_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# An inline button does exactly one thing; these are the fields that say what.
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)


def _button_error(reason: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_EMPTY")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(
            f"InlineKeyboardButton must have exactly one optional field, got {', '.join(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise _button_error('Field "callback_data" must be of type String')
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not is_valid_url(url):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _check_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    count = 0
    for row in rows:
        for button in row:
            text = button if isinstance(button, str) else None
            if isinstance(button, dict):
                text = button.get("text")
            if not isinstance(text, str) or not text:
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
            count += 1
    if count > MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate reply_markup like Telegram; return the markup to keep (None for no keyboard)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
            )
        count = 0
        for row in rows:
            if not isinstance(row, list):
                raise _button_error('field "inline_keyboard" must be an Array of Arrays')
            for button in row:
                _check_inline_button(button)
                count += 1
        if count > MAX_BUTTONS:
            raise bad_request("REPLY_MARKUP_TOO_LONG")
        kept_rows = [row for row in rows if row]
        # An empty inline keyboard is no keyboard at all.
        return {"inline_keyboard": kept_rows} if kept_rows else None
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"])
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def check_commands(commands: Any) -> list[dict[str, str]]:
    """Validate setMyCommands' list; return it as plain {command, description} dicts."""
    if not isinstance(commands, list):
        raise bad_request("can't parse BotCommand array JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = item.get("command")
        description = item.get("description")
        if not isinstance(command, str) or not _COMMAND_NAME_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip() or len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked


def scope_key(scope: Any, language_code: str | None) -> str:
    """A key for one (scope, language) slot of the command lists."""
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    lang = language_code or ""
    if lang and not re.fullmatch(r"[a-z]{2}", lang):
        raise bad_request("LANG_CODE_INVALID")
    parts = [str(scope["type"]), str(scope.get("chat_id", "")), str(scope.get("user_id", ""))]
    return "|".join([*parts, lang])


def check_entities(raw: Any, text: str) -> tuple[Entity, ...]:
    """Validate explicitly given entities against the text they describe."""
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    length = utf16_len(text)
    entities: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type") not in _ENTITY_TYPES:
            raise bad_request("can't parse entities: unsupported entity type")
        offset, size = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(size, int):
            raise bad_request("can't parse entities: offset and length must be integers")
        if offset < 0 or size <= 0 or offset + size > length:
            raise bad_request("can't parse entities: entity is out of the text bounds")
        url = item.get("url")
        if item["type"] == "text_link" and (not isinstance(url, str) or not is_valid_url(url)):
            raise bad_request("can't parse entities: text_link needs a valid url")
        language = item.get("language") if item["type"] == "pre" else None
        entities.append(Entity(item["type"], offset, size, url=url, language=language))
    entities.sort(key=lambda e: (e.offset, -e.length))
    return tuple(entities)
