"""A message the user edits after sending it: never taken as the answer to a later question, and
a warning sign written into it is still answered first."""

from __future__ import annotations

from bot.handlers.freetext import CHECK_IN, EDIT_NOT_READ, EDIT_WHILE_WAITING
from storage.models import CourseDose, CourseWeight
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_red_flags import _family, _shows
from tests.e2e.test_reminders import press_and_edit, settle


async def _edit(bot: BotUnderTest, message_id: int, text: str) -> str:
    """Edit the user's message; the bot's answer to the edit."""
    before = len(bot.fake.messages(USER))
    bot.fake.edit_text(USER, message_id, text)
    [*_, answer] = await bot.fake.wait_for_messages(USER, before + 1)
    return answer.text


async def test_an_edited_dose_is_not_taken_as_the_weight_asked_since(bot: BotUnderTest) -> None:
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    before = len(bot.fake.messages(USER))
    typed = bot.fake.send_text(USER, "30")
    [*_, weight_prompt] = await bot.fake.wait_for_messages(USER, before + 1)
    assert "What do you weigh" in weight_prompt.text

    assert await _edit(bot, typed["message_id"], "40") == EDIT_WHILE_WAITING
    assert await bot.rows(CourseWeight) == []
    assert [dose.mg_per_day for dose in await bot.rows(CourseDose)] == [30]
    # As the notice says: the command changes the dose, and the weight is still asked for.
    assert "Daily dose: 40 mg" in (await bot.say("/course dose 40")).text
    assert [dose.mg_per_day for dose in await bot.rows(CourseDose)] == [40]
    assert await bot.rows(CourseWeight) == []


async def test_an_edit_with_no_question_waiting_says_to_send_it_again(bot: BotUnderTest) -> None:
    typed = bot.fake.send_text(USER, "how long does the dryness last")
    await bot.fake.wait_for_messages(USER, 1)
    assert await _edit(bot, typed["message_id"], "how long does the purge last") == EDIT_NOT_READ


async def test_a_weak_sign_with_a_number_in_an_edit_gets_the_check_in_with_no_flow_waiting(
    bot: BotUnderTest,
) -> None:
    typed = bot.fake.send_text(USER, "how long does the dryness last")
    await bot.fake.wait_for_messages(USER, 1)
    answer = await _edit(bot, typed["message_id"], "sad 2 weeks")
    assert "I want to make sure you're okay" in answer or "thoughts of ending" in answer


async def test_a_warning_sign_written_into_an_edit_gets_urgent_guidance(bot: BotUnderTest) -> None:
    typed = bot.fake.send_text(USER, "how long does the dryness last")
    await bot.fake.wait_for_messages(USER, 1)
    answer = await _edit(bot, typed["message_id"], "my face is swollen and my throat feels tight")
    assert _shows(answer, _family("allergy").urgent_html)


async def test_an_edit_the_net_alone_reads_as_a_sign_gets_the_check_in(bot: BotUnderTest) -> None:
    typed = bot.fake.send_text(USER, "how long does the dryness last")
    await bot.fake.wait_for_messages(USER, 1)
    answer = await _edit(bot, typed["message_id"], "something feels really wrong with me today")
    assert CHECK_IN[:30] in answer


async def test_a_weak_sign_edited_in_while_a_flow_waits_gets_the_check_in(
    bot: BotUnderTest,
) -> None:
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")  # the dose is asked for
    typed = bot.fake.send_text(USER, "how long does the dryness last")
    await bot.fake.wait_for_messages(USER, len(bot.fake.messages(USER)))
    await settle(bot)
    answer = await _edit(bot, typed["message_id"], "things are really hard right now")
    assert CHECK_IN[:30] in answer or "thoughts of ending" in answer
