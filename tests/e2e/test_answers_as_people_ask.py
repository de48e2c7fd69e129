"""Free questions as people type them get the topic that answers them. Each wording here got
another topic, or "I'm not sure", before (a probe's findings of 6 December)."""

from __future__ import annotations

import pytest

from bot.handlers.freetext import NO_MATCH
from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()


def opened(reply: str, command: str) -> bool:
    """The reply is the topic: its title is the first line."""
    return reply.split("\n", 1)[0].strip() == LIBRARY.topics[command].title


ASKED = [
    # "take it" outweighed what was asked about: tetracyclines must never be combined.
    ("my doctor gave me doxycycline can i take it with accutane", "interactions"),
    ("the doctor prescribed doxycycline, can i take it", "interactions"),
    ("can i have wine while im taking it", "interactions"),
    ("can i use sunbeds while taking it", "sideeffects"),
    ("can i wear contacts while taking it", "sideeffects"),
    # Exercise: "work" read as how it works, "gym" as nothing.
    ("can i work out", "sideeffects"),
    ("can i go to the gym", "sideeffects"),
    ("can i lift weights on accutane", "sideeffects"),
    ("can i get a tattoo on accutane", "interactions"),
    ("i feel so self conscious about my face", "wellbeing"),
    ("i hate my skin 😭", "wellbeing"),
    # Asking to double up in words without a dose in them: the never-take-two advice.
    ("should i take double tomorrow", "treatment"),
    ("can i just take both tonight", "treatment"),
    ("missed my 40mg yesterday can i take 80 today", "treatment"),
]


@pytest.mark.parametrize(("text", "command"), ASKED, ids=[t for t, _ in ASKED])
async def test_a_question_gets_the_topic_that_answers_it(
    bot: BotUnderTest, text: str, command: str
) -> None:
    reply = (await bot.say(text)).text
    assert opened(reply, command), f"{text!r} -> {reply[:60]!r}"
    if command == "treatment":
        assert "Never take two" in reply


async def test_a_still_taken_question_about_how_to_take_it_gets_the_course(
    bot: BotUnderTest,
) -> None:
    reply = (await bot.say("should i take it with food")).text
    assert opened(reply, "treatment") and NO_MATCH not in reply
