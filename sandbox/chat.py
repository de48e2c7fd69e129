"""One person's private chat with the bot, as the terminal chat and the browser chat show it.

``PersonChat`` plays the user through the fake Bot API; ``ChatFeed`` tells one viewer what
changed since it last looked (new messages, edits in place, deletions, answers to button
presses). The texts come out twice: plain, for a terminal, and as HTML built from Telegram's
entities with everything else escaped, for a page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.telegram_html import Entity

if TYPE_CHECKING:
    from sandbox.botapi import FakeBotApi
    from sandbox.state import BotMessage

# Telegram shows these entities with formatting; any other type (bot_command, hashtag...) is text.
_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}
# Links the page may follow; anything else (javascript:, tg://) is shown as plain text.
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
# A /command in running text, as Telegram makes it tappable: after a space, "(" or the start.
_COMMAND = re.compile(r"(?<![^\s(])/[A-Za-z0-9_]{1,32}(?![\w/])")
# Inside these a /command is not tappable.
_NO_COMMAND_LINKS = frozenset({"code", "pre", "text_link"})


@dataclass(frozen=True)
class Button:
    text: str
    data: str


@dataclass(frozen=True)
class Entry:
    """A message in the chat as a person sees it."""

    message_id: int
    from_bot: bool
    text: str
    html: str
    buttons: tuple[tuple[Button, ...], ...]
    edits: int
    date: int
    document: dict[str, Any] | None = None
    photo: dict[str, Any] | None = None  # the largest size: file_id, width, height

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.message_id,
            "from_bot": self.from_bot,
            "text": self.text,
            "html": self.html,
            "buttons": [[{"text": b.text, "data": b.data} for b in row] for row in self.buttons],
            "edited": self.edits > 0,
            "date": self.date,
            "document": self.document,
            "photo": self.photo,
        }


@dataclass(frozen=True)
class Change:
    """One thing a viewer has not shown yet."""

    kind: str  # "message", "edit", "delete" or "notice" (the answer to a button press)
    entry: Entry | None = None
    message_id: int = 0
    text: str = ""


def _utf16_index(text: str) -> dict[int, int]:
    """UTF-16 offset -> index into ``text``, for every character boundary."""
    index, offset = {}, 0
    for i, char in enumerate(text):
        index[offset] = i
        offset += 2 if ord(char) > 0xFFFF else 1
    index[offset] = len(text)
    return index


def _open_tag(entity: Entity) -> str:
    if entity.type == "text_link":
        if entity.url and _SAFE_URL.match(entity.url):
            url = html.escape(entity.url, quote=True)
            return f'<a href="{url}" target="_blank" rel="noopener noreferrer">'
        return "<span>"
    return _TAGS.get(entity.type, ("<span>", ""))[0]


def _close_tag(entity: Entity) -> str:
    if entity.type == "text_link":
        return "</a>" if entity.url and _SAFE_URL.match(entity.url) else "</span>"
    return _TAGS.get(entity.type, ("", "</span>"))[1]


def _text_with_commands(segment: str, links: bool) -> str:
    if not links:
        return html.escape(segment, quote=False)
    out, last = [], 0
    for match in _COMMAND.finditer(segment):
        out.append(html.escape(segment[last : match.start()], quote=False))
        command = html.escape(match.group(0), quote=True)
        out.append(f'<a class="command" href="#" data-command="{command}">{command}</a>')
        last = match.end()
    out.append(html.escape(segment[last:], quote=False))
    return "".join(out)


def render_html(text: str, entities: tuple[Entity, ...] = (), *, command_links: bool = True) -> str:
    """Safe HTML for ``text``: every character escaped, formatting only from ``entities``.

    Nothing the bot wrote reaches the page as markup; the tags come from this function alone.
    """
    index = _utf16_index(text)
    spans: list[tuple[int, int, Entity]] = []
    for entity in entities:
        start, end = index.get(entity.offset), index.get(entity.offset + entity.length)
        if start is not None and end is not None and end > start:
            spans.append((start, end, entity))
    spans.sort(key=lambda span: (span[0], -span[1]))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    stack: list[tuple[int, Entity]] = []  # (end, entity), innermost last
    pending = list(spans)
    for position, following in zip(cuts, [*cuts[1:], len(text)], strict=True):
        if any(end == position for end, _ in stack):
            # Close down to the outermost entity ending here, then reopen the ones that go on
            # (only needed when entities overlap without nesting).
            depth = min(i for i, (end, _) in enumerate(stack) if end == position)
            reopen = [item for item in stack[depth:] if item[0] != position]
            for _, entity in reversed(stack[depth:]):
                out.append(_close_tag(entity))
            del stack[depth:]
            for item in reopen:
                out.append(_open_tag(item[1]))
                stack.append(item)
        while pending and pending[0][0] == position:
            _, end, entity = pending.pop(0)
            out.append(_open_tag(entity))
            stack.append((end, entity))
        links = command_links and not any(e.type in _NO_COMMAND_LINKS for _, e in stack)
        out.append(_text_with_commands(text[position:following], links))
    for _, entity in reversed(stack):
        out.append(_close_tag(entity))
    return "".join(out)


def _buttons(message: BotMessage) -> tuple[tuple[Button, ...], ...]:
    markup = message.reply_markup or {}
    rows = []
    for row in markup.get("inline_keyboard", []):
        buttons = tuple(Button(b["text"], b["callback_data"]) for b in row if "callback_data" in b)
        if buttons:
            rows.append(buttons)
    return tuple(rows)


def entry_of(message: BotMessage) -> Entry:
    document = None
    if message.document is not None:
        document = {
            "file_id": message.document.get("file_id"),
            "file_name": message.document.get("file_name") or "file",
            "file_size": message.document.get("file_size"),
        }
    photo = None
    if message.photo:
        largest = message.photo[-1]
        photo = {k: largest.get(k) for k in ("file_id", "width", "height", "file_size")}
    return Entry(
        message_id=message.message_id,
        from_bot=message.from_bot,
        text=message.text,
        html=render_html(message.text, message.entities, command_links=message.from_bot),
        buttons=_buttons(message),
        edits=message.edits,
        date=message.date,
        document=document,
        photo=photo,
    )


class PersonChat:
    """The sandbox user's side of their private chat with the bot."""

    def __init__(self, fake: FakeBotApi, user_id: int, first_name: str = "You") -> None:
        self.fake = fake
        self.user_id = user_id
        self.first_name = first_name
        self._presses: list[str] = []  # callback query ids, oldest first
        fake.add_user(user_id, first_name=first_name)

    def say(self, text: str) -> int:
        """Send ``text`` as the user; returns its message id. ValueError if Telegram would not."""
        text = text.strip()
        if not text:
            raise ValueError("Telegram does not send empty messages")
        payload = self.fake.send_text(self.user_id, text, first_name=self.first_name)
        return int(payload["message_id"])

    def press(self, message_id: int, data: str) -> None:
        """Press a button the message shows now; ValueError if it has no such button."""
        self._presses.append(self.fake.press_button(self.user_id, message_id, data))

    def entries(self) -> list[Entry]:
        return [entry_of(m) for m in self.fake.conversation(self.user_id)]

    def file(self, file_id: str) -> tuple[bytes, str, str] | None:
        """(content, file name, MIME type) of a photo or document the bot sent in this chat;
        None for any other file id."""
        for entry in self.entries():
            photo = entry.photo is not None and entry.photo["file_id"] == file_id
            if not photo and (entry.document is None or entry.document["file_id"] != file_id):
                continue
            content = self.fake.document_content(file_id)
            if content is None:
                return None
            if not photo:
                assert entry.document is not None
                return content, str(entry.document["file_name"]), "application/octet-stream"
            jpeg = content.startswith(b"\xff\xd8")
            name = f"photo-{entry.message_id}.{'jpg' if jpeg else 'png'}"
            return content, name, "image/jpeg" if jpeg else "image/png"
        return None

    def answers(self) -> list[tuple[str, str]]:
        """(query id, text) of this user's presses that the bot answered with a text."""
        answered = self.fake.answered_callbacks()
        found = []
        for query_id in self._presses:
            text = str(answered.get(query_id, {}).get("text") or "")
            if text:
                found.append((query_id, text))
        return found

    def feed(self) -> ChatFeed:
        return ChatFeed(self)


@dataclass
class ChatFeed:
    """What changed in the chat since this viewer last looked."""

    chat: PersonChat
    _seen: dict[int, int] = field(default_factory=dict)  # message id -> edits shown
    _answers: set[str] = field(default_factory=set)

    def changes(self) -> list[Change]:
        found: list[Change] = []
        entries = self.chat.entries()
        for entry in entries:
            shown = self._seen.get(entry.message_id)
            if shown is None:
                found.append(Change("message", entry, entry.message_id))
            elif shown != entry.edits:
                found.append(Change("edit", entry, entry.message_id))
            self._seen[entry.message_id] = entry.edits
        present = {entry.message_id for entry in entries}
        for gone in [i for i in self._seen if i not in present]:
            del self._seen[gone]
            found.append(Change("delete", message_id=gone))
        for query_id, text in self.chat.answers():
            if query_id not in self._answers:
                self._answers.add(query_id)
                found.append(Change("notice", text=text))
        return found
