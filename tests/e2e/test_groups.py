"""Personal data stays in the owner's private chat: groups, other people's buttons, channels.

Two members share a group with the bot. A has a course, reminders and checks set up in private.
Whatever either of them types or presses in the group, nothing personal reaches the group, and
no row of A changes because of B.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.handlers.chat_scope import GROUP_INTRO, NOT_YOURS, PRIVATE_ONLY
from bot.handlers.privacy import PREFIX as ERASE_PREFIX
from bot.handlers.unknown import STALE_BUTTON
from bot.handlers.urgent import ANSWERED_IN_PRIVATE
from sandbox import FakeBotApi
from sandbox.state import BotMessage
from scheduler.callbacks import PREFIX as REMINDER_PREFIX
from storage.models import Course, Delivery, DoseLog, Reminder, User, UserStatus, table_of
from tests.e2e.conftest import USER, BotUnderTest, all_handled, bot_running, eventually

OTHER = 1002
GROUP = -100_555
PERSONAL = [
    "today",
    "history",
    "course",
    "checks",
    "export",
    "delete",
    "privacy",
    "remind",
    "reminders",
    "pause",
    "resume",
    "timezone",
]
# What would give A's data away: A's weight, dose, times, dates, zone, adherence and course.
PERSONAL_DATA = re.compile(
    r"68[.,]5|\b40 ?mg|\b0?8:00\b|\b20:00\b|\b09:00\b|2026-02-01|1 February|Berlin"
    r"|\b\d+ of \d+\b|day \d+ of",
    re.IGNORECASE,
)


async def setup_person(bot: BotUnderTest) -> None:
    """A sets everything up in private: timezone, reminders, a course and a monthly check."""
    for text in [
        "/start",
        "/timezone Europe/Berlin",
        "/remind dose 08:00 20:00",
        "/course start 2026-02-01",
        "/course dose 40",
        "/course weight 68.5",
        "/checks labs 15 09:00",
    ]:
        await bot.say(text)


async def snapshot(bot: BotUnderTest, user_id: int) -> list[Any]:
    """Every row of the user that a leak or a stranger's press could change."""
    async with bot.db.session() as session:
        rows: list[Any] = []
        for model in (User, Reminder, Course, DoseLog, Delivery):
            column = getattr(model, "id" if model is User else "user_id")
            found = await session.scalars(select(model).where(column == user_id))
            rows += [
                {c.name: getattr(row, c.name) for c in table_of(model).columns} for row in found
            ]
        return rows


@pytest.fixture
async def group_bot(fake: FakeBotApi, database_url: str) -> AsyncIterator[BotUnderTest]:
    """On SQLite and on PostgreSQL (tests/conftest.py's database_url)."""
    async with bot_running(fake, database_url) as running:
        await setup_person(running)
        fake.add_group(GROUP, members=[USER, OTHER])
        fake.add_bot_to_group(GROUP, by_user_id=USER)
        await fake.wait_for_messages(GROUP, 1)
        yield running


async def say_in_group(bot: BotUnderTest, user_id: int, text: str, **kwargs: Any) -> BotMessage:
    before = len(bot.fake.messages(GROUP))
    bot.fake.send_group_text(GROUP, user_id, text, **kwargs)
    return (await bot.fake.wait_for_messages(GROUP, before + 1))[-1]


def assert_nothing_personal(bot: BotUnderTest) -> None:
    for message in bot.fake.messages(GROUP):
        found = PERSONAL_DATA.search(message.text or "")
        assert found is None, f"personal data in the group: {found.group()!r} in {message.text!r}"
    assert not bot.fake.calls_to("sendDocument", chat_id=GROUP)


async def test_the_bot_introduces_itself_once_when_added(group_bot: BotUnderTest) -> None:
    [intro] = group_bot.fake.messages(GROUP)
    assert intro.text.startswith(GROUP_INTRO[:40])
    assert "private chat" in intro.text


@pytest.mark.parametrize("name", PERSONAL)
async def test_personal_commands_in_a_group_point_to_the_private_chat(
    group_bot: BotUnderTest, name: str
) -> None:
    bot = group_bot
    before = await snapshot(bot, USER)
    reply = await say_in_group(bot, USER, f"/{name}@{bot.fake.bot_username}")
    assert reply.text == PRIVATE_ONLY.format(name=name).replace("<b>", "")
    [button] = reply.reply_markup["inline_keyboard"][0]  # type: ignore[index]
    assert button["url"] == f"https://t.me/{bot.fake.bot_username}?start={name}"
    reply = await say_in_group(bot, OTHER, f"/{name}")
    assert reply.text == PRIVATE_ONLY.format(name=name)
    assert_nothing_personal(bot)
    assert await snapshot(bot, USER) == before


async def test_the_deep_link_runs_the_command_in_private(group_bot: BotUnderTest) -> None:
    bot = group_bot
    before = len(bot.fake.messages(USER))
    bot.fake.start_deep_link(USER, "course")
    reply = (await bot.fake.wait_for_messages(USER, before + 1))[-1]
    assert "68.5" in reply.text


async def test_public_commands_and_addressed_free_text_are_answered_in_the_group(
    group_bot: BotUnderTest,
) -> None:
    bot = group_bot
    assert "oil" in (await say_in_group(bot, OTHER, "/sebum")).text.lower()
    assert "/urgent" in (await say_in_group(bot, OTHER, "/help")).text
    welcome = await say_in_group(bot, USER, "/start")
    data = [b.get("callback_data") for row in welcome.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
    assert not {"start:timezone", "start:remind", "start:course"} & set(data)
    topic = await say_in_group(bot, OTHER, f"@{bot.fake.bot_username} why is my face so oily")
    assert "oil" in topic.text.lower()
    assert_nothing_personal(bot)


async def test_warning_signs_in_a_group_get_urgent_guidance_without_personal_numbers(
    group_bot: BotUnderTest,
) -> None:
    bot = group_bot
    reply = await say_in_group(bot, USER, f"@{bot.fake.bot_username} i want to end it all")
    assert "help is there now" in reply.text
    assert "Germany" not in reply.text  # A's timezone says where A lives: not for the group
    assert "findahelpline.com" in reply.text


async def test_a_warning_sign_in_a_photos_caption_to_the_bot_gets_urgent_guidance(
    group_bot: BotUnderTest,
) -> None:
    bot = group_bot
    before = len(bot.fake.messages(GROUP))
    caption = f"@{bot.fake.bot_username} my throat is swelling and I can't breathe"
    bot.fake.send_group_photo(GROUP, USER, caption)
    reply = (await bot.fake.wait_for_messages(GROUP, before + 1))[-1]
    assert "🚨" in reply.text and "allergic" in reply.text
    assert_nothing_personal(bot)


async def test_free_text_not_meant_for_the_bot_is_ignored(
    fake: FakeBotApi, bot: BotUnderTest
) -> None:
    fake.group_privacy = False  # the bot sees every message, as with privacy mode off
    fake.add_group(GROUP, members=[USER, OTHER])
    fake.add_bot_to_group(GROUP, by_user_id=USER)
    await fake.wait_for_messages(GROUP, 1)
    fake.send_group_text(GROUP, OTHER, "anyone know a good moisturiser?")
    fake.send_group_text(GROUP, OTHER, "/history@some_other_bot")
    reply = await say_in_group(bot, USER, f"@{fake.bot_username} what is isotretinoin")
    assert len(fake.messages(GROUP)) == 2  # the intro, and the answer to the mention
    assert "isotretinoin" in reply.text.lower()


async def press_in_group(bot: BotUnderTest, user_id: int, question: BotMessage, data: str) -> str:
    """`user_id` taps a button of `question` in the group; the text of the bot's answer."""
    query = bot.fake.press_button(user_id, question.message_id, data, chat_id=GROUP)
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    await all_handled(bot)
    return str(bot.fake.answered_callbacks()[query].get("text", ""))


@pytest.mark.parametrize(("answer", "reply"), [(0, "help is there now"), (1, "Feeling low")])
async def test_a_check_in_button_acts_only_for_its_owner_and_answers_in_private(
    group_bot: BotUnderTest, answer: int, reply: str
) -> None:
    """The answer to "are you having thoughts of ending your life?", tapped in the group, was
    posted in the group: every member read how A had answered. It goes to A's private chat."""
    bot = group_bot
    question = await say_in_group(bot, USER, f"@{bot.fake.bot_username} dark thoughts lately")
    data = [data for _, data in bot.fake.buttons(question)][answer]
    before, private = len(bot.fake.messages(GROUP)), len(bot.fake.messages(USER))
    assert await press_in_group(bot, OTHER, question, data) == NOT_YOURS
    assert await press_in_group(bot, USER, question, data) == ANSWERED_IN_PRIVATE
    assert len(bot.fake.messages(GROUP)) == before
    answered = bot.fake.messages(USER)[private:]
    assert answered and reply in answered[0].text, [m.text[:60] for m in answered]


async def test_a_member_with_no_private_chat_gets_their_answer_in_an_alert(
    group_bot: BotUnderTest,
) -> None:
    """B never opened a private chat with the bot, which cannot start one: the help is in an
    alert only B sees, and the group sees nothing of it."""
    bot = group_bot
    question = await say_in_group(bot, OTHER, f"@{bot.fake.bot_username} dark thoughts lately")
    [yes, *_] = [data for _, data in bot.fake.buttons(question)]
    before = len(bot.fake.messages(GROUP))
    alert = await press_in_group(bot, OTHER, question, yes)
    assert "emergency number" in alert and len(alert) <= 200, alert
    assert len(bot.fake.messages(GROUP)) == before


async def test_an_anonymous_admins_check_in_can_be_answered(group_bot: BotUnderTest) -> None:
    """An admin posting as the group is sent by GroupAnonymousBot: its check-in named that bot
    as the owner of the buttons, and every real tap got "This button isn't yours"."""
    bot = group_bot
    before = len(bot.fake.messages(GROUP))
    text = f"@{bot.fake.bot_username} dark thoughts lately"
    bot.fake.send_group_text_anonymously(GROUP, USER, text)
    [*_, question] = await bot.fake.wait_for_messages(GROUP, before + 1)
    [yes, *_] = [data for _, data in bot.fake.buttons(question)]
    private = len(bot.fake.messages(USER))
    assert await press_in_group(bot, USER, question, yes) == ANSWERED_IN_PRIVATE
    assert "help is there now" in bot.fake.messages(USER)[private].text


async def test_a_tap_in_a_group_leaves_the_question_waiting_in_private(
    group_bot: BotUnderTest,
) -> None:
    """A check-in answered in a group cleared the same question waiting in the private chat: a
    typed yes there then got "please tap one of its buttons" instead of urgent help."""
    bot = group_bot
    await bot.say("dark thoughts lately")
    question = await say_in_group(bot, USER, f"@{bot.fake.bot_username} dark thoughts lately")
    general = next(data for label, data in bot.fake.buttons(question) if "general" in label)
    before = len(bot.fake.messages(GROUP))
    bot.fake.press_button(USER, question.message_id, general, chat_id=GROUP)
    await bot.fake.wait_for_messages(GROUP, before + 1)
    await all_handled(bot)
    reply = await bot.say("yes")
    assert "help is there now" in reply.text, reply.text[:80]


@pytest.mark.parametrize(
    "data",
    [
        f"{ERASE_PREFIX}yes",
        "start:timezone",
        "rk:dose",
        "rt:dose:08:00",
        "rm:off:1",
        "tz:Europe/Berlin",
        "course:x",
        "chk:done:1",
        f"{REMINDER_PREFIX}:t:1",
        "bc:go:1",
    ],
)
async def test_personal_buttons_do_nothing_in_a_group(group_bot: BotUnderTest, data: str) -> None:
    bot = group_bot
    before_a, before_b = await snapshot(bot, USER), await snapshot(bot, OTHER)
    intro = bot.fake.messages(GROUP)[0]
    query = bot.fake.forge_callback(OTHER, intro.message_id, data, chat_id=GROUP)
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    assert bot.fake.answered_callbacks()[query].get("text") == NOT_YOURS
    assert await snapshot(bot, USER) == before_a
    assert await snapshot(bot, OTHER) == before_b
    assert_nothing_personal(bot)


async def test_admin_commands_in_a_group_look_unknown(group_bot: BotUnderTest) -> None:
    bot = group_bot
    for typed in ["/broadcast", "/BROADCAST", "/stats"]:
        reply = await say_in_group(bot, OTHER, f"{typed}@{bot.app.bot.username}")
        assert reply.text.startswith(f"I don't know {typed}.")
        assert "broadcast" not in reply.text.lower().replace(typed.lower(), "", 1)


async def test_a_command_we_do_not_offer_is_left_to_other_bots_unless_named_to_us(
    group_bot: BotUnderTest,
) -> None:
    bot = group_bot
    before = len(bot.fake.messages(GROUP))
    for typed in ["/roll", "/stats", "/Roll 2d6"]:
        bot.fake.send_group_text(GROUP, OTHER, typed)
    await all_handled(bot)
    assert len(bot.fake.messages(GROUP)) == before
    reply = await say_in_group(bot, OTHER, f"/roll@{bot.app.bot.username}")
    assert reply.text.startswith("I don't know /roll.")


async def test_unknown_and_forged_admin_answers_match_in_private(bot: BotUnderTest) -> None:
    reply = await bot.say("/BROADCAST")
    assert reply.text.startswith("I don't know /BROADCAST.")
    await bot.say("/start")
    last = bot.fake.last_message(USER)
    assert last is not None
    query = bot.fake.forge_callback(USER, last.message_id, "bc:go:1")
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    assert bot.fake.answered_callbacks()[query].get("text") == STALE_BUTTON


async def test_channel_posts_are_ignored(bot: BotUnderTest) -> None:
    channel = -100_777
    message_id = bot.fake.post_to_channel(channel, "/history i feel hopeless")
    bot.fake.edit_channel_post(channel, message_id, "/course")
    await bot.say("/help")  # handled after the channel updates, in order of arrival
    assert bot.fake.messages(channel) == []


async def test_blocking_the_bot_stops_the_users_reminders(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    bot.fake.block_bot(USER)

    async def stopped() -> bool:
        [user] = await bot.rows(User, User.id == USER)
        reminders = await bot.rows(Reminder, Reminder.user_id == USER)
        return user.status == UserStatus.BLOCKED and all(r.next_fire_at is None for r in reminders)

    assert await eventually(stopped, what="the user to be marked blocked")
