"""The pieces of the chats that need no running bot: safe HTML, button numbers, time jumps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handlers.sandbox_time import parse_jump
from sandbox.chat import Button, Entry, render_html
from sandbox.telegram_html import Entity, parse_html
from sandbox.terminal import format_entry


def rendered(source: str) -> str:
    """What the page shows for a text the bot sent in Telegram HTML."""
    parsed = parse_html(source)
    return render_html(parsed.text, parsed.entities)


def test_formatting_comes_back_as_the_same_few_tags() -> None:
    source = "<b>Dose</b> at <i>08:00</i>, <code>x &lt; y</code>\n<blockquote>calm</blockquote>"
    assert rendered(source) == source


def test_nested_entities_and_emoji_keep_their_places() -> None:
    # An emoji outside the BMP counts two UTF-16 units in Telegram's offsets.
    assert rendered("💊 <b>Taken <i>at</i> 08:00</b>!") == "💊 <b>Taken <i>at</i> 08:00</b>!"


def test_what_a_user_or_bot_typed_is_never_markup() -> None:
    text = '<script>alert(1)</script> & <img src=x onerror="alert(2)">'
    html = render_html(text)
    assert "<script" not in html and "<img" not in html
    assert html.startswith("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img")


def test_only_web_links_become_links() -> None:
    text = "read this and that"
    entities = (
        Entity("text_link", 0, 4, url="https://example.org/?a=1&b=2"),
        Entity("text_link", 14, 4, url="javascript:alert(1)"),
    )
    html = render_html(text, entities)
    assert '<a href="https://example.org/?a=1&amp;b=2" target="_blank"' in html
    assert "javascript" not in html
    assert html.endswith("<span>that</span>")


def test_commands_in_bot_text_are_tappable_but_not_in_code() -> None:
    html = render_html("Try /help, or /start", (Entity("code", 14, 6),))
    assert '<a class="command" href="#" data-command="/help">/help</a>' in html
    assert "<code>/start</code>" in html
    assert "data-command" not in render_html("and/or 1/2", ())


def test_overlapping_entities_still_close_every_tag() -> None:
    html = render_html("abcdef", (Entity("bold", 0, 4), Entity("italic", 2, 4)))
    assert html == "<b>ab<i>cd</i></b><i>ef</i>"


def test_terminal_numbers_buttons_across_rows() -> None:
    entry = Entry(
        message_id=3,
        from_bot=True,
        text="💊 Time for your dose.\nTake it with food.",
        html="",
        buttons=((Button("✅ Taken", "a"), Button("⏰ Snooze", "b")), (Button("⏭ Skip", "c"),)),
        edits=1,
        date=0,
    )
    assert format_entry(entry, edited=True, numbered=True) == [
        "isobot (edited): 💊 Time for your dose.",
        "  Take it with food.",
        "    [1] ✅ Taken   [2] ⏰ Snooze",
        "    [3] ⏭ Skip",
    ]
    assert len(format_entry(entry, edited=False, numbered=False)) == 2


@pytest.mark.parametrize(
    ("text", "jump"),
    [
        ("+2h", timedelta(hours=2)),
        ("+30m", timedelta(minutes=30)),
        ("+1d", timedelta(days=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("+1D", timedelta(days=1)),
    ],
)
def test_time_jumps_are_read(text: str, jump: timedelta) -> None:
    assert parse_jump(text) == jump


@pytest.mark.parametrize("text", ["", "+", "-1h", "2 hours", "+2x", "tomorrow"])
def test_anything_else_is_not_a_jump(text: str) -> None:
    assert parse_jump(text) is None
