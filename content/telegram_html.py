"""Checks text against Telegram's HTML parse mode, and measures it as Telegram does."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

# The tags Telegram's HTML parse mode accepts; anything else makes sendMessage fail.
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}
    | {"blockquote", "tg-spoiler", "span"}
)
NAMED_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
MAX_MESSAGE_UTF16 = 4096
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.visible: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        else:
            self.problems.extend(_attribute_problems(tag, dict(attrs)))
        self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing tag <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            self.problems.append(f"</{tag}> closes nothing")
        elif self._open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self._open[-1]}> (tags must nest)")
        else:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for char in "<>&":
            if char in data:
                self.problems.append(f"stray {char!r} must be written as an entity")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self.problems.append(f"entity &{name}; is not supported")
        self.visible.append(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.visible.append(unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.problems.append("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instructions are not allowed")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("declarations are not allowed")

    def finish(self) -> None:
        self.close()
        self.problems.extend(f"<{tag}> is never closed" for tag in reversed(self._open))


def _attribute_problems(tag: str, attrs: dict[str, str | None]) -> list[str]:
    if tag == "a":
        return [] if attrs.get("href") and set(attrs) == {"href"} else ["<a> needs only href"]
    if tag == "span":
        ok = attrs == {"class": "tg-spoiler"}
        return [] if ok else ['<span> needs class="tg-spoiler"']
    if tag == "code" and set(attrs) <= {"class"}:
        return []
    if tag == "blockquote" and set(attrs) <= {"expandable"}:
        return []
    return [f"<{tag}> takes no attributes"] if attrs else []


def html_problems(text: str) -> list[str]:
    """Every reason Telegram would refuse `text` in HTML parse mode (empty when it is fine)."""
    checker = _Checker()
    checker.feed(text)
    checker.finish()
    # html.parser accepts entities without ";" silently in places; Telegram does not.
    bare = text.count("&") - len(_ENTITY.findall(text))
    if bare > 0 and not any("'&'" in p for p in checker.problems):
        checker.problems.append("stray '&' must be written as an entity")
    return checker.problems


def visible_text(text: str) -> str:
    """The text a reader sees: tags removed and entities decoded, as Telegram parses it."""
    checker = _Checker()
    checker.feed(text)
    checker.finish()
    return "".join(checker.visible)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's message limit."""
    return len(text.encode("utf-16-le")) // 2
