"""Everyday short replies, typed instead of tapping a button (content/everyday_replies.py)."""

from __future__ import annotations

import pytest

from content.everyday_replies import greeting_or_thanks, plain_everyday_reply


@pytest.mark.parametrize(
    "text",
    ["not yet", "Sure", "maybe later", "several days", "Not at all.", "remind me in 10 mins"],
)
def test_everyday_replies_are_plain(text: str) -> None:
    assert plain_everyday_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        # Words that can carry a sign, and more than a reply.
        "not ok",
        "not anymore",
        "done",
        "all at once",
        "maybe tonight",
        "soon. bye",
        "not for much longer",
        "not yet but i have a terrible headache",
        "",
    ],
)
def test_words_that_may_carry_a_sign_are_no_plain_reply(text: str) -> None:
    assert not plain_everyday_reply(text)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("hello", "hello"),
        ("hi there", "hello"),
        ("good morning", "hello"),
        ("thank you so much!", "thanks"),
        ("great thanks", "thanks"),
        ("hi i have a question", None),
        ("hey, my chest hurts", None),
        ("ok", None),
    ],
)
def test_a_greeting_or_thanks_alone(text: str, said: str | None) -> None:
    assert greeting_or_thanks(text) == said
