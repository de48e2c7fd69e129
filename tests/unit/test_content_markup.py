"""The Markdown subset renderer and the Telegram HTML checks it is held to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.markup import render
from content.telegram_html import html_problems, utf16_length, visible_text

MARKERS_BECOME_TAGS = [
    ("**bold**", "<b>bold</b>"),
    ("_italic_", "<i>italic</i>"),
    ("a **b** and _c_.", "a <b>b</b> and <i>c</i>."),
    ("**bold with _italic_ inside**", "<b>bold with <i>italic</i> inside</b>"),
    ("(_C. acnes_)", "(<i>C. acnes</i>)"),
]
HTML_SPECIALS_ARE_ESCAPED = [
    ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
    ("<b>not a tag</b>", "&lt;b&gt;not a tag&lt;/b&gt;"),
    ("&amp;", "&amp;amp;"),
    ('"quotes" stay', '"quotes" stay'),
]


@pytest.mark.parametrize(("source", "expected"), MARKERS_BECOME_TAGS + HTML_SPECIALS_ARE_ESCAPED)
def test_render_turns_markers_into_tags_and_escapes_html(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    "source",
    ["**unclosed bold", "_unclosed italic", "snake_case_word", "a * b", "****", "** spaced **"],
)
def test_render_leaves_unpaired_or_inner_markers_as_text(source: str) -> None:
    assert render(source) == source


def test_render_never_crosses_tags() -> None:
    rendered = render("**a _b** c_")
    assert html_problems(rendered) == []
    assert visible_text(rendered) == "a _b c_"


def test_render_turns_dash_lines_into_bullets() -> None:
    assert render("Intro:\n- one\n- two") == "Intro:\n• one\n• two"


def test_render_joins_wrapped_lines_and_indented_bullet_continuations() -> None:
    source = "A sentence\nwrapped here.\n- a bullet\n  that wraps\n- next"
    assert render(source) == "A sentence wrapped here.\n• a bullet that wraps\n• next"


def test_render_keeps_blank_lines_as_paragraph_breaks() -> None:
    assert render("\n\nFirst.\n\n\n  \nSecond.\n\n") == "First.\n\nSecond."


def test_render_formats_inside_bullets() -> None:
    assert render("- **Less oil.** Fewer spots") == "• <b>Less oil.</b> Fewer spots"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab _*-\n<>&;#x ")), max_size=60))
def test_render_always_produces_html_telegram_accepts(source: str) -> None:
    assert html_problems(render(source)) == []


def test_visible_text_decodes_entities_and_drops_tags() -> None:
    assert visible_text("<b>a &amp; b</b> &lt;3 &#128512;") == "a & b <3 😀"


def test_utf16_length_counts_emoji_as_two_units() -> None:
    assert utf16_length("😀") == 2
    assert utf16_length("abc") == 3
