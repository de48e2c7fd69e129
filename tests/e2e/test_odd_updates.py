"""Updates real Telegram sends that a plain chat test does not: forum topics, albums, edited
captions, edits and captioned commands in groups, blocking and unblocking, the command menu.

Where the fake Bot API has no helper for an update kind (a topic message, an edited caption), the
test builds the update as Telegram sends it and queues it the way sandbox/people.py does. Each
failing test's docstring says what a user met before.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.handlers.unknown import unknown_command_text
from sandbox.state import BotMessage
from storage.models import Reminder, User, UserStatus
from tests.e2e.conftest import USER, BotUnderTest, all_handled, eventually
from tests.e2e.test_reminders import KOLKATA_0800, set_dose_reminder_in_kolkata, settle

OTHER = 1002
GROUP = -100_555
PREGNANT = "You might be pregnant"  # the title of the pregnancy family's urgent guidance


# -- helpers ------------------------------------------------------------------------------------


async def group_with_bot(bot: BotUnderTest) -> None:
    """USER and OTHER in a supergroup; USER adds the bot, which introduces itself."""
    await bot.say("/start")
    bot.fake.add_group(GROUP, members=[USER, OTHER])
    bot.fake.add_bot_to_group(GROUP, by_user_id=USER)
    await bot.fake.wait_for_messages(GROUP, 1)


async def forum_topic(bot: BotUnderTest, name: str = "Side effects") -> int:
    """The group is a forum and a member opens a topic: the topic's id (message_thread_id) is
    the id of its forum_topic_created service message, as on Telegram."""
    await group_with_bot(bot)
    chat = bot.fake._world.chats[GROUP]
    created = bot.fake._new_message(
        chat, USER, "", service={"forum_topic_created": {"name": name, "icon_color": 7322096}}
    )
    return created.message_id


def write_in_topic(bot: BotUnderTest, user_id: int, text: str, thread: int) -> dict[str, Any]:
    """A member writes `text` in a forum topic: Telegram's update carries message_thread_id,
    is_topic_message and the topic's first message as reply_to_message."""
    world = bot.fake._world
    chat = world.chats[GROUP]
    message = bot.fake._new_message(chat, user_id, text, reply_to=thread)
    payload = world.message_dict(chat, message)
    payload["chat"]["is_forum"] = True
    payload["message_thread_id"] = thread
    payload["is_topic_message"] = True
    world.updates.push("message", payload)
    return payload


def sends_to(bot: BotUnderTest, chat_id: int, words: str) -> list[dict[str, Any]]:
    """The parameters of every sendMessage to `chat_id` whose text holds `words`."""
    return [
        call.params
        for call in bot.fake.calls_to("sendMessage")
        if call.ok
        and call.params.get("chat_id") in (chat_id, str(chat_id))
        and words in str(call.params.get("text", ""))
    ]


def thread_of(params: dict[str, Any]) -> int | None:
    value = params.get("message_thread_id")
    return int(value) if value is not None else None


def texts(messages: list[BotMessage]) -> list[str]:
    return [m.text[:90] for m in messages]


# -- failing: defects ---------------------------------------------------------------------------


async def test_a_topic_command_in_a_forum_topic_is_answered_in_that_topic(
    bot: BotUnderTest,
) -> None:
    """A member of a forum supergroup opens the "Side effects" topic and sends /sebum there.
    They see nothing in that topic: the answer is posted in the group's General topic, where
    nobody following "Side effects" sees it, cut off from the question. It should be posted in
    the topic it was asked in (message_thread_id), as the bot's /history pointer already is.
    """
    thread = await forum_topic(bot)
    before = len(bot.fake.messages(GROUP))
    write_in_topic(bot, OTHER, "/sebum", thread)
    await bot.fake.wait_for_messages(GROUP, before + 1)
    [answer] = sends_to(bot, GROUP, "oil")
    assert thread_of(answer) == thread, (
        f"/sebum asked in topic {thread} was answered in topic {thread_of(answer)} (General)"
    )


async def test_a_warning_sign_in_a_forum_topic_gets_its_guidance_in_that_topic(
    bot: BotUnderTest,
) -> None:
    """In the "Side effects" topic of a forum supergroup, a member writes "@isobot I want to
    end it all". The bot's crisis guidance is posted in General instead, so the person who
    asked, reading their topic, sees no answer at the moment it matters most. The guidance
    should be posted in the topic the message came from.
    """
    thread = await forum_topic(bot)
    before = len(bot.fake.messages(GROUP))
    write_in_topic(bot, OTHER, f"@{bot.fake.bot_username} I want to end it all", thread)
    await bot.fake.wait_for_messages(GROUP, before + 1)
    [guidance] = sends_to(bot, GROUP, "help is there now")
    assert thread_of(guidance) == thread, (
        f"urgent guidance for a message in topic {thread} went to topic "
        f"{thread_of(guidance)} (General)"
    )


async def test_a_warning_sign_captioned_on_a_later_photo_of_an_album_is_answered(
    bot: BotUnderTest,
) -> None:
    """A user sends two photos as one album and writes "I think I'm pregnant" as the caption
    of the second (Telegram lets each item of an album carry its own caption). The bot answers
    the first photo with "I can only read typed words" and ignores the second: the pregnancy
    warning sign gets no guidance at all. Every caption should be read, warning signs first;
    only a repeat of the same no-words answer should be left out for the rest of the album.
    Cause: bot/handlers/media.py skips every message of an album after the first, captioned
    or not.
    """
    await bot.say("/start")
    before = len(bot.fake.messages(USER))
    bot.fake.send_media(USER, "photo", album="a1")
    bot.fake.send_media(USER, "photo", caption="I think I'm pregnant", album="a1")
    await all_handled(bot)
    await settle(bot)
    replies = bot.fake.messages(USER)[before:]
    assert any(PREGNANT in r.text for r in replies), texts(replies)


async def test_a_warning_sign_edited_into_a_photos_caption_is_answered(bot: BotUnderTest) -> None:
    """A user sends a photo captioned "look at my skin", then edits the caption to add "and I
    think I'm pregnant". Nothing comes back. The same words edited into a text message get the
    pregnancy guidance (tests/e2e/test_edits.py), and a new caption with them does too; an
    edited caption is silently dropped, because the edit handler reads only edited text and
    the media handler only new messages. A warning sign in an edited caption should get the
    urgent guidance, as in an edited text.
    """
    await bot.say("/start")
    sent = bot.fake.send_media(USER, "photo", caption="look at my skin")
    await all_handled(bot)
    before = len(bot.fake.messages(USER))
    edited = dict(sent)
    edited["caption"] = "look at my skin, and I think I'm pregnant"
    edited["edit_date"] = sent["date"] + 60
    bot.fake._world.updates.push("edited_message", edited)
    await all_handled(bot)
    await settle(bot)
    replies = bot.fake.messages(USER)[before:]
    assert any(PREGNANT in r.text for r in replies), texts(replies)


async def test_a_warning_sign_edited_into_a_message_to_the_bot_in_a_group_is_answered(
    bot: BotUnderTest,
) -> None:
    """In a group, a member asks "@isobot how long does the dryness last", gets the topic, then
    edits the message to "@isobot my throat is swelling and I can't breathe" (Telegram sends
    the bot the edit of a message addressed to it). The bot says nothing. In the private chat
    the same edit gets the allergy guidance at once; in a group it should get it too (with
    nothing personal), since warning signs come first in every state. Cause: the chat scope
    (bot/handlers/chat_scope.py) stops every edited message in a group before any handler.
    """
    await group_with_bot(bot)
    mention = f"@{bot.fake.bot_username}"
    asked = bot.fake.send_group_text(GROUP, OTHER, f"{mention} how long does the dryness last")
    await bot.fake.wait_for_messages(GROUP, 2)
    chat = bot.fake._world.chats[GROUP]
    bot.fake._edit(
        chat, asked, f"{mention} my throat is swelling and I can't breathe", "edited_message"
    )
    await all_handled(bot)
    await settle(bot)
    replies = bot.fake.messages(GROUP)[2:]
    assert any("🚨" in r.text and "allergic" in r.text for r in replies), texts(replies)


async def test_a_photo_captioned_with_a_command_to_the_bot_in_a_group_gets_an_answer(
    bot: BotUnderTest,
) -> None:
    """In a group, a member posts a photo of a blister pack captioned "/urgent@isobot my little
    brother swallowed some of my pills". The bot receives it (a command addressed to it) and
    stays silent. In the private chat the same caption is answered ("send /urgent again"), and
    typed as text in the group it gets the urgent chooser; in the group the photo gets nothing,
    so the member is left without even a pointer to help. Cause: group_media in
    bot/handlers/media.py drops every caption that starts with "/".
    """
    await group_with_bot(bot)
    before = len(bot.fake.messages(GROUP))
    caption = f"/urgent@{bot.fake.bot_username} my little brother swallowed some of my pills"
    bot.fake.send_group_photo(GROUP, OTHER, caption)
    await all_handled(bot)
    await settle(bot)
    replies = bot.fake.messages(GROUP)[before:]
    assert replies, "the bot said nothing to a captioned /urgent addressed to it"


# Behaviour that was right already, kept so that it stays so.


async def test_every_menu_command_is_in_help_and_answered_in_private(bot: BotUnderTest) -> None:
    """Every command of the menu (setMyCommands) is listed by /help and answered in the private
    chat by its own handler, not by "I don't know"."""
    [call] = bot.fake.calls_to("setMyCommands")
    raw = call.params["commands"]
    menu = [c["command"] for c in (json.loads(raw) if isinstance(raw, str) else raw)]
    help_text = (await bot.say("/help")).text
    for name in menu:
        assert f"/{name} " in help_text, name
        reply = await bot.say(f"/{name}")
        assert not reply.text.startswith(unknown_command_text(name, [])[:20]), name


async def test_unblocking_the_bot_resumes_the_reminders(bot: BotUnderTest) -> None:
    """Blocked, the user's reminders stop; unblocked (my_chat_member kicked -> member), the next
    dose reminder comes on time."""
    await set_dose_reminder_in_kolkata(bot)
    bot.fake.block_bot(USER)

    async def blocked() -> bool:
        [user] = await bot.rows(User, User.id == USER)
        return user.status == UserStatus.BLOCKED

    await eventually(blocked, what="the user to be marked blocked")
    bot.fake.unblock_bot(USER)

    async def active() -> bool:
        [user] = await bot.rows(User, User.id == USER)
        [reminder] = await bot.rows(Reminder, Reminder.user_id == USER)
        return user.status == UserStatus.ACTIVE and reminder.next_fire_at is not None

    await eventually(active, what="the user to be active again")
    before = len(bot.fake.messages(USER))
    bot.clock.set(KOLKATA_0800)
    [*_, reminder] = await bot.fake.wait_for_messages(USER, before + 1)
    assert "dose" in reminder.text


async def test_commands_for_another_bot_in_a_group_are_left_alone(bot: BotUnderTest) -> None:
    """/start@otherbot and /help@otherbot in a group are that bot's business: no reply."""
    bot.fake.group_privacy = False  # so the bot sees them at all
    await group_with_bot(bot)
    bot.fake.send_group_text(GROUP, USER, "/start@otherbot")
    bot.fake.send_group_text(GROUP, USER, "/help@otherbot")
    await all_handled(bot)
    await asyncio.sleep(0.3)
    assert len(bot.fake.messages(GROUP)) == 1  # the intro only
