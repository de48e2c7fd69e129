"""A question in a group gets its topic however the mention of the bot is punctuated."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from content import load_library
from sandbox import FakeBotApi
from tests.e2e.conftest import USER, BotUnderTest, bot_running

LIBRARY = load_library()
OTHER = 1002
GROUP = -100_777


@pytest.fixture
async def group_bot(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    async with bot_running(fake, sqlite_db_url) as running:
        fake.add_group(GROUP, members=[USER, OTHER])
        fake.add_bot_to_group(GROUP, by_user_id=USER)
        await fake.wait_for_messages(GROUP, 1)
        yield running


@pytest.mark.parametrize(
    "template",
    [
        "@{bot}, can i drink alcohol?",
        "can i drink alcohol @{bot}?",
        "@{bot}: why are my lips so dry",
        "@{bot}\nwhy are my lips so dry",
        "@{bot} - can i drink alcohol",
        "can i drink alcohol, @{bot}",
    ],
)
async def test_group_question_with_a_punctuated_mention_gets_its_topic(
    group_bot: BotUnderTest, template: str
) -> None:
    """A group member who writes "@isobot_test_bot, can i drink alcohol?" (a comma, colon or
    question mark against the mention, as people type it) gets the same topic as in private: the
    alcohol advice from /interactions, or the dry-lips advice from /sideeffects.

    The mention is removed wherever it stands and whatever touches it. Left in, the bot's own
    username ("isobot_test_bot", and any bot username, which Telegram makes end in "bot") reads
    as the words "isobot" and "bot", the keywords of the help how-to, which outweigh the question.
    """
    bot = group_bot
    text = template.format(bot=bot.fake.bot_username)
    before = len(bot.fake.messages(GROUP))
    bot.fake.send_group_text(GROUP, OTHER, text)
    reply = (await bot.fake.wait_for_messages(GROUP, before + 1))[-1]
    expected = {LIBRARY.topics["interactions"].title, LIBRARY.topics["sideeffects"].title}
    first_line = reply.text.split("\n", 1)[0].strip()
    assert first_line in expected, f"{text!r} -> {reply.text[:120]!r}"
