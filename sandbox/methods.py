"""The Bot API methods the sandbox implements, each as strict as Telegram.

A method either returns its result or raises ApiError; it changes the world only when it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sandbox.errors import ApiError, bad_request
from sandbox.faults import FaultPlan, RateLimiter
from sandbox.media import check_document, check_photo, photo_sizes
from sandbox.params import Params, UploadedFile, require_error
from sandbox.state import Chat, StoredMessage, World
from sandbox.telegram_html import Entity, HtmlParseError, parse_html, utf16_len
from sandbox.validation import check_commands, check_entities, check_reply_markup, scope_key
from sandbox.webhook import WebhookConfig, WebhookPusher

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

Handler = Callable[[Params], Any]
AsyncHandler = Callable[[Params], Awaitable[Any]]


@dataclass(frozen=True)
class RenderedText:
    """A text or caption after parse_mode: what Telegram shows and what the bot sent."""

    text: str
    entities: tuple[Entity, ...]
    source: str
    parse_mode: str | None


@dataclass(frozen=True)
class TextField:
    """Where a method carries a text, and Telegram's rules for it."""

    name: str
    entities: str
    limit: int
    too_long: str
    required: bool


MESSAGE_TEXT = TextField("text", "entities", MAX_TEXT, "message is too long", required=True)
CAPTION = TextField(
    "caption", "caption_entities", MAX_CAPTION, "message caption is too long", required=False
)


def _inline_markup(message: StoredMessage) -> dict[str, Any] | None:
    # Only an inline keyboard belongs to the message; a reply keyboard belongs to the chat.
    markup = message.reply_markup
    return markup if markup is not None and "inline_keyboard" in markup else None


class Methods:
    """The method table over one world; FakeBotApi adds HTTP, faults and recording around it."""

    def __init__(
        self,
        world: World,
        faults: FaultPlan,
        limiter: RateLimiter,
        *,
        enforce_rate_limits: bool,
    ) -> None:
        self.world = world
        self.faults = faults
        self.limiter = limiter
        self.enforce_rate_limits = enforce_rate_limits
        self.rate_limit_hits = 0
        self.webhook: WebhookConfig | None = None
        self._pusher: WebhookPusher | None = None
        self._polls: list[_Poll] = []
        self.stopping = False
        sync: dict[str, Handler] = {
            "getMe": self.get_me,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendChatAction": self.send_chat_action,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "editMessageMedia": self.edit_message_media,
            "editMessageCaption": self.edit_message_caption,
            "copyMessage": self.copy_message,
            "getFile": self.get_file,
            "close": self.close,
            "logOut": self.log_out,
        }
        asynchronous: dict[str, AsyncHandler] = {
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
        }
        self._sync = {name.lower(): (name, handler) for name, handler in sync.items()}
        self._async = {name.lower(): (name, handler) for name, handler in asynchronous.items()}

    def canonical(self, name: str) -> str | None:
        """The method's proper name; Telegram matches method names case-insensitively."""
        entry = self._sync.get(name.lower()) or self._async.get(name.lower())
        return entry[0] if entry is not None else None

    async def call(self, name: str, params: Params) -> Any:
        key = name.lower()
        if key in self._async:
            return await self._async[key][1](params)
        return self._sync[key][1](params)

    async def shutdown(self) -> None:
        """Release long polls and stop pushing to a webhook."""
        self.stopping = True
        self.world.updates.wake_all()
        if self._pusher is not None:
            await self._pusher.stop()
            self._pusher = None

    # -- shared checks -------------------------------------------------------------------------

    def _chat(self, params: Params, name: str = "chat_id") -> Chat:
        chat_id = params.get_int(name, invalid="chat not found")
        if chat_id is None:
            if params.has(name):  # "@channelname": a private chat has no such handle
                raise bad_request("chat not found")
            raise require_error(name)
        chat = self.world.chats.get(chat_id)
        if chat is None:
            if chat_id in self.world.users:
                # Met in a group, but never pressed Start: Telegram will not let the bot begin.
                raise ApiError(403, NOT_STARTED)
            raise bad_request("chat not found")
        return chat

    def _message_id(self, params: Params, not_found: str) -> int:
        if params.has("inline_message_id") and not params.has("chat_id"):
            raise bad_request("the sandbox has no inline messages: MESSAGE_ID_INVALID")
        message_id = params.get_int("message_id", invalid=not_found)
        if message_id is None:
            raise bad_request("message identifier is not specified")
        return message_id

    def _check_reachable(self, chat: Chat) -> None:
        """403 for a group the bot is not in, and for a user who blocked it."""
        if chat.is_group and not chat.bot_is_in:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        if chat.id in self.faults.blocked_chats:
            raise ApiError(403, BLOCKED)

    def _check_send_allowed(self, chat: Chat) -> None:
        """Access and the rate limits: the last checks before a send is delivered."""
        self._check_reachable(chat)
        if self.enforce_rate_limits:
            error = self.limiter.check(chat.id, group=chat.is_group)
            if error is not None:
                self.rate_limit_hits += 1
                raise error

    def _delivered(self, chat: Chat) -> None:
        if self.enforce_rate_limits:
            self.limiter.record(chat.id, group=chat.is_group)

    def _reply_to(self, params: Params, chat: Chat) -> int | None:
        """The message a send replies to (reply_parameters, or the older reply_to_message_id),
        which must exist in the same chat unless allow_sending_without_reply says otherwise."""
        raw = params.get_json("reply_parameters")
        if raw is None:
            message_id = params.get_int("reply_to_message_id")
            allow_without = params.get_bool("allow_sending_without_reply")
        else:
            message_id = raw.get("message_id") if isinstance(raw, dict) else None
            if not isinstance(message_id, int) or isinstance(message_id, bool):
                raise bad_request("can't parse reply parameters JSON object")
            if raw.get("chat_id") not in (None, chat.id):
                raise bad_request("the sandbox takes replies within the same chat only")
            allow_without = raw.get("allow_sending_without_reply") is True
        if message_id is None or message_id in chat.messages:
            return message_id
        if allow_without:
            return None
        raise bad_request("message to be replied not found")

    def _render(self, params: Params, field: TextField) -> RenderedText:
        """Apply parse_mode (or explicit entities) and Telegram's length rules."""
        source = params.get_str(field.name) or ""
        if not source:
            if field.required:
                raise bad_request("message text is empty")
            return RenderedText("", (), "", None)
        raw_mode = params.get_str("parse_mode") or ""
        explicit = params.get_json(field.entities)
        parse_mode: str | None = None
        if explicit is not None:
            # Telegram uses given entities as they are and ignores parse_mode then.
            text, entities = source, check_entities(explicit, source)
        elif not raw_mode:
            text, entities = source, ()
        elif raw_mode.lower() == "html":
            parse_mode = "HTML"
            try:
                parsed = parse_html(source)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            text, entities = parsed.text, parsed.entities
        elif raw_mode.lower() in ("markdown", "markdownv2"):
            raise bad_request(f"parse_mode {raw_mode} is not supported by the sandbox; use HTML")
        else:
            raise bad_request("unsupported parse_mode")
        if field.required and not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > field.limit:
            raise bad_request(field.too_long)
        return RenderedText(text, entities, source, parse_mode)

    def _new_bot_message(
        self,
        chat: Chat,
        rendered: RenderedText,
        markup: dict[str, Any] | None,
        document: dict[str, Any] | None = None,
        reply_to: int | None = None,
        photo: list[dict[str, Any]] | None = None,
    ) -> StoredMessage:
        message = chat.add_message(
            from_bot=True,
            date=self.world.now(),
            text=rendered.text,
            entities=rendered.entities,
            html=rendered.source,
            parse_mode=rendered.parse_mode,
            reply_markup=markup,
            document=document,
            reply_to=reply_to,
            photo=photo,
        )
        self._delivered(chat)
        return message

    # -- bot and updates -----------------------------------------------------------------------

    def get_me(self, params: Params) -> dict[str, Any]:
        return {
            **self.world.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.world.group_privacy,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = params.get_int("offset")
        limit = min(max(params.get_int("limit") or 100, 1), 100)
        timeout = max(params.get_float("timeout") or 0.0, 0.0)
        allowed = params.get_json("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise bad_request("can't parse allowed_updates JSON array")
            self.world.allowed_updates = allowed or None  # persists, like Telegram
        queue = self.world.updates
        if offset is not None:
            queue.confirm(offset)
        # A newer getUpdates ends any older one still waiting, as on Telegram.
        for poll in self._polls:
            poll.superseded = True
        queue.wake_all()
        poll = _Poll()
        self._polls.append(poll)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                if poll.superseded:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                updates = queue.peek(limit, self.world.allowed_updates)
                remaining = deadline - loop.time()
                if updates or remaining <= 0 or self.stopping:
                    return [dict(u) for u in updates]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(queue.waiter(), remaining)
        finally:
            self._polls.remove(poll)

    async def set_webhook(self, params: Params) -> bool:
        url = params.get_str("url") or ""
        if not url:
            await self._drop_webhook(params.get_bool("drop_pending_updates"))
            return True
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            # Telegram would call a public URL; the sandbox never calls beyond this machine.
            raise bad_request("bad webhook: the sandbox delivers only to 127.0.0.1 or localhost")
        secret = params.get_str("secret_token") or None  # empty means none, as elsewhere
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        allowed = params.get_json("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed_updates JSON array")
            self.world.allowed_updates = allowed or None
        await self._drop_webhook(params.get_bool("drop_pending_updates"))
        self.webhook = WebhookConfig(url, secret, params.get_int("max_connections"))
        # Telegram ends a pending getUpdates when a webhook is set.
        for poll in self._polls:
            poll.superseded = True
        self.world.updates.wake_all()
        self._pusher = WebhookPusher(self.world, self.webhook)
        self._pusher.start()
        return True

    async def delete_webhook(self, params: Params) -> bool:
        await self._drop_webhook(params.get_bool("drop_pending_updates"))
        return True

    async def _drop_webhook(self, drop_pending: bool) -> None:
        if self._pusher is not None:
            await self._pusher.stop()
            self._pusher = None
        self.webhook = None
        if drop_pending:
            self.world.updates.clear()

    def get_webhook_info(self, params: Params) -> dict[str, Any]:
        pending = len(self.world.updates)
        if self.webhook is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
        return self.webhook.info(pending, self.world.allowed_updates)

    def close(self, params: Params) -> bool:
        return True

    def log_out(self, params: Params) -> bool:
        return True

    # -- messages ------------------------------------------------------------------------------

    def send_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        rendered = self._render(params, MESSAGE_TEXT)
        params.get_json("link_preview_options")  # must at least be valid JSON
        markup = check_reply_markup(params.get_json("reply_markup"))
        reply_to = self._reply_to(params, chat)
        self._check_send_allowed(chat)
        message = self._new_bot_message(chat, rendered, markup, reply_to=reply_to)
        return self.world.message_dict(chat, message)

    def _editable(self, params: Params) -> tuple[Chat, StoredMessage]:
        chat = self._chat(params)
        message = chat.messages.get(self._message_id(params, "message to edit not found"))
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, chat: Chat, message: StoredMessage) -> dict[str, Any]:
        message.edits += 1
        message.edit_date = self.world.now()
        return self.world.message_dict(chat, message)

    def _replace_text(
        self,
        chat: Chat,
        message: StoredMessage,
        rendered: RenderedText,
        markup: dict[str, Any] | None,
        photo: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A message's text or caption, its keyboard and, given one, its photo replaced; like
        Telegram, refused when the edit would change nothing."""
        same_photo = photo is None or (message.photo is not None and photo[-1] is message.photo[-1])
        if same_photo and (rendered.text, rendered.entities, markup) == (
            message.text,
            message.entities,
            _inline_markup(message),
        ):
            raise bad_request(NOT_MODIFIED)
        self._check_reachable(chat)
        if photo is not None:
            message.photo, message.document = photo, None
        message.text, message.entities = rendered.text, rendered.entities
        message.html, message.parse_mode = rendered.source, rendered.parse_mode
        message.reply_markup = markup
        return self._apply_edit(chat, message)

    def edit_message_text(self, params: Params) -> dict[str, Any]:
        chat, message = self._editable(params)
        if message.has_media:
            raise bad_request("there is no text in the message to edit")
        rendered = self._render(params, MESSAGE_TEXT)
        # Without reply_markup an edit removes the inline keyboard, as on Telegram.
        markup = check_reply_markup(params.get_json("reply_markup"), inline_only=True)
        return self._replace_text(chat, message, rendered, markup)

    def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        chat, message = self._editable(params)
        markup = check_reply_markup(params.get_json("reply_markup"), inline_only=True)
        if markup == _inline_markup(message):
            raise bad_request(NOT_MODIFIED)
        self._check_reachable(chat)
        message.reply_markup = markup
        return self._apply_edit(chat, message)

    def delete_message(self, params: Params) -> bool:
        chat = self._chat(params)
        message_id = self._message_id(params, "message to delete not found")
        if chat.is_group:
            self._check_reachable(chat)  # leaving a group ends all access to it
        if message_id not in chat.messages:
            raise bad_request("message to delete not found")
        del chat.messages[message_id]
        return True

    def copy_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        source_chat = self._chat(params, "from_chat_id")
        source = source_chat.messages.get(self._message_id(params, "message to copy not found"))
        if source is None:
            raise bad_request("message to copy not found")
        if params.has("caption") and source.has_media:
            rendered = self._render(params, CAPTION)
        else:
            rendered = RenderedText(source.text, source.entities, source.html, source.parse_mode)
        markup = check_reply_markup(params.get_json("reply_markup"))
        reply_to = self._reply_to(params, chat)
        self._check_send_allowed(chat)
        copy = self._new_bot_message(
            chat, rendered, markup, source.document, reply_to, source.photo
        )
        return {"message_id": copy.message_id}

    def send_chat_action(self, params: Params) -> bool:
        chat = self._chat(params)
        if (params.get_str("action") or "") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._check_reachable(chat)
        return True

    # -- documents -----------------------------------------------------------------------------

    def _upload(self, params: Params, name: str) -> UploadedFile | dict[str, Any]:
        """The file to send: an uploaded file, an attach:// part, or a file_id sent before."""
        upload: UploadedFile | None = params.files.get(name)
        reference = params.get_str(name)
        if upload is None and reference and reference.startswith("attach://"):
            upload = params.files.get(reference.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"there is no {name} in the request")
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            return upload
        if not reference:
            raise bad_request(f"there is no {name} in the request")
        known = self.world.files.get(reference)
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known

    def send_document(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        source = self._upload(params, "document")
        if isinstance(source, UploadedFile):
            check_document(source.content)
        rendered = self._render(params, CAPTION)
        markup = check_reply_markup(params.get_json("reply_markup"))
        reply_to = self._reply_to(params, chat)
        self._check_send_allowed(chat)
        if isinstance(source, UploadedFile):
            document = self.world.store_file(source.file_name, source.mime_type, source.content)
        else:
            document = source
        message = self._new_bot_message(chat, rendered, markup, dict(document), reply_to)
        return self.world.message_dict(chat, message)

    def _photo(self, source: UploadedFile | dict[str, Any]) -> list[dict[str, Any]]:
        """The photo's stored sizes: a new upload checked as Telegram checks photos, or the
        sizes of a photo sent before (by the file_id of any of its sizes)."""
        if isinstance(source, UploadedFile):
            width, height, mime_type = check_photo(source.content)
            return self.world.store_photo(source.content, mime_type, photo_sizes(width, height))
        if "width" not in source:
            raise bad_request("wrong file identifier/HTTP URL specified")  # not a photo's id
        return [source]

    def send_photo(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        source = self._upload(params, "photo")
        rendered = self._render(params, CAPTION)
        markup = check_reply_markup(params.get_json("reply_markup"))
        reply_to = self._reply_to(params, chat)
        photo = self._photo(source)
        self._check_send_allowed(chat)
        message = self._new_bot_message(chat, rendered, markup, None, reply_to, photo)
        return self.world.message_dict(chat, message)

    def edit_message_media(self, params: Params) -> dict[str, Any]:
        """A photo message's photo and caption replaced (the sandbox edits photos only)."""
        chat, message = self._editable(params)
        media = params.get_json("media")
        if not isinstance(media, dict) or not isinstance(media.get("media"), str):
            raise bad_request("can't parse InputMedia JSON object")
        if media.get("type") != "photo":
            raise bad_request("the sandbox edits photos only: media type must be photo")
        if not message.has_media:
            raise bad_request("there is no media in the message to edit")
        inner = Params(
            {**{k: v for k, v in media.items() if k != "media"}, "photo": media["media"]},
            params.files,
        )
        source = self._upload(inner, "photo")
        rendered = self._render(inner, CAPTION)
        markup = check_reply_markup(params.get_json("reply_markup"), inline_only=True)
        return self._replace_text(chat, message, rendered, markup, self._photo(source))

    def edit_message_caption(self, params: Params) -> dict[str, Any]:
        chat, message = self._editable(params)
        if not message.has_media:
            raise bad_request("there is no caption in the message to edit")
        rendered = self._render(params, CAPTION)
        markup = check_reply_markup(params.get_json("reply_markup"), inline_only=True)
        return self._replace_text(chat, message, rendered, markup)

    def get_file(self, params: Params) -> dict[str, Any]:
        file_id = params.get_str("file_id")
        if not file_id:
            raise require_error("file_id")
        document = self.world.files.get(file_id)
        if document is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        return {
            "file_id": document["file_id"],
            "file_unique_id": document["file_unique_id"],
            "file_size": document["file_size"],
            "file_path": document["file_path"],
        }

    # -- callbacks and commands ----------------------------------------------------------------

    def answer_callback_query(self, params: Params) -> bool:
        query_id = params.get_str("callback_query_id")
        if not query_id:
            raise require_error("callback_query_id")
        query = self.world.callbacks.get(query_id)
        if query is None or query.answer is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get_str("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = params.for_record()
        return True

    def set_my_commands(self, params: Params) -> bool:
        if not params.has("commands"):
            raise require_error("commands")
        commands = check_commands(params.get_json("commands") or [])
        key = scope_key(params.get_json("scope"), params.get_str("language_code"))
        if commands:
            self.world.commands[key] = commands
        else:
            self.world.commands.pop(key, None)
        return True

    def get_my_commands(self, params: Params) -> list[dict[str, str]]:
        key = scope_key(params.get_json("scope"), params.get_str("language_code"))
        return [dict(c) for c in self.world.commands.get(key, [])]

    def delete_my_commands(self, params: Params) -> bool:
        key = scope_key(params.get_json("scope"), params.get_str("language_code"))
        self.world.commands.pop(key, None)
        return True


@dataclass
class _Poll:
    """A getUpdates request in progress."""

    superseded: bool = False
