"""The bot_command and mention entities Telegram finds in what a person types."""

from __future__ import annotations

import pytest

from sandbox.entities import addressed_to, entity_text, user_entities

BOT = "isobot_test_bot"


def found(text: str) -> list[tuple[str, str]]:
    """(type, covered text) of each entity, in order."""
    return [(e.type, entity_text(text, e)) for e in user_entities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", [("bot_command", "/start")]),
        ("/remind@isobot_test_bot dose 08:00", [("bot_command", "/remind@isobot_test_bot")]),
        ("/help@other_bot", [("bot_command", "/help@other_bot")]),
        ("try /topics or /help.", [("bot_command", "/topics"), ("bot_command", "/help")]),
        ("(/about)", [("bot_command", "/about")]),
        ("hi @isobot_test_bot, /help", [("mention", "@isobot_test_bot"), ("bot_command", "/help")]),
        ("@gif cats", [("mention", "@gif")]),
        # Touching a letter, a digit, a slash or an angle bracket, it is not a command.
        ("and/or", []),
        ("1/2", []),
        ("//start", []),
        ("</b>", []),
        ("/start/now", []),
        ("/starté", []),
        # A handle too short (or with a bad character after it) spoils the whole command.
        ("/start@ab", []),
        ("/start@isobot_test_botü", []),
        ("/" + "a" * 65, []),
        # Mentions: not inside an address, not shorter than four characters (bar three bots).
        ("mail tess@example.org", []),
        ("@abc", []),
        ("@a_b_c_d", [("mention", "@a_b_c_d")]),
        ("@" + "a" * 33, []),
        ("just text", []),
    ],
)
def test_entities_follow_telegrams_rules(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_offsets_count_utf16_code_units() -> None:
    # 😀 is two UTF-16 code units; é is one.
    [command] = user_entities("😀é /help")
    assert (command.offset, command.length) == (4, 5)
    [mention] = user_entities("😀😀 @tess_k")
    assert (mention.type, mention.offset, mention.length) == ("mention", 5, 7)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("/help", True),
        ("/help@isobot_test_bot", True),
        ("/help@IsoBot_Test_Bot", True),  # usernames are case-insensitive
        ("/help@other_bot", False),
        ("well /help", False),  # a command counts only at the start
        ("thanks @isobot_test_bot!", True),
        ("thanks @other_bot", False),
        ("hello", False),
    ],
)
def test_addressed_to_reads_like_privacy_mode(text: str, meant: bool) -> None:
    assert addressed_to(text, user_entities(text), BOT) is meant
