"""The two Telegram-HTML checkers, content's and the fake Bot API's, apply the same rules.

content/ and sandbox/ may not import each other (DESIGN.md), so each keeps its own reading of
Telegram's HTML parse mode: content's checks the bot's texts before they ship, the sandbox's
refuses what Telegram refuses. If they drifted apart, a text could pass one and fail the other.
These tests hold them to each other: the same verdict on every input, and on accepted input the
same visible text, over tens of thousands of random texts built to hit where parsers differ.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.telegram_html import html_problems, visible_text
from sandbox.telegram_html import HtmlParseError, parse_html
from tests.unit.html_inputs import random_text, texts

TEXTS_PER_SEED = 1000


def sandbox_reading(text: str) -> str | None:
    """The text the fake Bot API shows for ``text``, or None when it refuses it."""
    try:
        return parse_html(text).text
    except HtmlParseError:
        return None


def content_reading(text: str) -> str | None:
    """The text content's checker says a reader sees, or None when it finds a problem."""
    return visible_text(text) if html_problems(text) == [] else None


def assert_agree(text: str) -> None:
    content, sandbox = content_reading(text), sandbox_reading(text)
    assert content == sandbox, (
        f"checkers disagree on {text!r}: content {html_problems(text) or content!r}, "
        f"sandbox {_sandbox_reason(text) or sandbox!r}"
    )


def _sandbox_reason(text: str) -> str | None:
    try:
        parse_html(text)
    except HtmlParseError as exc:
        return str(exc)
    return None


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_checkers_agree_on_random_markup(text: str) -> None:
    assert_agree(text)


# Hypothesis draws each of its examples at about a millisecond; plain random, seeded by it, adds
# the volume: 30,000 more texts in about a second, a failure naming its text and seed.
@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_checkers_agree_on_thousands_of_random_texts(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(TEXTS_PER_SEED):
        assert_agree(random_text(rng))


# The rules, one case each, with what Telegram's server (tdlib's parse_html) does where the
# checkers are stricter than it. Both checkers are asked.
ACCEPTED = [
    "plain text",
    "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins>",
    "<s>s</s> <strike>k</strike> <del>d</del> <tg-spoiler>t</tg-spoiler> <code>c</code>",
    '<span class="tg-spoiler">x</span>',
    "<span class=TG-Spoiler>x</span>",  # unquoted values are lowercased
    '<a href="https://example.org/?a=1&amp;b=2">link</a>',
    "<a href=example.org>link</a>",
    '<pre><code class="language-python">x = 1</code></pre>',
    "<blockquote>q</blockquote><blockquote expandable>e</blockquote>",
    '<blockquote expandable="">e</blockquote>',
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    "<B>tags are case-insensitive</b>",
    "<b\n>spaces inside tags</b\t>",
    "&lt; &gt; &amp; &quot; &#65; &#x41; &#x1F600; &#1114110; &#0000065; &#x27;",
    "<b></b>",
    "\"quotes\" and 'apostrophes' need no escape",
]
REFUSED = [
    "a < b",
    "a > b",  # Telegram shows it; the docs say to write &gt;
    "Q & A",  # Telegram shows it; the docs say to write &amp;
    "&nbsp;",
    "&LT;",
    "&lt",  # Telegram decodes it; the docs always end an entity with ";"
    "&#0;",  # Telegram shows "&#0;" as text
    "&#X41;",  # Telegram reads only a lowercase x
    "&#00000065;",  # more digits than Telegram reads
    "&#x0000041;",
    "&#1114111;",  # Telegram decodes below 0x10FFFF only
    "&#xD800;",  # a lone surrogate: Telegram refuses it
    "\ud800",
    "a\x00b",
    "<p>x</p>",
    "<br>",
    "<b/>",
    "<b />",
    "<!-- comment -->",
    "<b>open",
    "close</b>",
    "<b><i>crossed</b></i>",
    "<b>x</>",  # Telegram closes the innermost tag; the docs always name it
    "<b\f>x</b>",  # Telegram does not skip \f: the tag is "b\f"
    "<stri\u212ae>x</strike>",  # the Kelvin sign is not a k to Telegram
    "<a>x</a>",  # Telegram would link the text itself; the docs require href
    '<a href="">x</a>',
    '<a href=" ">x</a>',
    '<a HREF="https://example.org">x</a>',  # attribute names are case-sensitive
    '<a href="https://example.org" title="t">x</a>',  # Telegram ignores title
    '<a href="a&b">x</a>',
    "<span>x</span>",
    '<span class="spoiler">x</span>',
    '<code class="python">x</code>',  # Telegram ignores it: no language
    '<b class="x">x</b>',
    "<b class>x</b>",
    '<blockquote expandable expandable="1">x</blockquote>',
    "<tg-emoji>👍</tg-emoji>",
    '<tg-emoji emoji-id="012">👍</tg-emoji>',
    '<tg-emoji emoji-id="9223372036854775808">👍</tg-emoji>',
    '<a href="x>x</a>',
    "<a href=x/>x</a>",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_both_checkers_accept(text: str) -> None:
    assert html_problems(text) == []
    assert sandbox_reading(text) is not None
    assert_agree(text)


@pytest.mark.parametrize("text", REFUSED)
def test_both_checkers_refuse(text: str) -> None:
    assert html_problems(text) != []
    assert sandbox_reading(text) is None


def test_visible_text_decodes_as_telegram_does() -> None:
    text = '<b>a &amp; b</b> &lt;3 &#128512;&#x41; <a href="https://e.org">l</a>'
    assert visible_text(text) == sandbox_reading(text) == "a & b <3 😀A l"
