"""Peeling skin, a common side effect, is not read as dark urine."""

from __future__ import annotations

import pytest

from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()

PEELING = [
    "my back is peeling",
    "the skin on my back is peeling",
    "peeling red skin",
]


@pytest.mark.parametrize("text", PEELING)
async def test_peeling_skin_gets_the_side_effects_topic_not_dark_urine_guidance(
    bot: BotUnderTest, text: str
) -> None:
    """Peeling skin is one of the most common effects of isotretinoin (the article's dry skin;
    the side-effects topic lists peeling). "My back is peeling" must get the side-effects topic,
    or at most a check-in question, never the urgent guidance for a sign the message does not
    name. The typo matcher once read "peeling" as "peeing" and "back" as "black", and told the
    user to stop their medicine for dark urine."""
    reply = await bot.say(text)
    assert "dark urine" not in reply.text, reply.text.split("\n", 1)[0]
    assert "Stop taking isotretinoin" not in reply.text, reply.text.split("\n", 1)[0]
