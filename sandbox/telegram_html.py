"""Telegram's HTML parse mode: turn HTML into plain text plus message entities, or refuse it.

The parser walks the text the way Telegram's server does (tdlib's ``parse_html``: tag names,
attributes, error messages with UTF-8 byte offsets), so a text it accepts is one Telegram
accepts, parsed to the same text and entities. Where the server is lenient and the Bot API
documentation is not, it follows the documentation, because the leniency hides a missing
``html.escape`` or a typo that Telegram would silently drop:

- every ``&`` starts ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;`` or a numeric entity that Telegram
  decodes, ending in ``;`` (Telegram shows any other ``&`` as it is);
- a ``>`` outside a tag is refused like a stray ``<`` (Telegram shows it as it is);
- an end tag names the tag it closes (Telegram lets ``</>`` close any);
- a tag carries only its documented attribute, once: ``a href`` (required), ``span class``
  (``tg-spoiler``, required), ``code class`` (``language-…``), ``blockquote expandable`` and
  ``tg-emoji emoji-id`` (required, a positive 64-bit number); Telegram ignores others;
- NUL and lone surrogates are refused.

content/telegram_html.py checks the bot's texts by the same rules; it may not import this module
(nor this one it), so tests/unit/test_telegram_html_agreement.py holds the two to each other.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

# tdlib's is_space, less NUL (refused before parsing). Not \f: Telegram reads "<b\f>" as a tag
# named "b\f".
_SPACES = frozenset(" \t\r\n\v")
# What ends an attribute name in tdlib.
_ATTRIBUTE_NAME_END = _SPACES | frozenset("=>/\"'")
# An unquoted attribute value is an SGML name token: ASCII letters, digits, "." and "-".
_NAME_TOKEN = frozenset(string.ascii_letters + string.digits + ".-")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_DECIMAL = frozenset(string.digits)
_HEX = frozenset(string.hexdigits)
# tdlib decodes "&#" with at most 7 decimal digits, or "&#x" with at most 6 hex digits, to a code
# point from 1 below 0x10FFFF (sic); anything else it shows as text.
_MAX_DECIMAL_DIGITS = 7
_MAX_HEX_DIGITS = 6
_MAX_CODE_POINT = 0x10FFFE
_MAX_INT64 = 2**63 - 1
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# Tag name -> Bot API entity type. span and tg-spoiler both mean spoiler; a, code, pre,
# blockquote and tg-emoji get their type (and extras) when they close.
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
SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "a", "code", "pre", "blockquote", "tg-emoji"})
# The one attribute each tag may carry; the others carry none.
_ATTRIBUTE_OF = {
    "a": "href",
    "span": "class",
    "code": "class",
    "blockquote": "expandable",
    "tg-emoji": "emoji-id",
}

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
    custom_emoji_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the Bot API returns."""
        data: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            data["url"] = self.url
        if self.language is not None:
            data["language"] = self.language
        if self.custom_emoji_id is not None:
            data["custom_emoji_id"] = self.custom_emoji_id
        return data


@dataclass(frozen=True)
class ParsedText:
    """Plain text after parsing, with its entities sorted like Telegram sorts them."""

    text: str
    entities: tuple[Entity, ...]


@dataclass
class _OpenTag:
    name: str
    argument: str | None  # the value of its one attribute, if given
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


def _ascii_lower(text: str) -> str:
    # Telegram lowercases ASCII only; str.lower() would turn the Kelvin sign into "k".
    return text.translate(_ASCII_LOWER)


def _skip_spaces(source: str, i: int) -> int:
    while i < len(source) and source[i] in _SPACES:
        i += 1
    return i


def _decode_entity(source: str, start: int) -> tuple[str, int]:
    """Decode the entity at ``source[start] == '&'`` into (character, next index), or raise."""
    n = len(source)
    i = start + 1
    if i < n and source[i] == "#":
        i += 1
        hex_form = i < n and source[i] == "x"  # tdlib knows no "&#X"
        if hex_form:
            i += 1
        digits_start = i
        allowed, limit = (_HEX, _MAX_HEX_DIGITS) if hex_form else (_DECIMAL, _MAX_DECIMAL_DIGITS)
        while i < n and source[i] in allowed:
            i += 1
        digits = source[digits_start:i]
        value = int(digits, 16 if hex_form else 10) if 0 < len(digits) <= limit else 0
        # A surrogate alone is not a character: Telegram refuses it after decoding.
        in_range = 0 < value <= _MAX_CODE_POINT and not 0xD800 <= value <= 0xDFFF
        if in_range and i < n and source[i] == ";":
            return chr(value), i + 1
        snippet = source[start : i + 1] if i < n and source[i] == ";" else source[start:i]
        raise HtmlParseError(
            f'Invalid numeric HTML entity "{snippet}" at byte offset {_byte_offset(source, start)}'
        )
    while i < n and source[i] in string.ascii_letters:
        i += 1
    name = source[start + 1 : i]
    if name in _NAMED_ENTITIES and i < n and source[i] == ";":
        return _NAMED_ENTITIES[name], i + 1
    offset = _byte_offset(source, start)
    if name and i < n and source[i] == ";":
        raise HtmlParseError(
            f'Unsupported HTML entity "&{name};" at byte offset {offset}; only &lt; &gt; &amp; '
            "&quot; and numeric entities are supported"
        )
    raise HtmlParseError(f'Character "&" at byte offset {offset} must be escaped as "&amp;"')


def _attribute_value(source: str, i: int, where: str) -> tuple[str, int]:
    """Read the value after ``=`` at ``source[i]``: a quoted string or a name token."""
    n = len(source)
    if source[i] in "'\"":
        quote = source[i]
        i += 1
        chars: list[str] = []
        while i < n and source[i] != quote:
            if source[i] == "&":
                char, i = _decode_entity(source, i)
                chars.append(char)
            else:
                chars.append(source[i])
                i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {where}")
        return "".join(chars), i + 1
    token_begin = i
    while i < n and source[i] in _NAME_TOKEN:
        i += 1
    if i >= n:
        raise HtmlParseError(f"Unclosed start tag at byte offset {where}")
    if source[i] not in _SPACES and source[i] != ">":
        raise HtmlParseError(
            f"Unexpected end of name token at byte offset {_byte_offset(source, token_begin)}"
        )
    # Name tokens are case-insensitive; Telegram lowercases them.
    return _ascii_lower(source[token_begin:i]), i


def _check_argument(name: str, argument: str | None, where: str) -> None:
    """Refuse a tag whose attribute Telegram would reject, or silently drop."""
    if name == "span" and argument != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
    if name == "a" and (argument is None or not argument.strip()):
        raise HtmlParseError(f'Tag "a" must have attribute "href" at byte offset {where}')
    if name == "code" and argument is not None and not argument.startswith("language-"):
        raise HtmlParseError(f'Tag "code" may have only class "language-…" at byte offset {where}')
    if name == "tg-emoji":
        digits = argument or ""
        canonical = digits.isascii() and digits.isdigit() and not digits.startswith("0")
        if not canonical or len(digits) > 19 or int(digits) > _MAX_INT64:
            raise HtmlParseError("Invalid custom emoji identifier specified")


def _parse_start_tag(source: str, begin: int, out_offset: int) -> tuple[_OpenTag, int]:
    """Parse ``<name attr="value">`` at ``begin``; return the open tag and the next index."""
    n = len(source)
    byte_begin = _byte_offset(source, begin)
    where = str(byte_begin)
    i = begin + 1
    while i < n and source[i] not in _SPACES and source[i] != ">":
        i += 1
    if i >= n:
        raise HtmlParseError(f"Unclosed start tag at byte offset {where}")
    name = _ascii_lower(source[begin + 1 : i])
    if name not in SUPPORTED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {where}')

    argument: str | None = None
    while True:
        i = _skip_spaces(source, i)
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {where}')
        if source[i] == ">":
            break
        attr_begin = i
        while i < n and source[i] not in _ATTRIBUTE_NAME_END:
            i += 1
        attr_name = source[attr_begin:i]  # case-sensitive, as Telegram compares it
        if not attr_name:
            raise HtmlParseError(f'Empty attribute name in the tag "{name}" at byte offset {where}')
        i = _skip_spaces(source, i)
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {where}')
        if source[i] == "=":
            i = _skip_spaces(source, i + 1)
            if i >= n:
                raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {where}')
            value, i = _attribute_value(source, i, where)
        elif (name, attr_name) == ("blockquote", "expandable"):
            value = ""  # the one attribute Telegram reads without a value
        else:
            raise HtmlParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {where}'
            )
        if _ATTRIBUTE_OF.get(name) != attr_name:
            raise HtmlParseError(
                f'Unsupported attribute "{attr_name}" in the tag "{name}" at byte offset {where}'
            )
        if argument is not None:
            raise HtmlParseError(
                f'Repeated attribute "{attr_name}" in the tag "{name}" at byte offset {where}'
            )
        argument = value

    _check_argument(name, argument, where)
    return _OpenTag(name, argument, out_offset, byte_begin), i + 1


def _parse_end_tag(source: str, begin: int, stack: list[_OpenTag]) -> tuple[_OpenTag, int]:
    """Parse ``</name>`` at ``begin`` against the innermost open tag; return it and the index."""
    n = len(source)
    byte_begin = _byte_offset(source, begin)
    if not stack:
        raise HtmlParseError(f"Unexpected end tag at byte offset {byte_begin}")
    i = begin + 2
    while i < n and source[i] not in _SPACES and source[i] != ">":
        i += 1
    end_name = _ascii_lower(source[begin + 2 : i])
    i = _skip_spaces(source, i)
    if i >= n or source[i] != ">":
        raise HtmlParseError(f"Unclosed end tag at byte offset {byte_begin}")
    tag = stack.pop()
    if end_name != tag.name:
        raise HtmlParseError(
            f'Unmatched end tag at byte offset {byte_begin}, expected "</{tag.name}>", '
            f'found "</{end_name}>"'
        )
    return tag, i + 1


def _close_entity(tag: _OpenTag, length: int, entities: list[Entity]) -> None:
    """Turn a closed tag into its entity, as Telegram does (empty ones vanish)."""
    if length <= 0:
        return
    argument = tag.argument or ""
    if tag.name in _SIMPLE_TAGS:
        entities.append(Entity(_SIMPLE_TAGS[tag.name], tag.offset, length))
    elif tag.name == "a":
        url = argument.strip()
        if is_valid_url(url):
            entities.append(Entity("text_link", tag.offset, length, url=url))
    elif tag.name == "code":
        language = argument.removeprefix("language-") or None
        entities.append(Entity("code", tag.offset, length, language=language))
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
        kind = "blockquote" if tag.argument is None else "expandable_blockquote"
        entities.append(Entity(kind, tag.offset, length))
    elif tag.name == "tg-emoji":
        entities.append(Entity("custom_emoji", tag.offset, length, custom_emoji_id=argument))


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


def _check_characters(source: str) -> None:
    """Refuse what cannot be sent at all: lone surrogates, and NUL."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        raise HtmlParseError("Text must be encoded in UTF-8") from None
    nul = source.find("\x00")
    if nul != -1:
        # tdlib reads the text as a C string inside tags: NUL would end it there.
        raise HtmlParseError(f"Character U+0000 at byte offset {_byte_offset(source, nul)}")


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities, or raise HtmlParseError."""
    _check_characters(source)
    out: list[str] = []
    out_len = 0  # UTF-16 length of the output so far
    stack: list[_OpenTag] = []
    entities: list[Entity] = []
    n = len(source)
    i = 0
    while i < n:
        ch = source[i]
        if ch == "&":
            decoded, i = _decode_entity(source, i)
            out.append(decoded)
            out_len += utf16_len(decoded)
        elif ch == ">":
            raise HtmlParseError(
                f'Character ">" at byte offset {_byte_offset(source, i)} must be escaped as "&gt;"'
            )
        elif ch != "<":
            out.append(ch)
            out_len += 2 if ord(ch) > 0xFFFF else 1
            i += 1
        elif i + 1 < n and source[i + 1] == "/":
            tag, i = _parse_end_tag(source, i, stack)
            _close_entity(tag, out_len - tag.offset, entities)
        else:
            tag, i = _parse_start_tag(source, i, out_len)
            stack.append(tag)
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    # Only pre carries a language in the Bot API; code kept one just for the merge above.
    cleaned = [
        e if e.type == "pre" else Entity(e.type, e.offset, e.length, e.url, None, e.custom_emoji_id)
        for e in _drop_nested_in_code(entities)
    ]
    cleaned.sort(key=lambda e: (e.offset, -e.length))
    return ParsedText("".join(out), tuple(cleaned))
