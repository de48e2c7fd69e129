"""Checks text against Telegram's HTML parse mode, and measures it as Telegram does.

The rules are those of the fake Bot API's parser (sandbox/telegram_html.py, which says where they
come from): what Telegram's server accepts, made stricter where the Bot API documentation is, so
that a missing ``html.escape`` or a mistyped attribute shows up here rather than as text Telegram
shows raw or formatting it silently drops. content may not import the sandbox, so this is a
second, independent reading of the same rules: a tokenizer over regular expressions, where the
sandbox walks the text character by character. tests/unit/test_telegram_html_agreement.py holds
the two to each other on random input.
"""

from __future__ import annotations

import re
import string

# The tags Telegram's HTML parse mode accepts; anything else makes sendMessage fail.
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}
    | {"blockquote", "tg-spoiler", "span", "tg-emoji"}
)
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MAX_MESSAGE_UTF16 = 4096

# The one attribute each tag may carry; the other tags carry none.
_ATTRIBUTE_OF = {
    "a": "href",
    "span": "class",
    "code": "class",
    "blockquote": "expandable",
    "tg-emoji": "emoji-id",
}
# Telegram decodes code points from 1 below 0x10FFFF, written in at most 7 decimal or 6 hex
# digits; a lowercase "x" only.
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
# What a reader meant as a named entity, to name it when it is not one of the four.
_NAMED_REFERENCE = re.compile(r"&[A-Za-z]+;")
_MAX_CODE_POINT = 0x10FFFE
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_INT64 = 2**63 - 1
# The whitespace Telegram skips inside tags: not \f, and not Python's Unicode \s.
_WS = r"[ \t\n\r\v]"
_TOKEN = re.compile(
    # An end tag: its name runs to whitespace or ">".
    rf"(?P<end></(?P<end_name>[^ \t\n\r\v>]*){_WS}*>)"
    # A start tag with at most one attribute (no tag may carry two): a name, then "=" and a
    # quoted value or an SGML name token, or no value at all.
    rf"|(?P<start><(?P<name>[^ \t\n\r\v>]*)"
    rf"(?:{_WS}+(?P<attr>[^ \t\n\r\v=>/\"']+)"
    rf"(?:{_WS}*={_WS}*"
    rf"(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'|(?P<token>[A-Za-z0-9.-]*)(?={_WS}|>)))?"
    rf")?{_WS}*>)"
    # An entity, or a stray "&".
    r"|(?P<entity>&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});|&)"
    r"|(?P<text>[^<>&]+)"
    r"|(?P<stray>[<>])"
)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _ascii_lower(text: str) -> str:
    # Telegram lowercases ASCII only; str.lower() would turn the Kelvin sign into "k".
    return text.translate(_ASCII_LOWER)


def _entity_at(text: str, index: int) -> tuple[str, int] | None:
    """The character the entity at ``text[index] == '&'`` stands for, and its end; or None."""
    match = _ENTITY.match(text, index)
    if match is None:
        return None
    named, decimal, hexadecimal = match.groups()
    if named:
        return NAMED_ENTITIES[named], match.end()
    value = int(decimal, 10) if decimal else int(hexadecimal, 16)
    if not 0 < value <= _MAX_CODE_POINT or 0xD800 <= value <= 0xDFFF:
        return None
    return chr(value), match.end()


def _decode_value(value: str) -> tuple[str, list[str]]:
    """An attribute value with its entities decoded, and its problems: a stray '&' counts here."""
    out: list[str] = []
    problems: list[str] = []
    i = 0
    while i < len(value):
        found = _entity_at(value, i) if value[i] == "&" else None
        if found is not None:
            out.append(found[0])
            i = found[1]
            continue
        if value[i] == "&":
            problems.append("stray '&' in an attribute must be written as an entity")
        out.append(value[i])
        i += 1
    return "".join(out), problems


def _attribute_problems(tag: str, attr: str | None, value: str | None) -> list[str]:
    """What is wrong with ``tag``'s attribute (``value`` None: written without "=")."""
    allowed = _ATTRIBUTE_OF.get(tag)
    if attr is not None and attr != allowed:
        return [f"<{tag}> needs only {allowed}" if allowed else f"<{tag}> takes no attributes"]
    if attr is not None and value is None and tag != "blockquote":
        return [f"<{tag}> needs a value for {attr!r}"]
    if tag == "a" and (value is None or not value.strip()):
        return ["<a> needs a non-empty href"]
    if tag == "span" and value != "tg-spoiler":
        return ['<span> needs class="tg-spoiler"']
    if tag == "code" and value is not None and not value.startswith("language-"):
        return ['<code> takes only class="language-…"']
    if tag == "tg-emoji":
        digits = value or ""
        canonical = digits.isascii() and digits.isdigit() and not digits.startswith("0")
        if not canonical or len(digits) > 19 or int(digits) > _MAX_INT64:
            return ["<tg-emoji> needs emoji-id, a positive 64-bit number"]
    return []


def _start_tag_problems(match: re.Match[str]) -> list[str]:
    name = _ascii_lower(match["name"])
    if name not in ALLOWED_TAGS:
        return [f"tag <{name}> is not allowed"]
    quoted = match["double"] if match["double"] is not None else match["single"]
    problems: list[str] = []
    value = match["token"]
    if quoted is not None:
        value, problems = _decode_value(quoted)
    elif value is not None:
        # Unquoted values are name tokens, which Telegram lowercases.
        value = _ascii_lower(value)
    return problems + _attribute_problems(name, match["attr"], value)


def _stray_ampersand(text: str, index: int) -> str:
    named = _NAMED_REFERENCE.match(text, index)
    if named is not None:
        return f"entity {named[0]} is not supported"
    return "stray '&' must be written as an entity"


def _read(text: str) -> tuple[list[str], str]:
    """Read ``text`` as Telegram would: every problem (not just the first), and what shows."""
    problems: list[str] = []
    visible: list[str] = []
    if _SURROGATE.search(text):
        problems.append("a lone surrogate is not text Telegram can take")
    if "\x00" in text:
        problems.append("NUL cannot be sent")
    open_tags: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "text":
            visible.append(match[0])
        elif kind == "entity":
            found = _entity_at(text, match.start())
            if found is None:
                problems.append(_stray_ampersand(text, match.start()))
            visible.append(match[0] if found is None else found[0])
        elif kind == "start":
            problems.extend(_start_tag_problems(match))
            open_tags.append(_ascii_lower(match["name"]))
        elif kind == "end":
            name = _ascii_lower(match["end_name"])
            innermost = open_tags.pop() if open_tags else None
            if innermost is None:
                problems.append(f"</{name}> closes nothing")
            elif innermost != name:
                problems.append(f"</{name}> closes <{innermost}> (tags must nest)")
        else:
            escape = "&lt;" if match[0] == "<" else "&gt;"
            problems.append(f"stray {match[0]!r} must be written as {escape}")
            visible.append(match[0])
    problems.extend(f"<{tag}> is never closed" for tag in reversed(open_tags))
    return problems, "".join(visible)


def html_problems(text: str) -> list[str]:
    """Every reason Telegram would refuse `text` in HTML parse mode (empty when it is fine)."""
    return _read(text)[0]


def visible_text(text: str) -> str:
    """The text a reader sees: tags removed and entities decoded, as Telegram parses it."""
    return _read(text)[1]


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's message limit."""
    # surrogatepass: a lone surrogate (a problem of its own) counts one unit rather than crash.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
