"""How long contraception must continue after the course is answered by the pregnancy topic."""

from __future__ import annotations

import pytest

from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()

AFTER_THE_COURSE = [
    "How long do I need contraception after stopping?",
    "do i need to keep using contraception after the course",
    "how long after stopping do i need contraception",
    "how long should i stay on birth control after my last dose",
]


@pytest.mark.parametrize("text", AFTER_THE_COURSE)
async def test_contraception_after_the_course_gets_the_pregnancy_topic(
    bot: BotUnderTest, text: str
) -> None:
    """Asking whether, or how long, contraception carries on after the course gets the pregnancy
    topic, the only one that says to keep it up for at least a month after the last dose.

    Words such as "how long" (the course's length) or "after the course" (aftercare) must not
    outweigh the contraception the question is about: someone who can become pregnant would
    otherwise read about the course or aftercare and may stop contraception with their last
    pill.
    """
    reply = await bot.say(text)
    first_line = reply.text.split("\n", 1)[0].strip()
    assert first_line == LIBRARY.topics["pregnancy"].title, f"{text!r} -> {first_line!r}"
    assert "at least a month" in reply.text
