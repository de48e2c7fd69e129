"""The entities Telegram finds by itself in what a person types: bot commands and @mentions.

The rules follow Telegram's own matcher (tdlib's MessageEntity.cpp), character for character:
a ``/command`` or an ``@username`` counts only where no letter, digit or ``_`` touches it, so
``a/b``, ``mail@example.org`` and ``/start@ab`` (a handle too short) get no entity. Hashtags, URLs
and the rest are left out: the bot never looks at them.
"""

from __future__ import annotations

from sandbox.telegram_html import Entity, utf16_len

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NOT_BEFORE_COMMAND = frozenset("/<>")
# Handles shorter than four characters do not exist, except these inline bots'.
_SHORT_HANDLES = frozenset({"gif", "vid", "pic"})


def _is_word(char: str) -> bool:
    """A Unicode letter or number, or ``_``: what may not touch a command or a mention."""
    return char.isalnum() or char == "_"


def _ascii_run(text: str, start: int) -> int:
    """The end of the run of ``[A-Za-z0-9_]`` starting at ``start``."""
    end = start
    while end < len(text) and text[end] in _ASCII_WORD:
        end += 1
    return end


def _mentions(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    at = text.find("@")
    while at != -1:
        if at > 0 and _is_word(text[at - 1]):
            at = text.find("@", at + 1)
            continue
        end = _ascii_run(text, at + 1)
        handle = text[at + 1 : end]
        touching = end < len(text) and _is_word(text[end])
        exists = len(handle) >= 4 or handle.lower() in _SHORT_HANDLES
        if 2 <= len(handle) <= 32 and not touching and exists:
            found.append((at, end))
        at = text.find("@", end)
    return found


def _commands(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    slash = text.find("/")
    while slash != -1:
        before = text[slash - 1] if slash > 0 else ""
        if before and (_is_word(before) or before in _NOT_BEFORE_COMMAND):
            slash = text.find("/", slash + 1)
            continue
        end = _ascii_run(text, slash + 1)
        resume = end
        valid = 1 <= end - slash - 1 <= 64
        if valid and end < len(text) and text[end] == "@":
            handle_end = _ascii_run(text, end + 1)
            resume = handle_end
            # A bad handle spoils the whole command, not just the @ part.
            valid = 3 <= handle_end - end - 1 <= 32
            end = handle_end
        after = text[end] if end < len(text) else ""
        if valid and not (after and (_is_word(after) or after in _NOT_BEFORE_COMMAND)):
            found.append((slash, end))
        slash = text.find("/", resume)
    return found


def user_entities(text: str) -> tuple[Entity, ...]:
    """The bot_command and mention entities Telegram adds to a person's message."""
    spans = sorted(
        [("mention", s, e) for s, e in _mentions(text)]
        + [("bot_command", s, e) for s, e in _commands(text)],
        key=lambda span: (span[1], -span[2]),
    )
    entities: list[Entity] = []
    last_end = 0
    for kind, start, end in spans:
        if start < last_end:
            continue  # Telegram keeps the first of two entities that overlap
        last_end = end
        offset = utf16_len(text[:start])
        entities.append(Entity(kind, offset, utf16_len(text[start:end])))
    return tuple(entities)


def entity_text(text: str, entity: Entity) -> str:
    """The part of ``text`` an entity covers (entities count UTF-16 code units)."""
    encoded = text.encode("utf-16-le")
    return encoded[2 * entity.offset : 2 * (entity.offset + entity.length)].decode("utf-16-le")


def addressed_to(text: str, entities: tuple[Entity, ...], username: str) -> bool:
    """Whether the message is meant for the bot @``username`` as privacy mode reads it: it starts
    with a command that is not addressed to another bot, or it mentions the bot."""
    for entity in entities:
        part = entity_text(text, entity)
        if entity.type == "bot_command" and entity.offset == 0:
            _, _, handle = part.partition("@")
            if not handle or handle.lower() == username.lower():
                return True
        if entity.type == "mention" and part[1:].lower() == username.lower():
            return True
    return False
