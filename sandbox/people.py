"""The people on the other side of the bot: users in their private chats, members of groups and
the admins of channels. Each action changes the world and queues the update Telegram would send.

These are plain functions for the event loop's thread. They raise ValueError for what no
Telegram client could do (a non-member writing in a group, a press on a button that is not
there), so a test cannot drive the bot into a state the real Telegram never produces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sandbox.entities import addressed_to, user_entities
from sandbox.faults import FaultPlan
from sandbox.methods import MAX_TEXT
from sandbox.state import (
    CHANNEL,
    GROUP_TYPES,
    PRIVATE,
    CallbackQuery,
    Chat,
    StoredMessage,
    User,
    World,
    callback_buttons,
)
from sandbox.telegram_html import utf16_len

# What t.me/<bot>?start=<payload> accepts; Telegram ignores a link with anything else.
_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _check_text(text: str) -> None:
    if not text.strip():
        raise ValueError("Telegram does not send empty messages")
    if utf16_len(text) > MAX_TEXT:
        raise ValueError(f"a user's message is at most {MAX_TEXT} UTF-16 code units")


# The fields of each kind of media a user can send, beside its file ids.
_MEDIA: dict[str, dict[str, Any]] = {
    "photo": {"width": 90, "height": 90},
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    },
    "voice": {"duration": 4},
    "document": {"file_name": "scan.pdf", "mime_type": "application/pdf"},
}


# The sender Telegram names for every message an anonymous group admin sends.
ANONYMOUS_ADMIN: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


class People:
    """Everyone who is not the bot, acting through Telegram's clients."""

    def __init__(self, world: World, faults: FaultPlan) -> None:
        self._world = world
        self._faults = faults

    # -- private chats ---------------------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Tess",
        username: str | None = None,
        language_code: str = "en",
    ) -> dict[str, Any]:
        """The user writes ``text`` to the bot; returns the Message of the queued update."""
        _check_text(text)
        known = self._world.chats.get(user_id)
        if known is not None and known.bot_status == "kicked":
            # The app shows "Restart" instead of the text field until the user unblocks.
            raise ValueError(f"user {user_id} has blocked the bot; unblock_bot first")
        chat = self._world.ensure_user(user_id, first_name, username, language_code)
        message = self._new_message(chat, user_id, text)
        payload = self._world.message_dict(chat, message)
        self._world.updates.push("message", payload)
        return payload

    def forward_text(self, user_id: int, text: str, *, from_name: str) -> dict[str, Any]:
        """The user forwards to the bot a message that `from_name` wrote (someone who hides
        their account, so Telegram gives only the name); returns the Message of the update."""
        _check_text(text)
        chat = self._world.ensure_user(user_id, "Tess", None, "en")
        message = self._new_message(chat, user_id, text)
        payload = self._world.message_dict(chat, message)
        payload["forward_origin"] = {
            "type": "hidden_user",
            "sender_user_name": from_name,
            "date": payload["date"] - 3600,
        }
        self._world.updates.push("message", payload)
        return payload

    def send_media(
        self, user_id: int, kind: str, caption: str = "", *, album: str | None = None
    ) -> dict[str, Any]:
        """The user sends a photo, sticker, voice note or document (`kind`), with a caption
        where Telegram allows one; returns the Message of the queued update. Photos sent as one
        album each come as a message of their own with the same `album` (media_group_id)."""
        if kind not in _MEDIA:
            raise ValueError(f"unknown media kind {kind!r}; one of {sorted(_MEDIA)}")
        if caption and kind in {"sticker"}:
            raise ValueError("a sticker has no caption")
        chat = self._world.ensure_user(user_id, "Tess", None, "en")
        message = chat.add_message(from_bot=False, date=self._world.now(), text="")
        payload = self._world.message_dict(chat, message)
        payload.pop("text", None)
        payload.pop("entities", None)
        unique = f"{kind}{message.message_id}"
        payload[kind] = _MEDIA[kind] | {"file_id": f"AgAD{unique}", "file_unique_id": unique}
        if kind == "photo":
            payload[kind] = [payload[kind]]
        if caption:
            payload["caption"] = caption
        if album is not None:
            payload["media_group_id"] = album
        self._world.updates.push("message", payload)
        return payload

    def edit_text(self, user_id: int, message_id: int, text: str) -> None:
        """The user edits a message they wrote to the bot: an edited_message update."""
        chat = self._world.chats.get(user_id)
        if chat is None:
            raise ValueError(f"user {user_id} has not written to the bot")
        self._edit(chat, message_id, text, "edited_message")

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str = "Tess",
        username: str | None = None,
        language_code: str = "en",
    ) -> None:
        """A user who has talked to the bot before: the bot can send to them without a new
        message first (Telegram forgets nobody; a fresh fake knows nobody)."""
        self._world.ensure_user(user_id, first_name, username, language_code)

    def start_deep_link(self, user_id: int, payload: str) -> None:
        """The user opens ``https://t.me/<bot>?start=<payload>`` and taps Start: the bot gets
        ``/start <payload>`` in their private chat (after an unblock, if they had blocked it)."""
        if not _START_PAYLOAD.fullmatch(payload):
            raise ValueError(f"a start payload is 1-64 characters of A-Za-z0-9_-, not {payload!r}")
        chat = self._world.chats.get(user_id)
        if chat is not None and chat.bot_status == "kicked":
            self.unblock_bot(user_id)  # the Start button of a blocked bot reads "Restart"
        text = f"/start {payload}"
        user = self._world.users.get(user_id)
        if user is None:
            self.send_text(user_id, text)
            return
        self.send_text(
            user_id,
            text,
            first_name=user.first_name,
            username=user.username,
            language_code=user.language_code,
        )

    def block_chat(self, chat_id: int) -> None:
        """The user blocks the bot, silently: sends and edits to them get 403 until
        unblock_chat. ``block_bot`` also tells the bot, as Telegram does."""
        self._faults.blocked_chats.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._faults.blocked_chats.discard(chat_id)

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: a my_chat_member update (member -> kicked) in their private
        chat, and 403 "bot was blocked by the user" for sends from then on."""
        chat = self._private_chat(user_id)
        if chat.bot_status == "kicked":
            raise ValueError(f"user {user_id} has already blocked the bot")
        chat.bot_status = "kicked"
        self.block_chat(user_id)
        self._push_bot_status(chat, self._world.users[user_id], "member")

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks the bot: my_chat_member (kicked -> member); sends work again."""
        chat = self._private_chat(user_id)
        if chat.bot_status != "kicked":
            raise ValueError(f"user {user_id} has not blocked the bot")
        chat.bot_status = "member"
        self.unblock_chat(user_id)
        self._push_bot_status(chat, self._world.users[user_id], "kicked")

    # -- groups ----------------------------------------------------------------------------------

    def add_group(
        self,
        chat_id: int,
        *,
        title: str = "Test group",
        members: Iterable[int] = (),
        kind: str = "supergroup",
    ) -> None:
        """A group (negative id) with these users in it; the bot is not a member yet."""
        if kind not in GROUP_TYPES:
            raise ValueError(f"kind is 'group' or 'supergroup', not {kind!r}")
        if chat_id >= 0:
            raise ValueError(f"group ids are negative, not {chat_id}")
        if chat_id in self._world.chats:
            raise ValueError(f"chat {chat_id} exists already")
        if not title.strip():
            raise ValueError("a group needs a title")
        people = [self._world.person(user_id) for user_id in members]
        chat = Chat(chat_id, kind, title=title, bot_status="left")
        chat.members.update(user.id for user in people)
        self._world.chats[chat_id] = chat

    def add_bot_to_group(self, chat_id: int, by_user_id: int) -> None:
        """A member adds the bot: my_chat_member (left -> member), then the service message
        with new_chat_members, as Telegram sends them."""
        chat = self._group(chat_id)
        adder = self._member(chat, by_user_id)
        if chat.bot_is_in:
            raise ValueError(f"the bot is already a member of group {chat_id}")
        old_status = chat.bot_status
        chat.bot_status = "member"
        self._push_bot_status(chat, adder, old_status)
        bot = dict(self._world.bot_user)
        # Telegram still sends the old one-member fields beside new_chat_members.
        service = {"new_chat_participant": bot, "new_chat_member": bot, "new_chat_members": [bot]}
        message = self._new_message(chat, adder.id, "", service=service)
        self._world.updates.push("message", self._world.message_dict(chat, message))

    def remove_bot_from_group(self, chat_id: int, by_user_id: int) -> None:
        """A member removes the bot: my_chat_member (member -> left); from then on every call
        about that chat gets 403 "bot is not a member of the ... chat"."""
        chat = self._group(chat_id)
        remover = self._member(chat, by_user_id)
        if not chat.bot_is_in:
            raise ValueError(f"the bot is not a member of group {chat_id}")
        chat.bot_status = "left"
        self._push_bot_status(chat, remover, "member")

    def send_group_text(
        self, chat_id: int, user_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> int:
        """A member writes in the group; returns the message id. The bot gets the update only
        if it is a member and, in privacy mode, only if the message is meant for it."""
        chat = self._group(chat_id)
        self._member(chat, user_id)
        _check_text(text)
        if reply_to_message_id is not None and reply_to_message_id not in chat.messages:
            raise ValueError(f"group {chat_id} has no message {reply_to_message_id}")
        message = self._new_message(chat, user_id, text, reply_to=reply_to_message_id)
        if chat.bot_is_in and self._bot_sees(chat, message):
            self._world.updates.push("message", self._world.message_dict(chat, message))
        return message.message_id

    def send_group_text_anonymously(self, chat_id: int, admin_id: int, text: str) -> int:
        """An admin of the group writes as the group itself (Telegram's "remain anonymous"):
        the update names GroupAnonymousBot as its sender and the group as its sender_chat.
        Returns the message id."""
        chat = self._group(chat_id)
        self._member(chat, admin_id)
        _check_text(text)
        message = self._new_message(chat, admin_id, text)
        if chat.bot_is_in and self._bot_sees(chat, message):
            payload = self._world.message_dict(chat, message)
            payload["from"] = dict(ANONYMOUS_ADMIN)
            payload["sender_chat"] = chat.to_dict()
            self._world.updates.push("message", payload)
        return message.message_id

    def send_group_photo(
        self, chat_id: int, user_id: int, caption: str, *, reply_to_message_id: int | None = None
    ) -> int:
        """A member posts a photo with `caption` in the group; seen by the bot as a text would
        be (a mention in the caption, or a reply to the bot). Returns the message id."""
        chat = self._group(chat_id)
        self._member(chat, user_id)
        _check_text(caption)
        message = self._new_message(chat, user_id, caption, reply_to=reply_to_message_id)
        if chat.bot_is_in and self._bot_sees(chat, message):
            payload = self._world.message_dict(chat, message)
            payload["caption"] = payload.pop("text")
            if "entities" in payload:
                payload["caption_entities"] = payload.pop("entities")
            unique = f"photo{message.message_id}"
            payload["photo"] = [
                _MEDIA["photo"] | {"file_id": f"AgAD{unique}", "file_unique_id": unique}
            ]
            self._world.updates.push("message", payload)
        return message.message_id

    def _bot_sees(self, chat: Chat, message: StoredMessage) -> bool:
        """Privacy mode: commands not meant for another bot, mentions of the bot and replies
        to the bot; everything when privacy mode is off."""
        if not self._world.group_privacy:
            return True
        replied = chat.messages.get(message.reply_to) if message.reply_to is not None else None
        if replied is not None and replied.from_bot:
            return True
        return addressed_to(message.text, message.entities, self._world.bot_user["username"])

    # -- channels --------------------------------------------------------------------------------

    def post_to_channel(self, chat_id: int, text: str) -> int:
        """A channel post, with the bot as the channel's administrator (a bot sees a channel's
        posts only as one); the channel is made on first use. Returns the message id."""
        _check_text(text)
        chat = self._channel(chat_id, create=True)
        message = self._new_message(chat, None, text)
        self._world.updates.push("channel_post", self._world.message_dict(chat, message))
        return message.message_id

    def edit_channel_post(self, chat_id: int, message_id: int, text: str) -> None:
        """The channel edits a post: an edited_channel_post update."""
        self._edit(self._channel(chat_id, create=False), message_id, text, "edited_channel_post")

    def _edit(self, chat: Chat, message_id: int, text: str, update_type: str) -> None:
        """A person's own message edited, as the bot is told of it."""
        _check_text(text)
        message = chat.messages.get(message_id)
        if message is None or message.from_bot:
            raise ValueError(f"chat {chat.id} has no message {message_id} of a person's")
        if message.text == text:
            raise ValueError("the edit changes nothing; Telegram sends no update for that")
        message.text, message.html, message.entities = text, text, user_entities(text)
        message.edits += 1
        message.edit_date = self._world.now()
        self._world.updates.push(update_type, self._world.message_dict(chat, message))

    # -- buttons ---------------------------------------------------------------------------------

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> str:
        """The user presses an inline button of a bot message; returns the callback query id.
        ``chat_id`` names a group (or channel) the message is in; by default the user's own
        private chat."""
        where = user_id if chat_id is None else chat_id
        chat = self._chat_for_press(user_id, where)
        message = chat.messages.get(message_id) if chat is not None else None
        if chat is None or message is None or not message.from_bot:
            raise ValueError(f"the bot has no message {message_id} in chat {where}")
        available = callback_buttons(message.reply_markup)
        if callback_data not in [data for _, data in available]:
            raise ValueError(
                f"message {message_id} in chat {where} has no button with callback_data "
                f"{callback_data!r}; its buttons are {available!r}"
            )
        return self._push_callback(chat, self._world.users[user_id], message_id, callback_data)

    def forge_callback(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> str:
        """A callback query with any data, checked against nothing (a forged or stale press);
        ``chat_id`` places it in a group the fake knows."""
        if chat_id is None or chat_id == user_id:
            chat = self._world.chats.get(user_id)
            if chat is None:
                chat = self._world.ensure_user(user_id, "Tess", None, "en")
        else:
            found = self._world.chats.get(chat_id)
            if found is None:
                raise ValueError(f"there is no chat {chat_id}; add_group first")
            chat = found
        return self._push_callback(chat, self._world.person(user_id), message_id, data)

    def _chat_for_press(self, user_id: int, chat_id: int) -> Chat | None:
        chat = self._world.chats.get(chat_id)
        if chat is None or chat_id == user_id:
            return chat
        if chat.type == PRIVATE:
            raise ValueError(f"user {user_id} cannot see the private chat of user {chat_id}")
        if chat.is_group:
            self._member(chat, user_id)
        else:
            self._world.person(user_id)  # anyone may read a channel
        return chat

    def _push_callback(self, chat: Chat, presser: User, message_id: int, data: str) -> str:
        query_id = self._world.new_callback_id()
        message = chat.messages.get(message_id)
        if message is not None:
            message_dict = self._world.message_dict(chat, message)
        else:
            # What Telegram sends for a message the bot can no longer see.
            message_dict = {"chat": chat.to_dict(), "message_id": message_id, "date": 0}
        self._world.callbacks[query_id] = CallbackQuery(
            query_id, presser.id, message_id, data, chat_id=chat.id
        )
        self._world.updates.push(
            "callback_query",
            {
                "id": query_id,
                "from": presser.to_dict(),
                "message": message_dict,
                "chat_instance": f"{-chat.id}00",  # one per chat, never a chat id itself
                "data": data,
            },
        )
        return query_id

    # -- shared ----------------------------------------------------------------------------------

    def _new_message(
        self,
        chat: Chat,
        sender_id: int | None,
        text: str,
        *,
        reply_to: int | None = None,
        service: dict[str, Any] | None = None,
    ) -> StoredMessage:
        """Store what a person (or, with no sender, a channel) wrote, with Telegram's entities."""
        return chat.add_message(
            from_bot=False,
            date=self._world.now(),
            text=text,
            entities=user_entities(text),
            html=text,
            sender_id=sender_id,
            reply_to=reply_to,
            service=service,
        )

    def _push_bot_status(self, chat: Chat, actor: User, old_status: str) -> None:
        """The my_chat_member update: the bot's own status in ``chat`` changed."""

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"user": dict(self._world.bot_user), "status": status}
            if status == "kicked":
                data["until_date"] = 0  # banned for good
            return data

        self._world.updates.push(
            "my_chat_member",
            {
                "chat": chat.to_dict(),
                "from": actor.to_dict(),
                "date": self._world.now(),
                "old_chat_member": member(old_status),
                "new_chat_member": member(chat.bot_status),
            },
        )

    def _private_chat(self, user_id: int) -> Chat:
        chat = self._world.chats.get(user_id)
        if chat is None or chat.type != PRIVATE:
            raise ValueError(f"user {user_id} has no private chat with the bot")
        return chat

    def _group(self, chat_id: int) -> Chat:
        chat = self._world.chats.get(chat_id)
        if chat is None or not chat.is_group:
            raise ValueError(f"there is no group {chat_id}; add_group first")
        return chat

    def _member(self, chat: Chat, user_id: int) -> User:
        if user_id not in chat.members:
            raise ValueError(f"user {user_id} is not a member of group {chat.id}")
        return self._world.users[user_id]

    def _channel(self, chat_id: int, *, create: bool) -> Chat:
        chat = self._world.chats.get(chat_id)
        if chat is None and create:
            if chat_id >= 0:
                raise ValueError(f"channel ids are negative, not {chat_id}")
            chat = Chat(chat_id, CHANNEL, title="Test channel", bot_status="administrator")
            self._world.chats[chat_id] = chat
        if chat is None or chat.type != CHANNEL:
            raise ValueError(f"there is no channel {chat_id}")
        return chat
