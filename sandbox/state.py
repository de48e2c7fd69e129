"""What the fake Telegram knows: users, chats (private, groups, channels), messages, callback
queries, the update queue and the log of API calls. Plain data, no HTTP."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.telegram_html import Entity

PRIVATE = "private"
GROUP_TYPES = frozenset({"group", "supergroup"})
CHANNEL = "channel"
# What the bot gets when it names no allowed_updates: everything but these, as on Telegram.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_PHOTO_SIZE = ("file_id", "file_unique_id", "width", "height", "file_size")


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
    sender_id: int | None = None  # the person who wrote it; None for the bot or a channel
    reply_to_message_id: int | None = None
    # A photo's sizes, smallest first (PhotoSize fields); its caption is `text`.
    photo: list[dict[str, Any]] | None = None


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
    """A message in a chat, from the bot, a person or a channel, in its current state."""

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
    sender_id: int | None = None  # the person who wrote it; None for the bot or a channel
    reply_to: int | None = None  # the id of the message it replies to, in the same chat
    service: dict[str, Any] | None = None  # a service message's fields (new_chat_members...)
    photo: list[dict[str, Any]] | None = None  # PhotoSize fields, smallest first

    @property
    def has_media(self) -> bool:
        return self.document is not None or self.photo is not None

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
            sender_id=self.sender_id,
            reply_to_message_id=self.reply_to,
            photo=[dict(size) for size in self.photo] if self.photo is not None else None,
        )

    def to_dict(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any] | None,
        replied: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The Bot API Message object; with no sender it is a channel's post (sender_chat)."""
        data: dict[str, Any] = {"message_id": self.message_id}
        if sender is not None:
            data["from"] = sender
        else:
            data["sender_chat"] = chat
        data["chat"] = chat
        data["date"] = self.date
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if replied is not None:
            data["reply_to_message"] = replied
        entities = [e.to_dict() for e in self.entities]
        if self.service is not None:
            data.update(self.service)
        elif self.has_media:
            if self.document is not None:
                data["document"] = _public(self.document)
            if self.photo is not None:
                data["photo"] = [{k: size[k] for k in _PHOTO_SIZE} for size in self.photo]
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


def _public(file: dict[str, Any]) -> dict[str, Any]:
    """A stored file's Bot API fields: no content, no path (getFile gives that)."""
    return {k: v for k, v in file.items() if k not in ("content", "file_path") and v is not None}


@dataclass
class Chat:
    """A chat the bot can be in: a user's private chat, a group or supergroup, or a channel."""

    id: int
    type: str  # "private", "group", "supergroup" or "channel"
    user: User | None = None  # the person, in a private chat
    title: str = ""
    members: set[int] = field(default_factory=set)  # user ids, in a group
    # The bot's ChatMember status there: "member", "administrator" (channels), "left" or
    # "kicked" (a private chat whose user blocked the bot).
    bot_status: str = "member"
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1

    @property
    def is_group(self) -> bool:
        return self.type in GROUP_TYPES

    @property
    def bot_is_in(self) -> bool:
        return self.bot_status in ("member", "administrator")

    def new_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def add_message(self, *, from_bot: bool, date: int, text: str, **fields: Any) -> StoredMessage:
        """A new message in this chat, with the chat's next id; `fields` are StoredMessage's."""
        message = StoredMessage(
            self.new_message_id(), self.id, from_bot=from_bot, date=date, text=text, **fields
        )
        self.messages[message.message_id] = message
        return message

    def to_dict(self) -> dict[str, Any]:
        """The Bot API Chat object."""
        if self.user is not None:
            return self.user.chat_dict()
        return {"id": self.id, "title": self.title, "type": self.type}


@dataclass
class CallbackQuery:
    """A button press and, once answered, the answer's parameters."""

    id: str
    user_id: int
    message_id: int
    data: str
    chat_id: int | None = None  # where the pressed message is: answerCallbackQuery names no chat
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
        """The first ``limit`` pending updates; kinds not in ``allowed`` (with none given, the
        kinds Telegram leaves out by default) are dropped for good, as Telegram never creates
        them."""
        wanted = set(allowed) if allowed else None
        self._pending = [u for u in self._pending if _wanted(u, wanted)]
        return self._pending[:limit]

    def clear(self) -> None:
        self._pending.clear()

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)


def callback_buttons(markup: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(text, callback_data) of an inline keyboard's callback buttons, row by row."""
    return [
        (button["text"], button["callback_data"])
        for row in (markup or {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]


def _wanted(update: dict[str, Any], wanted: set[str] | None) -> bool:
    kind = next(k for k in update if k != "update_id")
    return kind not in _NOT_BY_DEFAULT if wanted is None else kind in wanted


class World:
    """Everything the fake Telegram remembers about the bot's world."""

    def __init__(self, bot_user: dict[str, Any], clock: Callable[[], float]) -> None:
        self.bot_user = bot_user
        self.clock = clock
        # Privacy mode, on for every new bot: in groups the bot sees only what is meant for it.
        self.group_privacy = True
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.updates = UpdateQueue()
        self.allowed_updates: list[str] | None = None
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.files: dict[str, dict[str, Any]] = {}  # file_id -> stored document
        self._next_callback = 1
        self._file_numbers = itertools.count(1)

    def now(self) -> int:
        return int(self.clock())

    def ensure_user(
        self, user_id: int, first_name: str, username: str | None, language_code: str
    ) -> Chat:
        """The user's private chat, created on first contact; the profile follows the latest."""
        user = self.person(user_id)
        user.first_name, user.username, user.language_code = first_name, username, language_code
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chats[user_id] = Chat(user_id, PRIVATE, user=user)
        return chat

    def person(self, user_id: int) -> User:
        """A known user, or a new one with the default profile (and no private chat yet)."""
        if user_id <= 0:
            raise ValueError(f"a user id is positive, not {user_id}")
        user = self.users.get(user_id)
        if user is None:
            user = self.users[user_id] = User(user_id, "Tess", None, "en")
        return user

    def message_dict(
        self, chat: Chat, message: StoredMessage, *, with_reply: bool = True
    ) -> dict[str, Any]:
        sender: dict[str, Any] | None = None
        if chat.type != CHANNEL:
            sender = self.bot_user if message.from_bot else self._sender(chat, message).to_dict()
        replied = None
        target = chat.messages.get(message.reply_to) if message.reply_to is not None else None
        if with_reply and target is not None:
            # The replied-to message comes without its own reply_to_message, as on Telegram.
            replied = self.message_dict(chat, target, with_reply=False)
        return message.to_dict(chat.to_dict(), sender, replied)

    def _sender(self, chat: Chat, message: StoredMessage) -> User:
        if message.sender_id is not None:
            return self.users[message.sender_id]
        if chat.user is None:
            raise ValueError(f"message {message.message_id} in chat {chat.id} has no sender")
        return chat.user

    def new_callback_id(self) -> str:
        callback_id = f"{4_000_000_000 + self._next_callback}"
        self._next_callback += 1
        return callback_id

    def store_file(self, file_name: str, mime_type: str | None, content: bytes) -> dict[str, Any]:
        """Keep an uploaded document; returns its Document fields plus content and path."""
        return self._keep_file(
            ("BQACAgIAAxkBAAI", "AgAD"),
            "documents/file_{}",
            content,
            file_name=file_name,
            mime_type=mime_type,
        )

    def store_photo(
        self, content: bytes, mime_type: str, sizes: list[tuple[int, int]]
    ) -> list[dict[str, Any]]:
        """Keep an uploaded photo; returns its PhotoSize fields, smallest first. Every size
        has a file of its own, as on Telegram; the sandbox keeps the upload's bytes in each."""
        found = []
        extension = "png" if mime_type == "image/png" else "jpg"
        path = f"photos/file_{{}}.{extension}"
        for width, height in sizes:
            found.append(
                self._keep_file(
                    ("AgACAgIAAxkBAAI", "AQAD"),
                    path,
                    content,
                    width=width,
                    height=height,
                    mime_type=mime_type,
                )
            )
        return found

    def _keep_file(
        self, id_prefixes: tuple[str, str], path: str, content: bytes, **fields: Any
    ) -> dict[str, Any]:
        """A new file with its ids (prefixed as Telegram's are for its type), size, bytes and
        path (`path` with the file's number in its braces), and the fields given."""
        number = next(self._file_numbers)
        stored: dict[str, Any] = {
            "file_id": f"{id_prefixes[0]}-sandbox-{number}",
            "file_unique_id": f"{id_prefixes[1]}sandbox{number}",
            **fields,
            "file_size": len(content),
            "content": content,
            "file_path": path.format(number),
        }
        self.files[stored["file_id"]] = stored
        return stored
