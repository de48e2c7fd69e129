"""Topics, help, the unknown-command answer and free text, through the fake Bot API."""

from __future__ import annotations

import pytest

from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()
TOPICS = list(LIBRARY.topics.values())
DISCLAIMER_WORDS = "prescriber"


async def test_start_greets_with_disclaimer_and_topic_buttons(bot: BotUnderTest) -> None:
    reply = await bot.say("/start")
    assert "Welcome" in reply.text
    assert DISCLAIMER_WORDS in reply.text
    data = [d for _, d in bot.fake.buttons(reply)]
    assert "topic:howitworks" in data
    assert "topics" in data


async def test_start_menu_button_opens_every_topic(bot: BotUnderTest) -> None:
    start = await bot.say("/start")
    menu = await bot.press_and_wait(start, "topics")
    assert {d for _, d in bot.fake.buttons(menu)} == {f"topic:{t.command}" for t in TOPICS}


async def test_help_lists_every_command_in_groups(bot: BotUnderTest) -> None:
    reply = await bot.say("/help")
    for command in bot.app.bot_data.services.commands:
        assert f"/{command.name}" in reply.text
    assert "Getting started" in reply.text
    assert "Learn about isotretinoin" in reply.text


async def test_menu_of_commands_is_registered_with_telegram(bot: BotUnderTest) -> None:
    calls = bot.fake.calls_to("setMyCommands")
    assert calls, "set_my_commands was not called at start-up"
    registered = {c["command"] for c in calls[-1].params["commands"]}
    assert {"start", "help", "topics"} <= registered
    assert {t.command for t in TOPICS} <= registered


@pytest.mark.parametrize("topic", TOPICS, ids=[t.command for t in TOPICS])
async def test_topic_command_answers_with_text_disclaimer_and_related_buttons(
    bot: BotUnderTest, topic: object
) -> None:
    from content import Topic

    assert isinstance(topic, Topic)
    reply = await bot.say(f"/{topic.command}")
    assert topic.title in reply.text
    assert DISCLAIMER_WORDS in reply.text
    related = [d for _, d in bot.fake.buttons(reply)]
    assert related == [f"topic:{c}" for c in topic.related]
    # The fake accepted it, so it is within Telegram's limits.
    assert bot.fake.calls_to("sendMessage", reply.chat_id, ok=False) == []


async def test_every_related_button_opens_its_topic(bot: BotUnderTest) -> None:
    for topic in TOPICS:
        reply = await bot.say(f"/{topic.command}")
        for _, data in bot.fake.buttons(reply):
            shown = await bot.press_and_wait(reply, data)
            target = LIBRARY.topics[data.removeprefix("topic:")]
            assert target.title in shown.text
    assert not bot.fake.calls_to("sendMessage", ok=False)


async def test_stale_topic_button_is_answered_without_a_message(bot: BotUnderTest) -> None:
    reply = await bot.say("/sebum")
    before = len(bot.fake.messages(reply.chat_id))
    query = bot.fake.forge_callback(reply.chat_id, reply.message_id, "topic:nosuchtopic")
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    assert "no longer" in bot.fake.answered_callbacks()[query].get("text", "")
    assert len(bot.fake.messages(reply.chat_id)) == before


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("/sebumm", "/sebum"), ("/hlep", "/help"), ("/topic", "/topics"), ("/pregnacy", "/pregnancy")],
)
async def test_unknown_command_suggests_the_closest(
    bot: BotUnderTest, typed: str, suggestion: str
) -> None:
    reply = await bot.say(typed)
    assert reply.text.startswith(f"I don't know {typed}.")
    assert f"Did you mean {suggestion}?" in reply.text


async def test_a_command_named_to_another_bot_in_private_says_so(bot: BotUnderTest) -> None:
    reply = await bot.say("/remind@isobot dose 08:00")
    assert reply.text == (
        "That /remind was addressed to @isobot, not to me. Send it without the @ part: /remind"
    )
    unknown = await bot.say("/roll@isobot 2d6")
    assert unknown.text.startswith("I don't know /roll.")


async def test_unknown_command_without_anything_close_points_to_help(bot: BotUnderTest) -> None:
    reply = await bot.say("/xyzzyqq")
    assert reply.text.startswith("I don't know /xyzzyqq.")
    assert "Did you mean" not in reply.text
    assert "/help" in reply.text


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("dry lipps", "sideeffects"),
        ("sun burn", "sideeffects"),
        ("purging", "treatment"),
        ("why is my face so oily", "sebum"),
        ("blackheads", "pores"),
    ],
)
async def test_free_text_finds_the_topic_despite_typos(
    bot: BotUnderTest, text: str, command: str
) -> None:
    reply = await bot.say(text)
    topic = LIBRARY.topics[command]
    offered = [d for _, d in bot.fake.buttons(reply)]
    assert topic.title in reply.text or f"topic:{command}" in offered


async def test_general_pregnancy_question_gets_topic_and_urgent_pointer(bot: BotUnderTest) -> None:
    reply = await bot.say("can I get pregnant while on it?")
    pregnancy = LIBRARY.topics["pregnancy"]
    family = next(f for f in LIBRARY.red_flags if f.id == "pregnancy")
    assert pregnancy.title in reply.text
    assert _plain(family.pointer_html) in reply.text


async def test_nothing_matching_points_to_topics(bot: BotUnderTest) -> None:
    reply = await bot.say("qwerty zxcvb")
    assert "/topics" in reply.text
    assert DISCLAIMER_WORDS in reply.text


def _plain(html_text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


async def test_a_topic_command_addressed_to_the_bot_answers_the_topic(bot: BotUnderTest) -> None:
    # In a chat with several bots Telegram's menu sends "/sebum@<bot>".
    reply = await bot.say(f"/sebum@{bot.fake.bot_username}")
    assert LIBRARY.topics["sebum"].title in reply.text
    assert reply.html == (await bot.say("/sebum")).html
