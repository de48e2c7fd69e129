"""dev.py's choice between the bot and the sandbox: is there a token the bot would read?"""

from __future__ import annotations

from pathlib import Path

import pytest

from dev import token_is_set

TOKEN = "123456789:AAE-not-a-real-token-but-shaped-like-one"


@pytest.mark.parametrize(
    ("dotenv", "expected"),
    [
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\n", True),
        (f'export TELEGRAM_BOT_TOKEN="{TOKEN}"  # from BotFather\n', True),
        ("TELEGRAM_BOT_TOKEN=\n", False),
        ("TELEGRAM_BOT_TOKEN=''\n", False),
        ("# TELEGRAM_BOT_TOKEN=123:abc\nDATABASE_URL=sqlite:///x\n", False),
    ],
)
def test_token_is_read_from_dotenv(tmp_path: Path, dotenv: str, expected: bool) -> None:
    path = tmp_path / ".env"
    path.write_text(dotenv)
    assert token_is_set({}, path) is expected


def test_no_dotenv_and_no_environment_means_no_token(tmp_path: Path) -> None:
    assert token_is_set({}, tmp_path / ".env") is False


def test_the_environment_wins_over_dotenv_even_when_empty(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\n")
    assert token_is_set({"TELEGRAM_BOT_TOKEN": ""}, path) is False
    assert token_is_set({"TELEGRAM_BOT_TOKEN": TOKEN}, tmp_path / "missing") is True
