"""An admin's own text longer than one Telegram message, pasted: the client sends it in parts."""

from __future__ import annotations

import html

from storage.models import Broadcast
from tests.e2e.conftest import ADMIN, BotUnderTest
from tests.e2e.test_broadcast import (
    add_recipients,
    button,
    edited,
    fast_bot,  # noqa: F401  (fixture)
)

SENTENCE = "Keep using a gentle moisturiser twice a day after your course. "
SHORTENED = "Keep using a gentle moisturiser twice a day after your course, and SPF 30 or more."


async def write_my_own(bot: BotUnderTest) -> None:
    await add_recipients(bot, 3)
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    await edited(bot, start)


async def test_the_rest_of_a_split_paste_is_refused_and_the_shortened_text_taken(
    fast_bot: BotUnderTest,  # noqa: F811  (the fixture of test_broadcast.py)
) -> None:
    """The admin chose "Write my own" and pastes 5,100 characters. Telegram clients send a paste
    over 4096 characters as parts, all at once: the first 4096 characters, then the rest. The
    first is refused as too long; the rest, cut mid-sentence, is refused as part of the same
    paste, never offered for sending. The shortened text the admin then sends becomes the
    draft ("Who should get it?"), not a free-text question."""
    bot = fast_bot
    await write_my_own(bot)
    paste = SENTENCE * 80
    head, tail = paste[:4096], paste[4096:]
    before = len(bot.fake.messages(ADMIN))
    bot.fake.send_text(ADMIN, head)  # as the client splits it
    bot.fake.send_text(ADMIN, tail)
    refusal, rest = (await bot.fake.wait_for_messages(ADMIN, before + 2))[before:]
    assert "too long" in refusal.text and "send it again" in refusal.text
    assert "rest of the long text" in rest.text, rest.text
    [draft] = await bot.rows(Broadcast)
    assert draft.text_html is None

    answer = await bot.say(SHORTENED, user_id=ADMIN)
    assert "Who should get it?" in answer.text, f"answered as a question: {answer.text[:80]!r}"
    [draft] = await bot.rows(Broadcast)
    assert draft.text_html is not None and draft.text_html.startswith(html.escape(SHORTENED))


async def test_a_text_sent_after_a_refusal_was_read_is_taken_even_if_quick(
    fast_bot: BotUnderTest,  # noqa: F811  (the fixture of test_broadcast.py)
) -> None:
    """A text refused as too long, then at once a short one, sent after the refusal came: that
    is the admin's new text, taken however fast it followed."""
    bot = fast_bot
    await write_my_own(bot)
    refusal = await bot.say(SENTENCE * 65, user_id=ADMIN)  # fits, but not with the disclaimer
    assert "too long" in refusal.text
    answer = await bot.say(SHORTENED, user_id=ADMIN)
    assert "Who should get it?" in answer.text, answer.text
