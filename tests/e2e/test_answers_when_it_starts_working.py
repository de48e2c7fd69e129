"""Asking when the medicine starts to work, or when skin clears, gets the treatment timeline."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import BotUnderTest

WHEN = [
    "when will my skin clear up",
    "when does it start working",
    "how soon will i see results",
    "when will accutane kick in",
    "how long until i notice a difference",
]


@pytest.mark.parametrize("text", WHEN)
async def test_when_will_it_work_gets_the_timeline(bot: BotUnderTest, text: str) -> None:
    """Asking when the medicine starts to work, or when skin clears, gets the treatment topic:
    the only text that gives the timeline (a flare in the first weeks, real progress after the
    first month, clear skin by the end of a 4-6 month course), as the article's "Treatment
    Process" section does.

    Neither the mechanism ("How isotretinoin clears skin", for the word "working") nor remission
    after the course ("How long the results last", for "results") says when to expect
    improvement, and a worried user in the purge would not be told that it passes.
    """
    reply = await bot.say(text)
    assert "first month" in reply.text, f"{text!r} -> {reply.text.splitlines()[0]!r}"
