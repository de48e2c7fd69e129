"""`/start <payload>`, what a deep link sends: it runs a public command, an admin's command only
for an admin, and anything else gets the welcome."""

from __future__ import annotations

import pytest

from bot.handlers.privacy import PRIVACY_TEXT
from content import Topic, load_library
from sandbox.state import BotMessage
from storage.models import Reminder, User
from tests.e2e.conftest import ADMIN, USER, BotUnderTest

ADMIN_COMMANDS = ["stats", "broadcast", "broadcast_cancel"]
TOPICS = list(load_library().topics.values())


def seen(reply: BotMessage) -> tuple[str, object]:
    """What the user sees of a reply: its text and its buttons."""
    return reply.html, reply.reply_markup


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
async def test_admin_command_as_start_payload_gets_the_welcome_for_non_admins(
    bot: BotUnderTest, command: str
) -> None:
    # An unknown payload first: the admin command must be answered exactly like it, so the reply
    # gives away nothing (not even "I don't know /start").
    unknown = await bot.say("/start nonsense")
    assert "Welcome" in unknown.text
    assert seen(await bot.say(f"/start {command}")) == seen(unknown)
    assert seen(await bot.say(f"/start {command.upper()}")) == seen(unknown)


async def test_admin_command_as_start_payload_runs_for_the_admin(bot: BotUnderTest) -> None:
    stats = await bot.say("/start stats", user_id=ADMIN)
    assert "isobot stats" in stats.text


async def test_public_command_as_start_payload_still_runs_for_everyone(bot: BotUnderTest) -> None:
    reply = await bot.say("/start privacy")
    assert reply.html.startswith(PRIVACY_TEXT)


@pytest.mark.parametrize("topic", TOPICS, ids=[t.command for t in TOPICS])
async def test_a_deep_link_to_a_topic_answers_as_the_topic_command_does(
    bot: BotUnderTest, topic: Topic
) -> None:
    # t.me/<bot>?start=<topic>, the link someone shares to a topic, sends "/start <topic>".
    before = len(bot.fake.messages(USER))
    bot.fake.start_deep_link(USER, topic.command)
    [*_, linked] = await bot.fake.wait_for_messages(USER, before + 1)
    assert topic.title in linked.text
    assert seen(linked) == seen(await bot.say(f"/{topic.command}"))


async def test_a_start_addressed_to_the_bot_opens_the_topic_too(bot: BotUnderTest) -> None:
    reply = await bot.say(f"/start@{bot.fake.bot_username} about")
    assert seen(reply) == seen(await bot.say("/about"))


@pytest.mark.parametrize("command", ["pause", "resume"])
async def test_a_link_that_would_change_something_offers_the_command_instead(
    bot: BotUnderTest, command: str
) -> None:
    """A group's "open our private chat" button under someone else's /pause is a link anyone
    there may tap: it paused the tapper's reminders (and /resume started reminders they had
    paused on purpose). It now says what the command does, and does nothing."""
    for text in ["/timezone Europe/Berlin", "/remind dose 08:00 20:00"]:
        await bot.say(text)
    if command == "resume":
        await bot.say("/pause")
    [before] = await bot.rows(User, User.id == USER)
    reply = await bot.say(f"/start {command}")
    assert f"Send /{command} if you want that." in reply.text, reply.text
    [after] = await bot.rows(User, User.id == USER)
    assert after.reminders_paused == before.reminders_paused
    reminders = await bot.rows(Reminder, Reminder.user_id == USER)
    assert all((r.next_fire_at is None) is before.reminders_paused for r in reminders)
