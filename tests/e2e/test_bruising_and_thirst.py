"""Bruising, bleeding and thirst in everyday words and in questions: the family's guidance, its
check-in, or the side-effects topic with its pointer."""

from __future__ import annotations

import pytest

from bot.keyboards import SOS, SOS_LABEL
from content import load_library
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_red_flags import _family, _plain

LIBRARY = load_library()
BLOOD = _family("blood")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # A nosebleed is common on isotretinoin; one that has not stopped in an hour is not.
        ("nosebleed for an hour wont stop", BLOOD.urgent_html),
        ("i'm so thirsty i drink like 5 litres a day", BLOOD.ask_html),
    ],
)
async def test_a_sign_in_everyday_words_gets_the_familys_help(
    bot: BotUnderTest, text: str, shown: str
) -> None:
    reply = await bot.say(text)
    assert _plain(shown)[:50] in reply.text, reply.text[:100]


@pytest.mark.parametrize(
    "text",
    [
        "can accutane cause bruising?",
        "does isotretinoin cause bleeding gums?",
        "can accutane cause excessive thirst?",
        "can accutane affect blood sugar?",
        "why am i so thirsty on accutane",
    ],
)
async def test_a_question_about_it_gets_the_side_effects_topic_with_its_pointer(
    bot: BotUnderTest, text: str
) -> None:
    """These got the overview topic ("What isotretinoin is"), which says nothing of them."""
    reply = await bot.say(text)
    assert LIBRARY.topics[BLOOD.topic].title in reply.text, reply.text[:80]
    assert _plain(BLOOD.pointer_html)[:40] in reply.text
    assert (SOS_LABEL, SOS) in bot.fake.buttons(reply)
