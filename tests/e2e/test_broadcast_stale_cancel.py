"""Cancel buttons left over from a broadcast's draft: none stays on the "Write my own" prompt,
and one pressed while the broadcast goes out says how to stop it."""

from __future__ import annotations

from sandbox import FakeBotApi
from storage.models import Broadcast, BroadcastStatus
from tests.e2e.conftest import ADMIN, BotUnderTest, bot_running
from tests.e2e.test_broadcast import (
    add_recipients,
    button,
    edited,
    fast_bot,  # noqa: F401  (fixture)
)

SPF = "Reapply SPF 50 every 2 hours outdoors."


def got_spf(bot: BotUnderTest, user_id: int) -> bool:
    return any(SPF in m.text for m in bot.fake.messages(user_id))


async def test_write_my_own_prompt_loses_its_cancel_button_once_the_text_is_taken(
    fast_bot: BotUnderTest,  # noqa: F811  (the fixture of test_broadcast.py)
) -> None:
    """The "✍️ Send the text now…" prompt offers Cancel while it waits. Once the text is taken,
    the button goes: pressed later, while the broadcast goes out, it could stop nothing."""
    bot = fast_bot
    await add_recipients(bot, 3)
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    prompt = await edited(bot, start)
    button(bot, prompt, "Cancel")  # offered while it waits
    menu = await bot.say(SPF, user_id=ADMIN)
    assert "Who should get it?" in menu.text
    current = await edited(bot, prompt)
    assert bot.fake.buttons(current) == [], f"the prompt still has {bot.fake.buttons(current)}"


async def test_a_cancel_left_from_the_draft_says_the_broadcast_is_sending(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """The admin writes their own text; a double tap on the audience menu leaves two previews.
    They send one to 200 users, then spot a mistake and press "✖️ Cancel" under the other
    preview, or the prompt's, on a client that has not caught up with its edit. Each answer
    says the broadcast is being sent and that /broadcast_cancel stops it, not that it is "no
    longer a draft", which reads as if it were gone while the messages keep going out."""
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=10.0) as bot:
        ids = await add_recipients(bot, 200)
        start = await bot.say("/broadcast", user_id=ADMIN)
        await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
        prompt = await edited(bot, start)
        cancel = button(bot, prompt, "Cancel")
        menu = await bot.say(SPF, user_id=ADMIN)
        before = len(fake.messages(ADMIN))
        fake.press_button(ADMIN, menu.message_id, button(bot, menu, "In treatment"))
        fake.press_button(ADMIN, menu.message_id, button(bot, menu, "Everyone active"))
        first, *_, second = [
            m for m in await fake.wait_for_messages(ADMIN, before + 6) if "This goes to" in m.text
        ]
        await bot.press(first, button(bot, first, "Send to 200"), user_id=ADMIN)
        await fake.wait_for(lambda: sum(got_spf(bot, i) for i in ids) >= 5, timeout=20)
        presses = [
            await bot.press(second, button(bot, second, "Cancel"), user_id=ADMIN),
            fake.forge_callback(ADMIN, prompt.message_id, cancel),
        ]
        await fake.wait_for(lambda: all(q in fake.answered_callbacks() for q in presses))
        answers = [fake.answered_callbacks()[q] for q in presses]
        [broadcast] = await bot.rows(Broadcast)
    for answer in answers:
        text = answer.get("text", "")
        assert "being sent" in text and "/broadcast_cancel" in text, answer
        assert answer.get("show_alert"), "a notice that fades may go unread"
    assert broadcast.status == BroadcastStatus.SENDING
