"""Red flags win over everything: urgent guidance instead of a topic."""

from __future__ import annotations

import html
import re

import pytest

from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()

# One plain, one misspelt and one buried wording per family.
RED_FLAGS = [
    ("mood", "I have thoughts of killing myself"),
    ("mood", "im having suicidal thougts"),
    ("mood", "my skin is peeling and honestly I feel hopeless and want to die"),
    ("pregnancy", "I think I am pregnant"),
    ("pregnancy", "i might be pregnat"),
    ("pregnancy", "my lips are so dry and my period is late"),
    ("headache_vision", "I have a severe headache"),
    ("headache_vision", "my vision is blury since yesterday"),
    ("headache_vision", "the purge is bad and I have the worst headache of my life"),
    ("pain", "I have severe stomach pain"),
    ("pain", "I have chest pain right now"),
    ("pain", "dry skin everywhere and a really severe belly pain today"),
    ("jaundice", "my skin is turning yellow"),
    ("jaundice", "the whites of my eyes are yelow"),
    ("jaundice", "sunscreen question, but also my eyes look yellow"),
]


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@pytest.mark.parametrize(("family_id", "text"), RED_FLAGS)
async def test_red_flag_gets_urgent_guidance_not_a_topic(
    bot: BotUnderTest, family_id: str, text: str
) -> None:
    reply = await bot.say(text)
    family = next(f for f in LIBRARY.red_flags if f.id == family_id)
    assert _plain(family.urgent_html)[:60] in reply.text
    assert bot.fake.buttons(reply) == []
    assert not any(t.title in reply.text for t in LIBRARY.topics.values())


@pytest.mark.parametrize(
    "text",
    ["I am not pregnant", "I'm not depressed, just curious", "no headache at all"],
)
async def test_negated_red_flag_is_not_an_emergency(bot: BotUnderTest, text: str) -> None:
    reply = await bot.say(text)
    assert not any(_plain(f.urgent_html)[:60] in reply.text for f in LIBRARY.red_flags)


async def test_urgent_guidance_says_to_stop_and_contact_prescriber(bot: BotUnderTest) -> None:
    reply = await bot.say("I think I am pregnant")
    lowered = reply.text.lower()
    assert "stop" in lowered
    assert "prescriber" in lowered


async def test_self_harm_guidance_names_emergency_help(bot: BotUnderTest) -> None:
    reply = await bot.say("I want to kill myself")
    lowered = reply.text.lower()
    assert "emergency" in lowered or "crisis" in lowered
