"""The short answers: no timezone yet, a button out of date, a step taken too early.

Each of these once went to Telegram from inside the database session, and still must not: the
guard in tests/conftest.py fails a test on any Bot API call made inside one. Here each answer is
reached, and checked as the user sees it.
"""

from __future__ import annotations

from sandbox.state import BotMessage
from tests.e2e.conftest import ADMIN, USER, BotUnderTest

NO_ZONE = "Set your timezone first"
OUT_OF_DATE = "out of date"


async def notice(bot: BotUnderTest, message: BotMessage, data: str, user_id: int) -> str:
    """Press `data` on `message`, as a stale or forged press would; the callback's answer."""
    query = bot.fake.forge_callback(user_id, message.message_id, data)
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    return str(bot.fake.answered_callbacks()[query].get("text", ""))


def draft_id(bot: BotUnderTest, message: BotMessage) -> str:
    """The draft a /broadcast menu belongs to, from its Cancel button (`bc:cancel:<id>`)."""
    [data] = [d for _, d in bot.fake.buttons(message) if d.startswith("bc:cancel:")]
    return data.rsplit(":", 1)[1]


async def test_without_a_timezone_doses_times_and_checks_say_to_set_one_first(
    bot: BotUnderTest,
) -> None:
    assert NO_ZONE in (await bot.say("/today")).text
    assert NO_ZONE in (await bot.say("/history")).text
    kinds = await bot.say("/remind")
    assert NO_ZONE in await notice(bot, kinds, "rt:dose:0800", USER)
    checks = await bot.say("/checks")
    assert "which timezone" in checks.text
    assert NO_ZONE in await notice(bot, checks, "chk:k:blood_test", USER)


async def test_out_of_date_time_and_course_buttons_change_nothing_and_say_why(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/Berlin")
    kinds = await bot.say("/remind")
    assert OUT_OF_DATE in await notice(bot, kinds, "rt:dose:99xx", USER)
    # A kind that is no longer offered, on the kind buttons and on the time buttons.
    assert OUT_OF_DATE in await notice(bot, kinds, "rk:vitamins", USER)
    assert OUT_OF_DATE in await notice(bot, kinds, "rt:vitamins:0800", USER)
    course = await bot.say("/course start 2026-03-01")
    # A target outside the clinical range, as an old keyboard could still offer.
    assert "whole number from" in await notice(bot, course, "crs:target:99", USER)


async def test_broadcast_steps_out_of_order_are_refused_with_what_to_do(
    bot: BotUnderTest,
) -> None:
    menu = await bot.say("/broadcast", user_id=ADMIN)
    draft = draft_id(bot, menu)

    async def press(data: str) -> str:
        return await notice(bot, menu, data, ADMIN)

    assert "first" in await press(f"bc:aud:{draft}:all")  # no text chosen yet
    assert OUT_OF_DATE in await press(f"bc:aud:{draft}:nobody")
    assert "first" in await press(f"bc:go:{draft}")
    assert "no longer in the library" in await press(f"bc:tip:{draft}:no-such-tip")
    assert OUT_OF_DATE in await press(f"bc:what:{draft}")
    await press(f"bc:page:{draft}:1")
    await bot.fake.wait_for(lambda: "page 2" in bot.fake.messages(ADMIN)[-1].text)

    # Asked for their own text, the admin sends a tip to the admins from the old menu instead;
    # the text typed afterwards belongs to no draft, and is an ordinary message.
    await press(f"bc:own:{draft}")
    tip = next(d for _, d in bot.fake.buttons(menu) if d.startswith("bc:tip:")).rsplit(":", 1)[1]
    await press(f"bc:tip:{draft}:{tip}")
    await press(f"bc:aud:{draft}:admins")
    assert await press(f"bc:go:{draft}") == "Sending."
    await bot.fake.wait_for(lambda: "finished" in bot.fake.messages(ADMIN)[-1].text)
    count = len(bot.fake.messages(ADMIN))
    bot.fake.send_text(ADMIN, "Hello everyone")
    [*_, reply] = await bot.fake.wait_for_messages(ADMIN, count + 1)
    assert "no longer a draft" not in reply.text and "Who should get it" not in reply.text
    assert "no longer a draft" in await press(f"bc:cancel:{draft}")
