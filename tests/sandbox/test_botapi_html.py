"""Telegram's HTML parse mode and text length rules."""

from __future__ import annotations

import pytest
from telegram import Bot, MessageEntity
from telegram.error import BadRequest

from sandbox import FakeBotApi
from sandbox.telegram_html import Entity, HtmlParseError, parse_html, utf16_len
from tests.sandbox.helpers import last_error


def test_plain_text_and_entities_come_out_of_the_tags() -> None:
    parsed = parse_html(
        '<b>Bold</b> and <i>it</i> <a href="https://example.org/x?a=1&amp;b=2">l</a>'
    )
    assert parsed.text == "Bold and it l"
    assert parsed.entities == (
        Entity("bold", 0, 4),
        Entity("italic", 9, 2),
        Entity("text_link", 12, 1, url="https://example.org/x?a=1&b=2"),
    )


def test_every_supported_tag_maps_to_its_entity() -> None:
    source = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>"
        '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code><pre>k</pre>'
        "<blockquote>l</blockquote><blockquote expandable>m</blockquote>"
    )
    parsed = parse_html(source)
    assert parsed.text == "abcdefghijklm"
    assert [e.type for e in parsed.entities] == [
        "bold",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
    ]


def test_pre_with_a_language_code_block_is_one_pre_entity() -> None:
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert parsed.entities == (Entity("pre", 0, 5, language="python"),)


def test_nothing_is_kept_inside_code() -> None:
    parsed = parse_html("<code><b>x</b></code>")
    assert parsed.entities == (Entity("code", 0, 1),)


def test_offsets_and_lengths_count_utf16_units() -> None:
    parsed = parse_html("😀 <b>é😀</b>")
    assert parsed.entities == (Entity("bold", 3, 3),)
    assert utf16_len("😀") == 2
    assert utf16_len("é") == 1


def test_entities_decode_and_empty_tags_vanish() -> None:
    parsed = parse_html("&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x42; <b></b>")
    assert parsed.text == '<tag> & "q" AB '
    assert parsed.entities == ()


def test_tags_are_case_insensitive_and_nest() -> None:
    parsed = parse_html("<B>bold <I>both</I></B>")
    assert parsed.text == "bold both"
    assert parsed.entities == (Entity("bold", 0, 9), Entity("italic", 5, 4))


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("é<div>x</div>", 'Unsupported start tag "div" at byte offset 2'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("a <", "Unclosed start tag at byte offset 2"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        (
            "<b><i>x</b></i>",
            'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
        ),
        ("<b>x</strong>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</strong>"'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ('<a href="x>x</a>', "Unclosed start tag at byte offset 0"),
        ("<b =x>y</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        (
            "<b class>y</b>",
            'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0',
        ),
        (
            "&nbsp;",
            'Unsupported HTML entity "&nbsp;" at byte offset 0; only &lt; &gt; &amp; &quot; '
            "and numeric entities are supported",
        ),
        ("Q & A", 'Character "&" at byte offset 2 must be escaped as "&amp;"'),
        ("&#0;", 'Invalid numeric HTML entity "&#0;" at byte offset 0'),
        ("&#xZZ;", 'Invalid numeric HTML entity "&#x" at byte offset 0'),
    ],
)
def test_bad_html_is_refused_with_telegrams_reason(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == reason


async def test_bad_html_families_are_400_over_http(bot: Bot, fake: FakeBotApi, user: int) -> None:
    bad = ["<p>x</p>", "<b>x", "<b><i>x</b></i>", "1 < 2", "&nbsp;", "AT&T"]
    for source in bad:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(user, source, parse_mode="HTML")
        assert last_error(fake).startswith("Bad Request: can't parse entities: ")
    assert fake.messages(user) == []


async def test_exact_description_of_an_unsupported_tag(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(user, "hi <x>there</x>", parse_mode="HTML")
    assert last_error(fake) == (
        'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3'
    )


async def test_ptb_reads_the_entities_back(bot: Bot, user: int) -> None:
    sent = await bot.send_message(
        user, '😀 <b>bold</b> <a href="https://example.org">link</a>', parse_mode="HTML"
    )
    assert sent.text == "😀 bold link"
    assert sent.entities == (
        MessageEntity(MessageEntity.BOLD, 3, 4),
        MessageEntity(MessageEntity.TEXT_LINK, 8, 4, url="https://example.org"),
    )
    assert sent.parse_entity(sent.entities[0]) == "bold"


async def test_without_parse_mode_tags_are_plain_text(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_message(user, "<p>not html</p> & so on")
    assert sent.text == "<p>not html</p> & so on"
    assert fake.last_message(user).parse_mode is None  # type: ignore[union-attr]


async def test_markdown_is_refused(bot: Bot, user: int) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(user, "*bold*", parse_mode="MarkdownV2")


async def test_length_limit_is_4096_after_parsing(bot: Bot, fake: FakeBotApi, user: int) -> None:
    await bot.send_message(user, "a" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user, "a" * 4097)
    assert last_error(fake) == "Bad Request: message is too long"
    # Long as HTML, short after parsing: the tags and entities do not count.
    long_html = "<b>" + "&amp;" * 4000 + "</b>" + "<i>x</i>" * 96
    assert len(long_html) > 4096
    sent = await bot.send_message(user, long_html, parse_mode="HTML")
    assert sent.text is not None and len(sent.text) == 4096
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user, long_html + "<b>y</b>", parse_mode="HTML")


async def test_emoji_count_as_two_units(bot: Bot, user: int) -> None:
    await bot.send_message(user, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user, "😀" * 2048 + "a")
    # A BMP character that is 3 bytes in UTF-8 still counts once.
    await bot.send_message(user, "€" * 4096)


async def test_empty_and_blank_texts_are_refused(bot: Bot, fake: FakeBotApi, user: int) -> None:
    for text in ("", "   ", "<b> </b>"):
        with pytest.raises(BadRequest):
            await bot.send_message(user, text, parse_mode="HTML")
        assert last_error(fake) == "Bad Request: message text is empty"


async def test_message_records_html_and_plain_text(bot: Bot, fake: FakeBotApi, user: int) -> None:
    await bot.send_message(user, "<b>Dose</b> &amp; food", parse_mode="HTML")
    message = fake.last_message(user)
    assert message is not None
    assert message.text == "Dose & food"
    assert message.html == "<b>Dose</b> &amp; food"
    assert message.parse_mode == "HTML"
