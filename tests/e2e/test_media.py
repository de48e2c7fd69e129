"""Photos, stickers, voice notes and files: the bot says it reads typed words only, and reads a
caption as the message it is, warning signs first."""

from __future__ import annotations

import pytest

from bot.handlers.media import CAPTION_ONLY, COMMAND_AS_TEXT, TEXT_ONLY, TYPE_THE_ANSWER
from content import load_library
from storage.models import CourseDose
from tests.e2e.conftest import USER, BotUnderTest, all_handled
from tests.e2e.test_reminders import press_and_edit

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


async def test_a_command_as_a_caption_is_asked_for_as_text(bot: BotUnderTest) -> None:
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, "photo", caption="/today")
    [reply] = (await bot.fake.wait_for_messages(USER, before + 1))[before:]
    assert reply.text == COMMAND_AS_TEXT.format(command="/today")


async def test_a_caption_is_not_the_answer_a_flow_waits_for_and_the_typed_one_is(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/London")
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")  # now it waits for the mg a day
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, "photo", caption="40")
    [reply] = (await bot.fake.wait_for_messages(USER, before + 1))[before:]
    assert reply.text == TYPE_THE_ANSWER
    await bot.say("40")
    [dose] = await bot.rows(CourseDose)
    assert dose.mg_per_day == 40


async def test_an_album_gets_one_answer(bot: BotUnderTest) -> None:
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, "photo", caption="my lips are so dry and cracked", album="a1")
    bot.fake.send_media(USER, "photo", album="a1")
    bot.fake.send_media(USER, "photo", album="a1")
    await all_handled(bot)
    replies = bot.fake.messages(USER)[before:]
    assert [r.text for r in replies][-1] == CAPTION_ONLY and len(replies) == 2
