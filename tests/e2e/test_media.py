"""Photos, stickers, voice notes and files: the bot says it reads typed words only, and reads a
caption as the message it is, warning signs first."""

from __future__ import annotations

import pytest

from bot.handlers.media import CAPTION_ONLY, TEXT_ONLY
from content import load_library
from tests.e2e.conftest import USER, BotUnderTest

LIBRARY = load_library()


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "document"])
async def test_media_without_words_is_told_to_type_instead(bot: BotUnderTest, kind: str) -> None:
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, kind)
    [reply] = (await bot.fake.wait_for_messages(USER, before + 1))[before:]
    assert TEXT_ONLY[:40] in reply.text
    assert "prescriber" in reply.text


async def test_a_photos_caption_is_answered_and_the_picture_is_said_to_be_unseen(
    bot: BotUnderTest,
) -> None:
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, "photo", caption="my lips are so dry and cracked")
    answer, note = (await bot.fake.wait_for_messages(USER, before + 2))[before:]
    assert answer.text.startswith(LIBRARY.topics["sideeffects"].title)
    assert note.text == CAPTION_ONLY


async def test_a_warning_sign_in_a_caption_gets_urgent_guidance_first(bot: BotUnderTest) -> None:
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, "photo", caption="my lips and tongue are swelling up")
    guidance, _ = (await bot.fake.wait_for_messages(USER, before + 2))[before:]
    assert "🚨" in guidance.text and "allergic" in guidance.text
