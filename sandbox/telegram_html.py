"""Telegram's HTML parse mode: turn HTML into plain text plus message entities, or refuse it.

The parser walks the text the way Telegram's server does (tag names, attributes, error messages
with UTF-8 byte offsets), so a text the sandbox accepts is one Telegram accepts. It is stricter in
two places, both taken from the Bot API documentation rather than from the server's leniency:
every ``&`` must start ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;`` or a numeric entity (Telegram
keeps a stray ``&`` as text, which hides a missing ``html.escape``), and ``<a>`` needs ``href``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SPACES = frozenset(" \t\r\n\v\f")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_MAX_CODE_POINT = 0x10FFFF

# Tag name -> Bot API entity type. span and tg-spoiler both mean spoiler; a, code, pre and
# blockquote get their type (and extras) when they close.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "a", "code", "pre", "blockquote"})

# Telegram drops a text link whose URL it cannot read; this is roughly what it reads.
_URL_RE = re.compile(
    r"^(?:(?:https?|ftp|tonsite)://[^\s/$.?#][^\s]*|tg://[a-z_]+[^\s]*|ton://[^\s]+"
    r"|(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#][^\s]*)?)$",
    re.IGNORECASE,
)


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str(self) is Telegram's reason."""


@dataclass(frozen=True)
class Entity:
    """One Bot API MessageEntity; offsets and lengths are UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the Bot API returns."""
        data: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            data["url"] = self.url
        if self.language is not None:
            data["language"] = self.language
        return data


@dataclass(frozen=True)
class ParsedText:
    """Plain text after parsing, with its entities sorted like Telegram sorts them."""

    text: str
    entities: tuple[Entity, ...]


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the output where the tag's content starts
    byte_offset: int


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: what Telegram counts (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def is_valid_url(url: str) -> bool:
    """Whether Telegram would keep a link to ``url``."""
    return bool(_URL_RE.match(url.strip()))


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, start: int, *, strict: bool) -> tuple[str, int] | None:
    """Decode the entity at ``source[start] == '&'`` into (character, next index).

    Returns None for something that is not a supported entity; with ``strict`` it raises instead.
    """
    n = len(source)
    i = start + 1
    if i < n and source[i] == "#":
        i += 1
        hex_form = i < n and source[i] in "xX"
        if hex_form:
            i += 1
        digits_start = i
        allowed = "0123456789abcdefABCDEF" if hex_form else "0123456789"
        while i < n and source[i] in allowed and i - digits_start < 8:
            i += 1
        digits = source[digits_start:i]
        value = int(digits, 16 if hex_form else 10) if digits else 0
        # Surrogates cannot stand alone in UTF-8 text.
        in_range = 0 < value <= _MAX_CODE_POINT and not 0xD800 <= value <= 0xDFFF
        if digits and in_range and i < n and source[i] == ";":
            return chr(value), i + 1
        if strict:
            snippet = source[start : i + 1] if i < n and source[i] == ";" else source[start:i]
            raise HtmlParseError(
                f'Invalid numeric HTML entity "{snippet}" at byte offset '
                f"{_byte_offset(source, start)}"
            )
        return None
    while i < n and source[i].isascii() and source[i].isalpha():
        i += 1
    name = source[start + 1 : i]
    if name in _NAMED_ENTITIES and i < n and source[i] == ";":
        return _NAMED_ENTITIES[name], i + 1
    if not strict:
        return None
    offset = _byte_offset(source, start)
    if name and i < n and source[i] == ";":
        raise HtmlParseError(
            f'Unsupported HTML entity "&{name};" at byte offset {offset}; only &lt; &gt; &amp; '
            "&quot; and numeric entities are supported"
        )
    raise HtmlParseError(f'Character "&" at byte offset {offset} must be escaped as "&amp;"')


def _skip_spaces(source: str, i: int) -> int:
    while i < len(source) and source[i] in _SPACES:
        i += 1
    return i


def _parse_start_tag(source: str, begin: int, out_offset: int) -> tuple[_OpenTag, int]:
    """Parse ``<name attr="value" ...>`` at ``begin``; return the open tag and the next index."""
    n = len(source)
    byte_begin = _byte_offset(source, begin)
    i = begin + 1
    while i < n and source[i] not in _SPACES and source[i] != ">":
        i += 1
    if i >= n:
        raise HtmlParseError(f"Unclosed start tag at byte offset {byte_begin}")
    name = source[begin + 1 : i].lower()
    if name not in SUPPORTED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {byte_begin}')

    argument = ""
    has_href = False
    while True:
        i = _skip_spaces(source, i)
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {byte_begin}')
        if source[i] == ">":
            break
        attr_begin = i
        while i < n and source[i] not in _SPACES and source[i] not in "=>":
            i += 1
        attr_name = source[attr_begin:i].lower()
        if not attr_name:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {byte_begin}'
            )
        i = _skip_spaces(source, i)
        if i >= n or source[i] != "=":
            # A bare attribute; Telegram accepts only blockquote's "expandable" this way.
            if name == "blockquote" and attr_name == "expandable":
                argument = "expandable"
                continue
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" at '
                f"byte offset {byte_begin}"
            )
        i = _skip_spaces(source, i + 1)
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {byte_begin}')
        if source[i] in "'\"":
            quote = source[i]
            i += 1
            chars: list[str] = []
            while i < n and source[i] != quote:
                if source[i] == "&":
                    decoded = _decode_entity(source, i, strict=False)
                    if decoded is not None:
                        chars.append(decoded[0])
                        i = decoded[1]
                        continue
                chars.append(source[i])
                i += 1
            if i >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {byte_begin}")
            i += 1
            value = "".join(chars)
        else:
            token_begin = i
            while i < n and (source[i].isalnum() or source[i] in ".-"):
                i += 1
            value = source[token_begin:i].lower()
            if i >= n or (source[i] not in _SPACES and source[i] != ">"):
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset "
                    f"{_byte_offset(source, token_begin)}"
                )
        if name == "a" and attr_name == "href":
            argument = value
            has_href = True
        elif name == "code" and attr_name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif name == "span" and attr_name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif name == "blockquote" and attr_name == "expandable":
            argument = "expandable"

    if name == "span" and argument != "spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_begin}')
    if name == "a" and (not has_href or not argument.strip()):
        raise HtmlParseError(f'Tag "a" must have attribute "href" at byte offset {byte_begin}')
    return _OpenTag(name, argument, out_offset, byte_begin), i + 1


def _close_entity(tag: _OpenTag, length: int, entities: list[Entity]) -> None:
    """Turn a closed tag into its entity, as Telegram does (empty ones vanish)."""
    if length <= 0:
        return
    if tag.name in _SIMPLE_TAGS:
        entities.append(Entity(_SIMPLE_TAGS[tag.name], tag.offset, length))
    elif tag.name == "a":
        url = tag.argument.strip()
        if is_valid_url(url):
            entities.append(Entity("text_link", tag.offset, length, url=url))
    elif tag.name == "code":
        entities.append(Entity("code", tag.offset, length, language=tag.argument or None))
    elif tag.name == "pre":
        inner = entities[-1] if entities else None
        if (
            inner is not None
            and inner.type == "code"
            and (inner.offset, inner.length) == (tag.offset, length)
        ):
            # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
            entities[-1] = Entity("pre", tag.offset, length, language=inner.language)
        else:
            entities.append(Entity("pre", tag.offset, length))
    elif tag.name == "blockquote":
        kind = "expandable_blockquote" if tag.argument == "expandable" else "blockquote"
        entities.append(Entity(kind, tag.offset, length))


def _drop_nested_in_code(entities: list[Entity]) -> list[Entity]:
    """Telegram lets nothing live inside code or pre; it silently drops such entities."""
    kept: list[Entity] = []
    code_spans = [(e.offset, e.offset + e.length) for e in entities if e.type in ("code", "pre")]
    for entity in entities:
        if entity.type not in ("code", "pre") and any(
            start <= entity.offset and entity.offset + entity.length <= end
            for start, end in code_spans
        ):
            continue
        kept.append(entity)
    return kept


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities, or raise HtmlParseError."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of the output so far
    stack: list[_OpenTag] = []
    entities: list[Entity] = []
    n = len(source)
    i = 0
    while i < n:
        ch = source[i]
        if ch == "&":
            decoded = _decode_entity(source, i, strict=True)
            assert decoded is not None  # strict mode raises instead
            out.append(decoded[0])
            out_len += utf16_len(decoded[0])
            i = decoded[1]
            continue
        if ch != "<":
            out.append(ch)
            out_len += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        if i + 1 < n and source[i + 1] == "/":
            byte_begin = _byte_offset(source, begin)
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {byte_begin}")
            i += 2
            while i < n and source[i] not in _SPACES and source[i] != ">":
                i += 1
            end_name = source[begin + 2 : i].lower()
            i = _skip_spaces(source, i)
            if i >= n or source[i] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {byte_begin}")
            i += 1
            tag = stack.pop()
            if end_name and end_name != tag.name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {byte_begin}, expected "</{tag.name}>", '
                    f'found "</{end_name}>"'
                )
            _close_entity(tag, out_len - tag.offset, entities)
            continue
        tag, i = _parse_start_tag(source, begin, out_len)
        stack.append(tag)
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    # Only pre carries a language in the Bot API; code kept one just for the merge above.
    cleaned = [
        e if e.type == "pre" else Entity(e.type, e.offset, e.length, e.url)
        for e in _drop_nested_in_code(entities)
    ]
    cleaned.sort(key=lambda e: (e.offset, -e.length))
    return ParsedText("".join(out), tuple(cleaned))
