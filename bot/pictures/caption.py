"""Whether an HTML text fits Telegram's caption limit once its tags are parsed. Pure."""

from __future__ import annotations

import html
import re

MAX_CAPTION = 1024
_TAG = re.compile(r"<[^>]*>")


def visible_length(text_html: str) -> int:
    """The caption's length as Telegram counts it: tags gone, entities decoded, UTF-16 units."""
    plain = html.unescape(_TAG.sub("", text_html))
    return len(plain.encode("utf-16-le")) // 2


def fit_caption(text_html: str, short_html: str) -> tuple[str, str | None]:
    """(caption, text for a message of its own): the whole text as the caption when it fits,
    else the short caption with the text sent after the picture."""
    if visible_length(text_html) <= MAX_CAPTION:
        return text_html, None
    return short_html, text_html
