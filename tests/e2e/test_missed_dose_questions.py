"""Asking whether to take two after a missed dose gets the topic that says never to, through the
fake Bot API."""

from __future__ import annotations

import pytest

from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()


@pytest.mark.parametrize(
    "text", ["can I take two pills today since I missed one", "should I double up?"]
)
async def test_asking_to_take_two_gets_the_never_double_up_advice(
    bot: BotUnderTest, text: str
) -> None:
    reply = await bot.say(text)
    assert LIBRARY.topics["treatment"].title in reply.text
    assert "Never take two at once" in reply.text
