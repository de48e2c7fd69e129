"""A preview's Send button sends what that preview announced, however many previews there are."""

from __future__ import annotations

from content import load_library
from storage.models import Broadcast, BroadcastStatus, Delivery
from tests.e2e.conftest import ADMIN, BotUnderTest
from tests.e2e.test_broadcast import (
    add_recipients,
    button,
    fast_bot,  # noqa: F401  (fixture)
    final_report,
    first_tip_drafted,
)

FIRST_TIP = next(iter(load_library().tips.values()))
OTHERS = (70_001, 70_002)  # users who only said /start: not in treatment


def reached(bot: BotUnderTest, ids: list[int]) -> list[int]:
    return sorted(i for i in ids if any(FIRST_TIP.title in m.text for m in bot.fake.messages(i)))


async def test_send_under_the_in_treatment_preview_reaches_only_them_after_a_double_tap(
    fast_bot: BotUnderTest,  # noqa: F811  (the fixture of test_broadcast.py)
) -> None:
    """An admin's thumb lands on "In treatment" and then on "Everyone active" before the menu's
    buttons vanish (a double tap on a slow connection). Two previews arrive; the admin presses
    "✅ Send to 3" under the one that says "This goes to 3 users (in treatment)": exactly those
    3 get the tip, though "Everyone active" was tapped last. A tip meant for people on their
    course must not reach everyone else."""
    bot = fast_bot
    treated = await add_recipients(bot, 3)
    for other in OTHERS:
        await bot.say("/start", user_id=other)
    menu = await first_tip_drafted(bot)
    before = len(bot.fake.messages(ADMIN))
    # Both taps reach Telegram before the bot has taken the menu's buttons away.
    bot.fake.press_button(ADMIN, menu.message_id, button(bot, menu, "In treatment"))
    bot.fake.press_button(ADMIN, menu.message_id, button(bot, menu, "Everyone active"))
    messages = await bot.fake.wait_for_messages(ADMIN, before + 6)
    in_treatment_confirm = next(m for m in messages if "(in treatment)" in m.text)
    assert "This goes to 3 users" in in_treatment_confirm.text
    await bot.press(in_treatment_confirm, button(bot, in_treatment_confirm, "Send to 3"), ADMIN)
    report = await final_report(bot)

    [broadcast] = await bot.rows(Broadcast)
    assert reached(bot, [*treated, *OTHERS]) == sorted(treated), report.text
    assert broadcast.total == 3 and "Delivered: 3 of 3" in report.text


async def test_send_after_the_audience_changed_sends_nothing_and_previews_again(
    fast_bot: BotUnderTest,  # noqa: F811  (the fixture of test_broadcast.py)
) -> None:
    """A preview says "Send to 3"; before the admin presses it, a fourth user starts a course.
    Nothing goes out on that press: the preview comes again, saying 4, and its Send sends."""
    bot = fast_bot
    treated = await add_recipients(bot, 3)
    menu = await first_tip_drafted(bot)
    before = len(bot.fake.messages(ADMIN))
    await bot.press(menu, button(bot, menu, "In treatment"), ADMIN)
    confirm = (await bot.fake.wait_for_messages(ADMIN, before + 3))[-1]
    late = await add_recipients(bot, 1, first_id=60_000)

    before = len(bot.fake.messages(ADMIN))
    await bot.press(confirm, button(bot, confirm, "Send to 3"), ADMIN)
    header, _, again = (await bot.fake.wait_for_messages(ADMIN, before + 3))[before:]
    assert "changed" in header.text and "nothing was sent" in header.text.lower(), header.text
    assert "This goes to 4 users" in again.text, again.text
    [draft] = await bot.rows(Broadcast)
    assert draft.status == BroadcastStatus.DRAFT
    assert await bot.rows(Delivery, Delivery.broadcast_id.is_not(None)) == []

    await bot.press(again, button(bot, again, "Send to 4"), ADMIN)
    report = await final_report(bot)
    assert "Delivered: 4 of 4" in report.text
    assert reached(bot, [*treated, *late]) == sorted([*treated, *late])
