"""Everyday short replies, typed instead of tapping a button (content/everyday_replies.py)."""

from __future__ import annotations

import pytest

from content.everyday_replies import plain_everyday_reply


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
