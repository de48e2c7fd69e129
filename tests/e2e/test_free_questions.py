"""Free questions typed as real users type them get the topic that answers them.

The first two lists come from a blind probe: questions that got "I'm not sure which topic" or a
topic that does not answer them. The third holds fresh wordings of the same needs, so that the
keywords cover the concept rather than one sentence.
"""

from __future__ import annotations

import pytest

from bot.handlers.freetext import NO_MATCH
from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()


def title(command: str) -> str:
    return LIBRARY.topics[command].title


async def ask(bot: BotUnderTest, text: str) -> str:
    await bot.say("/start")
    await bot.say("/timezone Europe/London")
    return (await bot.say(text)).text


def opened(reply: str, *commands: str) -> bool:
    """The reply is one of these topics (its title is the reply's first line)."""
    return reply.split("\n", 1)[0].strip() in {title(c) for c in commands}


# Ordinary questions the bot has a topic for, answered "I'm not sure which topic".
NO_TOPIC = [
    ("wat does this pill do exactly", ("howitworks", "about")),
    ("can i stop early if my skin is clear", ("treatment",)),
    ("corners of my mouth are splitting", ("sideeffects",)),
    ("which eye drops are good", ("sideeffects",)),
    ("contacts feel uncomfortable since starting", ("sideeffects",)),
    ("eye drops", ("sideeffects",)),
    ("contact lenses", ("sideeffects",)),
    ("can i wear contacts", ("sideeffects",)),
    ("is tanning ok", ("sideeffects",)),
    ("can i use a sunbed", ("sideeffects",)),
    ("does it matter what i eat with it", ("treatment",)),
    ("take with milk?", ("treatment",)),
    ("my skin is so drye 😩", ("sideeffects",)),
    ("can i take ibuprofen", ("interactions",)),
    ("can i take vitamin c", ("interactions",)),
]


@pytest.mark.parametrize(("text", "expected"), NO_TOPIC, ids=[t for t, _ in NO_TOPIC])
async def test_ordinary_question_gets_its_topic_not_i_am_not_sure(
    bot: BotUnderTest, text: str, expected: tuple[str, ...]
) -> None:
    reply = await ask(bot, text)
    assert NO_MATCH.split(".")[0] not in reply, f"{text!r} got no topic"
    assert opened(reply, *expected), f"{text!r} -> {reply.splitlines()[0]!r}"


# Ordinary questions answered with a topic that does not answer them.
WRONG_TOPIC = [
    # Sun during the course: the side-effects topic says skin burns more easily on isotretinoin.
    ("do i need sunscreen", ("sideeffects",)),
    ("what spf should i use", ("sideeffects",)),
    ("sunscrean needed?", ("sideeffects",)),
    ("can i go on a beach holiday during accutane", ("sideeffects",)),
    ("tanning on accutane", ("sideeffects",)),
    ("sunbed on accutane?", ("sideeffects",)),
    # Contact lenses / dry eyes.
    ("can i wear contact lenses on isotretinoin", ("sideeffects",)),
    # Skin procedures: the 6-months-after rule is in /interactions.
    ("is it ok to exfoliate while on accutane", ("interactions", "sideeffects")),
    ("microneedling after accutane when?", ("interactions",)),
    ("how long after the last pill can i get a facial", ("interactions",)),
    # Pregnancy after the course.
    ("how long after stopping can i get pregnant", ("pregnancy",)),
    # Food with the dose.
    ("what to eat with accutane", ("treatment",)),
]


@pytest.mark.parametrize(("text", "expected"), WRONG_TOPIC, ids=[t for t, _ in WRONG_TOPIC])
async def test_ordinary_question_gets_the_topic_that_answers_it(
    bot: BotUnderTest, text: str, expected: tuple[str, ...]
) -> None:
    reply = await ask(bot, text)
    assert opened(reply, *expected), f"{text!r} -> {reply.splitlines()[0]!r}"


# Fresh wordings of the same needs, none of them a probe sentence: the keywords must carry the
# concept (dry eyes and lenses, sun, food with the dose, other medicines, skin procedures, ...).
PARAPHRASES = [
    ("what exactly does this medicine do", ("howitworks", "about")),
    ("can i quit the course early once i'm clear", ("treatment",)),
    ("can i finish the course early", ("treatment",)),
    ("the corners of my lips keep cracking", ("sideeffects",)),
    ("sore cracked corners of mouth", ("sideeffects",)),
    ("best eye drops for dry eyes on accutane", ("sideeffects",)),
    ("wearing contact lens on roaccutane ok?", ("sideeffects",)),
    ("eyes too dry for my contacts", ("sideeffects",)),
    ("are sunbeds safe while taking isotretinoin", ("sideeffects",)),
    ("can i get a tan this summer", ("sideeffects",)),
    ("going on holiday somewhere sunny next week", ("sideeffects",)),
    ("should i wear sun cream every day", ("sideeffects",)),
    ("which spf is best on isotretinoin", ("sideeffects",)),
    ("is sunblock necessary on accutane", ("sideeffects",)),
    ("my face is so dryyy", ("sideeffects",)),
    ("skin feels drier than ever", ("sideeffects",)),
    ("what should i eat with my dose", ("treatment",)),
    ("do i have to take it with a fatty meal", ("treatment",)),
    ("can i have it with a glass of milk", ("treatment",)),
    ("is paracetamol ok with accutane", ("interactions",)),
    ("can i take nurofen on isotretinoin", ("interactions",)),
    ("are vitamin d supplements ok", ("interactions",)),
    ("can i take zinc tablets", ("interactions",)),
    ("can i use a face scrub during the course", ("interactions",)),
    ("when can i have a facial after isotretinoin", ("interactions",)),
    ("how long after accutane can i get a facial", ("interactions",)),
    ("is microneedling safe on accutane", ("interactions",)),
    ("can i get dermaplaning done", ("interactions",)),
    ("how soon after accutane can i try for a baby", ("pregnancy",)),
    ("when is it safe to get pregnant after isotretinoin", ("pregnancy",)),
]


@pytest.mark.parametrize(("text", "expected"), PARAPHRASES, ids=[t for t, _ in PARAPHRASES])
async def test_other_wordings_of_the_same_questions_get_the_same_topic(
    bot: BotUnderTest, text: str, expected: tuple[str, ...]
) -> None:
    reply = await ask(bot, text)
    assert opened(reply, *expected), f"{text!r} -> {reply.splitlines()[0]!r}"
