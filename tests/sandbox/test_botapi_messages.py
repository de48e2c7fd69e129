"""Sending, editing and deleting messages; keyboards; documents."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest

from sandbox import FakeBotApi
from tests.sandbox.helpers import OTHER_USER, RawApi, last_error

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(d.upper() or "x", callback_data=d)] for d in data]
    )


async def test_sent_message_is_a_real_telegram_message(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_message(user, "Hi", reply_markup=keyboard("a", "b"))
    assert sent.chat.id == user
    assert sent.chat.type == "private"
    assert sent.from_user is not None
    assert sent.from_user.is_bot
    assert sent.from_user.username == "isobot_test_bot"
    assert sent.reply_markup == keyboard("a", "b")
    message = fake.last_message(user)
    assert message is not None
    assert message.message_id == sent.message_id
    assert fake.buttons(message) == [("A", "a"), ("B", "b")]
    assert message.edits == 0


async def test_messages_are_per_chat_and_ids_grow(bot: Bot, fake: FakeBotApi, user: int) -> None:
    fake.send_text(OTHER_USER, "/start")
    first = await bot.send_message(user, "one")
    second = await bot.send_message(user, "two")
    await bot.send_message(OTHER_USER, "other")
    assert second.message_id > first.message_id
    assert [m.text for m in fake.messages(user)] == ["one", "two"]
    assert [m.text for m in fake.messages(OTHER_USER)] == ["other"]
    assert fake.messages(12345) == []
    assert fake.last_message(12345) is None


async def test_edit_text_applies_and_counts(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_message(user, "Take your dose", reply_markup=keyboard("taken"))
    edited = await bot.edit_message_text(
        "<b>Taken</b>", chat_id=user, message_id=sent.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Taken"
    assert edited.edit_date is not None
    message = fake.messages(user)[0]
    assert (message.text, message.html, message.edits) == ("Taken", "<b>Taken</b>", 1)
    # Like Telegram, an edit without reply_markup drops the inline keyboard.
    assert message.reply_markup is None


async def test_edit_that_changes_nothing_is_refused(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_message(
        user, "<b>Same</b>", parse_mode="HTML", reply_markup=keyboard("a")
    )

    async def edit(html: str, button: str) -> None:
        await bot.edit_message_text(
            html, user, sent.message_id, parse_mode="HTML", reply_markup=keyboard(button)
        )

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await edit("<strong>Same</strong>", "a")
    assert last_error(fake) == NOT_MODIFIED
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(user, sent.message_id, reply_markup=keyboard("a"))
    # Same text but a different keyboard is a change.
    await edit("<b>Same</b>", "b")
    assert fake.messages(user)[0].edits == 1


async def test_edit_reply_markup_replaces_and_removes(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_message(user, "Pick", reply_markup=keyboard("a"))
    await bot.edit_message_reply_markup(user, sent.message_id, reply_markup=keyboard("b", "c"))
    assert fake.buttons(fake.messages(user)[0]) == [("B", "b"), ("C", "c")]
    await bot.edit_message_reply_markup(user, sent.message_id)
    assert fake.messages(user)[0].reply_markup is None
    assert fake.messages(user)[0].edits == 2
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(user, sent.message_id)


async def test_edit_needs_an_existing_bot_message(
    bot: Bot, fake: FakeBotApi, raw: RawApi, user: int
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=user, message_id=999)
    assert last_error(fake) == "Bad Request: message to edit not found"
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(user, 999, reply_markup=keyboard("a"))
    # Message 1 is the user's own "hello".
    with pytest.raises(BadRequest, match=r"(?i)can't be edited"):
        await bot.edit_message_text("x", chat_id=user, message_id=1)
    status, body = await raw.post_json("editMessageText", {"chat_id": user, "text": "x"})
    assert (status, body["description"]) == (
        400,
        "Bad Request: message identifier is not specified",
    )


async def test_edit_follows_the_text_rules(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_message(user, "ok")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.edit_message_text("a" * 4097, chat_id=user, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.edit_message_text(
            "<blink>x</blink>", chat_id=user, message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.edit_message_text(
            "new", chat_id=user, message_id=sent.message_id, reply_markup=keyboard("x" * 65)
        )
    assert fake.messages(user)[0].text == "ok"
    assert fake.messages(user)[0].edits == 0


async def test_delete_removes_the_message(bot: Bot, fake: FakeBotApi, user: int) -> None:
    first = await bot.send_message(user, "one")
    await bot.send_message(user, "two")
    assert await bot.delete_message(user, first.message_id) is True
    assert [m.text for m in fake.messages(user)] == ["two"]
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(user, first.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=user, message_id=first.message_id)


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        ("x" * 64, True),
        ("x" * 65, False),
        ("é" * 32, True),  # 64 bytes, 32 characters
        ("é" * 32 + "x", False),  # 65 bytes, 33 characters
        ("😀" * 16, True),  # 64 bytes
        ("a" + "😀" * 16, False),  # 65 bytes, 17 characters
    ],
)
async def test_callback_data_is_limited_to_64_bytes(
    bot: Bot, fake: FakeBotApi, user: int, data: str, accepted: bool
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])
    if accepted:
        await bot.send_message(user, "ok", reply_markup=markup)
        assert fake.buttons(fake.messages(user)[0]) == [("Go", data)]
    else:
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(user, "no", reply_markup=markup)
        assert last_error(fake) == "Bad Request: BUTTON_DATA_INVALID"
        assert fake.messages(user) == []


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ({"inline_keyboard": "no"}, 'field "inline_keyboard" of the InlineKeyboardMarkup'),
        ({"inline_keyboard": [{"text": "a"}]}, "Array of Arrays"),
        ({"inline_keyboard": [["a"]]}, "must be an Object"),
        ({"inline_keyboard": [[{"callback_data": "a"}]]}, 'Field "text"'),
        ({"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}, "BUTTON_TEXT_EMPTY"),
        ({"inline_keyboard": [[{"text": "a"}]]}, "Text buttons are unallowed"),
        (
            {"inline_keyboard": [[{"text": "a", "callback_data": "a", "url": "https://x.org"}]]},
            "exactly one",
        ),
        ({"inline_keyboard": [[{"text": "a", "callback_data": ""}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "a", "url": "not a url"}]]}, "Wrong HTTP URL"),
        (
            {"inline_keyboard": [[{"text": "a", "callback_data": "a"}] * 10] * 11},
            "REPLY_MARKUP_TOO_LONG",
        ),
        ({"something": True}, "can't parse reply keyboard markup"),
        ("[1, 2", "can't parse reply keyboard markup"),
    ],
)
async def test_bad_keyboards_are_refused(
    raw: RawApi, fake: FakeBotApi, user: int, markup: object, description: str
) -> None:
    status, body = await raw.post_json(
        "sendMessage", {"chat_id": user, "text": "hi", "reply_markup": markup}
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: ")
    assert description in body["description"]
    assert fake.messages(user) == []


async def test_a_hundred_buttons_and_url_buttons_are_fine(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    rows = [
        [InlineKeyboardButton(f"{r}{c}", callback_data=f"{r}{c}") for c in range(10)]
        for r in range(10)
    ]
    await bot.send_message(user, "grid", reply_markup=InlineKeyboardMarkup(rows))
    assert len(fake.buttons(fake.messages(user)[0])) == 100
    link = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://example.org")]])
    await bot.send_message(user, "link", reply_markup=link)
    assert fake.buttons(fake.messages(user)[1]) == []  # only callback buttons are listed


async def test_reply_keyboards_are_accepted(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_message(
        user, "Share?", reply_markup=ReplyKeyboardMarkup([[KeyboardButton("Yes"), "No"]])
    )
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    assert fake.messages(user)[0].reply_markup == {"keyboard": [[{"text": "Yes"}, {"text": "No"}]]}
    await bot.send_message(user, "Done", reply_markup=ReplyKeyboardRemove())
    assert fake.messages(user)[1].reply_markup == {"remove_keyboard": True}


async def test_send_document_records_file_and_caption(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_document(
        user,
        b'{"doses": []}',
        filename="isobot-export.json",
        caption="<b>Your data</b>",
        parse_mode="HTML",
    )
    assert sent.document is not None
    assert sent.document.file_name == "isobot-export.json"
    assert sent.document.file_size == 13
    assert sent.caption == "Your data"
    message = fake.last_message(user)
    assert message is not None
    assert message.text == "Your data"
    assert message.document is not None
    assert message.document["file_name"] == "isobot-export.json"
    assert message.document["content"] == b'{"doses": []}'
    params = fake.calls_to("sendDocument", user)[0].params
    assert params["document"]["file_name"] == "isobot-export.json"
    # The file can be fetched back like from Telegram's file server.
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b'{"doses": []}'
    # And re-sent by file_id.
    again = await bot.send_document(user, sent.document.file_id)
    assert again.document is not None
    assert again.document.file_id == sent.document.file_id


async def test_document_caption_is_limited_to_1024(bot: Bot, fake: FakeBotApi, user: int) -> None:
    await bot.send_document(user, b"x", filename="a.txt", caption="c" * 1024)
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(user, b"x", filename="a.txt", caption="c" * 1025)
    assert last_error(fake) == "Bad Request: message caption is too long"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(user, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=user, message_id=fake.messages(user)[0].message_id)


async def test_copy_message_makes_a_new_bot_message(bot: Bot, fake: FakeBotApi, user: int) -> None:
    fake.send_text(OTHER_USER, "hi")
    sent = await bot.send_message(user, "Tip of the day")
    copied = await bot.copy_message(OTHER_USER, user, sent.message_id)
    assert fake.messages(OTHER_USER)[0].text == "Tip of the day"
    assert fake.messages(OTHER_USER)[0].message_id == copied.message_id
    with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
        await bot.copy_message(OTHER_USER, user, 999)
