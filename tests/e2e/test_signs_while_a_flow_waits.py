"""A warning sign only the statistical net reads (no phrase names it), typed, captioned or edited
in while a guided flow waits, gets the check-in question ("Is something happening to you now that
worries you?") unless the flow can take it as its answer. Once such a flow answered "took all 40
pills" with "Please send the total mg a day as a number"."""

from __future__ import annotations

import pytest

from bot.handlers.freetext import CHECK_IN
from bot.handlers.remind import KIND_PREFIX
from content import Level, assess, load_library
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import press_and_edit, settle

LIBRARY = load_library()
# The general check-in question, or the mood family's own ("I'd like to check one thing...").
OPENINGS = (CHECK_IN[:30], "I'd like to check one thing")


def asks(text: str) -> bool:
    return any(opening in text for opening in OPENINGS)


def _net_only(text: str) -> None:
    """The text is a sign asked about, not answered urgently: the net's, or since a phrase for
    overdose counts, a weak phrase's."""
    found = assess(text, LIBRARY)
    assert found is not None and found.level is Level.ASK, f"{text!r} must be asked about"


@pytest.mark.parametrize(
    "text", ["took all 40 pills", "swallowed 30 pills", "everything is too much"]
)
async def test_a_net_only_sign_typed_while_course_asks_the_dose_gets_the_check_in(
    bot: BotUnderTest, text: str
) -> None:
    """/course is waiting for the mg a day. "took all 40 pills" is no dose (the flow cannot parse
    it) but a possible overdose the net flags: expected the check-in question with the chooser.
    Before: only "Please send the total mg a day as a number, like 40." """
    _net_only(text)
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")  # now waiting for the dose
    reply = await bot.say(text)
    assert asks(reply.text), f"got {reply.text[:80]!r}"


async def test_a_net_only_sign_typed_while_remind_asks_times_gets_the_check_in(
    bot: BotUnderTest,
) -> None:
    """/remind dose is waiting for typed times. "swallowed 30 pills" is no time but a possible
    overdose the net flags: expected the check-in question. Before: a time-format error
    ("At most two times a day per kind ...")."""
    text = "swallowed 30 pills"
    _net_only(text)
    await bot.say("/timezone Europe/Berlin")
    kinds = await bot.say("/remind")
    await bot.press(kinds, f"{KIND_PREFIX}dose")  # now waiting for typed times
    reply = await bot.say(text)
    assert asks(reply.text), f"got {reply.text[:80]!r}"


@pytest.mark.parametrize("kind", ["photo", "voice"])
async def test_a_net_only_sign_in_a_caption_while_a_flow_waits_gets_the_check_in(
    bot: BotUnderTest, kind: str
) -> None:
    """A photo or voice note captioned "took all 40 pills" while /course waits for the dose: the
    caption is rightly not taken as the dose, but the sign in it must still get the check-in
    question. Before: only "I can only read typed words. Please type your answer..." """
    text = "took all 40 pills"
    _net_only(text)
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, kind, caption=text)
    await bot.fake.wait_for_messages(USER, before + 1)
    await settle(bot)
    replies = [m.text or "" for m in bot.fake.messages(USER)[before:]]
    assert any(asks(r) for r in replies), f"got {replies!r}"


async def test_a_short_net_only_sign_edited_in_while_a_flow_waits_gets_the_check_in(
    bot: BotUnderTest,
) -> None:
    """An earlier message edited into "swallowed 30 pills" while /course waits for the dose. An
    edit is never taken as the flow's answer, so the short-answer exemption does not apply: the
    sign must get the check-in question. Before: only "I read new messages, not edits, and my
    last question still waits for its answer..." """
    text = "swallowed 30 pills"
    _net_only(text)
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    typed = bot.fake.send_text(USER, "how long does the dryness last")
    await bot.fake.wait_for_messages(USER, len(bot.fake.messages(USER)))
    await settle(bot)
    before = len(bot.fake.messages(USER))
    bot.fake.edit_text(USER, typed["message_id"], text)
    [*_, answer] = await bot.fake.wait_for_messages(USER, before + 1)
    assert asks(answer.text), f"got {answer.text[:80]!r}"
