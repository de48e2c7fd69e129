"""What the fake Telegram knows: users and their private chats, messages, callback queries, the
update queue and the log of API calls. Plain data, no HTTP."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.telegram_html import Entity, utf16_len

# A command Telegram marks as bot_command: /name or /name@botusername at the start of the text.
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")


@dataclass(frozen=True)
class Call:
    """One API call as the sandbox answered it."""

    method: str
    params: dict[str, Any]
    ok: bool
    status: int
    description: str | None
    result: Any
    at: float


@dataclass(frozen=True)
class BotMessage:
    """A snapshot of a message the bot sent (or, in a conversation, the user), edits applied."""

    message_id: int
    chat_id: int
    text: str
    html: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edits: int
    document: dict[str, Any] | None
    entities: tuple[Entity, ...] = ()
    from_bot: bool = True
    date: int = 0


@dataclass
class User:
    """A person talking to the bot; their private chat has the same id."""

    id: int
    first_name: str
    username: str | None
    language_code: str

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        data["language_code"] = self.language_code
        return data

    def chat_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class StoredMessage:
    """A message in a chat, from the bot or from the user, in its current state."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str
    entities: tuple[Entity, ...] = ()
    html: str = ""
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    edits: int = 0
    edit_date: int | None = None
    document: dict[str, Any] | None = None

    def snapshot(self) -> BotMessage:
        return BotMessage(
            message_id=self.message_id,
            chat_id=self.chat_id,
            text=self.text,
            html=self.html,
            parse_mode=self.parse_mode,
            reply_markup=self.reply_markup,
            edits=self.edits,
            document=dict(self.document) if self.document is not None else None,
            entities=self.entities,
            from_bot=self.from_bot,
            date=self.date,
        )

    def to_dict(self, sender: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        """The Bot API Message object."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": sender,
            "chat": chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        entities = [e.to_dict() for e in self.entities]
        if self.document is not None:
            data["document"] = {
                k: v
                for k, v in self.document.items()
                if k not in ("content", "file_path") and v is not None
            }
            if self.text:
                data["caption"] = self.text
                if entities:
                    data["caption_entities"] = entities
        else:
            data["text"] = self.text
            if entities:
                data["entities"] = entities
        # Telegram echoes only inline keyboards on a Message.
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


@dataclass
class Chat:
    """A private chat with one user."""

    user: User
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1

    def new_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class CallbackQuery:
    """A button press and, once answered, the answer's parameters."""

    id: str
    user_id: int
    message_id: int
    data: str
    answer: dict[str, Any] | None = None


class UpdateQueue:
    """Updates waiting for the bot, kept until a later offset confirms them, as Telegram does."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._waiters: list[asyncio.Future[None]] = []

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        self.wake_all()
        return update_id

    def wake_all(self) -> None:
        """Release every long poll (a new update, a conflict or shutdown)."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def waiter(self) -> asyncio.Future[None]:
        """A future that resolves at the next push or wake_all, bound to the running loop."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # Polls that timed out leave cancelled futures behind; drop them here.
        self._waiters = [w for w in self._waiters if not w.done()]
        self._waiters.append(future)
        return future

    def confirm(self, offset: int) -> None:
        """Forget updates below ``offset``; a negative offset keeps only the last -offset."""
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def peek(self, limit: int, allowed: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The first ``limit`` pending updates; kinds not in ``allowed`` are dropped for good,
        as Telegram never creates them."""
        wanted = set(allowed) if allowed else None
        if wanted is not None:
            self._pending = [
                u for u in self._pending if any(k in wanted for k in u if k != "update_id")
            ]
        return self._pending[:limit]

    def clear(self) -> None:
        self._pending.clear()

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)


def command_entities(text: str) -> tuple[Entity, ...]:
    """The bot_command entity Telegram adds to a message that starts with a command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return ()
    return (Entity("bot_command", 0, utf16_len(match.group(0))),)


class World:
    """Everything the fake Telegram remembers about the bot's world."""

    def __init__(self, bot_user: dict[str, Any], clock: Callable[[], float]) -> None:
        self.bot_user = bot_user
        self.clock = clock
        self.chats: dict[int, Chat] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.updates = UpdateQueue()
        self.allowed_updates: list[str] | None = None
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.files: dict[str, dict[str, Any]] = {}  # file_id -> stored document
        self._next_callback = 1
        self._next_file = 1

    def now(self) -> int:
        return int(self.clock())

    def ensure_user(
        self, user_id: int, first_name: str, username: str | None, language_code: str
    ) -> Chat:
        """The user's private chat, created on first contact; the profile follows the latest."""
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chats[user_id] = Chat(User(user_id, first_name, username, language_code))
        else:
            chat.user.first_name = first_name
            chat.user.username = username
            chat.user.language_code = language_code
        return chat

    def message_dict(self, chat: Chat, message: StoredMessage) -> dict[str, Any]:
        sender = self.bot_user if message.from_bot else chat.user.to_dict()
        return message.to_dict(sender, chat.user.chat_dict())

    def new_callback_id(self) -> str:
        callback_id = f"{4_000_000_000 + self._next_callback}"
        self._next_callback += 1
        return callback_id

    def store_file(self, file_name: str, mime_type: str | None, content: bytes) -> dict[str, Any]:
        """Keep an uploaded document; returns its Document fields plus content and path."""
        number = self._next_file
        self._next_file += 1
        document: dict[str, Any] = {
            "file_id": f"BQACAgIAAxkBAAI-sandbox-{number}",
            "file_unique_id": f"AgADsandbox{number}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
            "content": content,
            "file_path": f"documents/file_{number}",
        }
        self.files[document["file_id"]] = document
        return document
