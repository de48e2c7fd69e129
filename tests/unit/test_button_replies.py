"""Reading a button press (bot/button_replies.py)."""

from __future__ import annotations

from telegram import CallbackQuery, Update, User

from bot.button_replies import pressed


def press(data: str) -> Update:
    person = User(42, "Ada", is_bot=False)
    return Update(1, callback_query=CallbackQuery("q1", person, "chat-instance", data=data))


def test_a_press_gives_its_query_and_its_data_after_the_prefix() -> None:
    update = press("rem:del:5")
    query, data = pressed(update, "rem:")
    assert query is update.callback_query
    assert data == "del:5"
    assert query.from_user.id == 42


def test_only_a_leading_prefix_is_taken_off() -> None:
    assert pressed(press("del:rem:5"), "rem:")[1] == "del:rem:5"
