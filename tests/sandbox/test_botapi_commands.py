"""setMyCommands and friends."""

from __future__ import annotations

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats
from telegram.error import BadRequest

from sandbox import FakeBotApi
from tests.sandbox.helpers import RawApi, last_error


async def test_commands_round_trip_per_scope_and_language(bot: Bot) -> None:
    commands = [BotCommand("start", "Start"), BotCommand("remind_me2", "Set reminders")]
    assert await bot.set_my_commands(commands)
    assert await bot.get_my_commands() == tuple(commands)
    private = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand("help", "Hilfe")], scope=private, language_code="de")
    assert await bot.get_my_commands(scope=private, language_code="de") == (
        BotCommand("help", "Hilfe"),
    )
    assert await bot.get_my_commands(scope=private) == ()
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


@pytest.mark.parametrize(
    ("command", "description", "error"),
    [
        ("Start", "x", "BOT_COMMAND_INVALID"),
        ("/start", "x", "BOT_COMMAND_INVALID"),
        ("", "x", "BOT_COMMAND_INVALID"),
        ("a" * 33, "x", "BOT_COMMAND_INVALID"),
        ("time-zone", "x", "BOT_COMMAND_INVALID"),
        ("start", "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        ("start", "d" * 257, "BOT_COMMAND_DESCRIPTION_INVALID"),
    ],
)
async def test_bad_commands_are_refused(
    bot: Bot, fake: FakeBotApi, command: str, description: str, error: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand(command, description)])
    assert last_error(fake) == f"Bad Request: {error}"
    assert await bot.get_my_commands() == ()


async def test_limits_are_inclusive(bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("a" * 32, "d" * 256)])
    many = [BotCommand(f"c{n}", "d") for n in range(100)]
    await bot.set_my_commands(many)
    assert len(await bot.get_my_commands()) == 100
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMANDS_TOO_MUCH"):
        await bot.set_my_commands([*many, BotCommand("one_more", "d")])


async def test_commands_must_be_a_list(raw: RawApi) -> None:
    status, body = await raw.post_json("setMyCommands", {})
    assert (status, body["description"]) == (400, "Bad Request: commands is empty")
    status, body = await raw.post_json("setMyCommands", {"commands": '{"command": "x"}'})
    assert status == 400
    status, body = await raw.post_json("setMyCommands", {"commands": "[]"})
    assert status == 200
