"""Reminder button data: `rem:<action>:<id>`, within Telegram's 64 bytes, and forgeries refused."""

from __future__ import annotations

import re

import pytest

from scheduler.callbacks import PATTERN, Action, ReminderPress, decode, encode

LARGEST_ID = 10**18 - 1
TELEGRAM_CALLBACK_LIMIT = 64


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("delivery_id", [0, 1, 42, 2**31, 2**53, LARGEST_ID])
def test_decode_reverses_encode_for_every_action(action: Action, delivery_id: int) -> None:
    assert decode(encode(action, delivery_id)) == ReminderPress(action, delivery_id)


@pytest.mark.parametrize("action", list(Action))
def test_encoded_data_fits_telegrams_64_bytes_for_the_largest_id(action: Action) -> None:
    data = encode(action, LARGEST_ID)
    assert len(data.encode("utf-8")) <= TELEGRAM_CALLBACK_LIMIT
    assert data == f"rem:{action.value}:{LARGEST_ID}"


def test_every_action_has_its_own_letter() -> None:
    letters = [action.value for action in Action]
    assert len(set(letters)) == len(letters)
    assert all(re.fullmatch("[a-z]", letter) for letter in letters)


@pytest.mark.parametrize("action", list(Action))
def test_handler_pattern_matches_what_encode_produces(action: Action) -> None:
    assert re.match(PATTERN, encode(action, LARGEST_ID))


@pytest.mark.parametrize(
    "data",
    [
        "",
        "rem",
        "rem:",
        "rem:t",
        "rem:t:",
        "rem::5",
        "tz:Europe/Berlin",
        "REM:t:5",
        "rmd:t:5",
        "xrem:t:5",
        " rem:t:5",
        "rem:t:5 ",
        "rem:x:5",
        "rem:T:5",
        "rem:tt:5",
        "rem:1:5",
        "rem:t:abc",
        "rem:t:-5",
        "rem:t:+5",
        "rem:t:5.0",
        "rem:t:1e3",
        "rem:t:5:6",
        "rem:t:5:",
        "rem:t:5:extra",
        "rem:t:5;rem:s:6",
        "rem:t:" + "1" * 19,
        "rem:t:" + "9" * 64,
        "rem:t:٣",
        "rem:t:１２",
        "rem:t:1٣",
        "rem:t:²",
    ],
)
def test_forged_or_malformed_data_decodes_to_none(data: str) -> None:
    assert decode(data) is None


def test_data_with_a_trailing_newline_decodes_to_none() -> None:
    assert decode("rem:t:5\n") is None
