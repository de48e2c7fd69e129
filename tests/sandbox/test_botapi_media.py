"""sendPhoto, editMessageMedia and document sizes: the fake refuses what Telegram refuses."""

from __future__ import annotations

import struct
import zlib

import pytest
from telegram import Bot, InputMediaPhoto
from telegram.error import BadRequest, TelegramError

from sandbox import FakeBotApi
from sandbox.media import MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES, image_size, photo_sizes
from tests.sandbox.helpers import RawApi, last_error, refusal


def png(width: int, height: int, padding: int = 0) -> bytes:
    """A PNG header for `width` x `height`; the fake reads no further than the header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"\0" * padding


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\0" * 3
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


async def media_edit_refusal(
    bot: Bot, fake: FakeBotApi, chat_id: int, message_id: int, picture: bytes
) -> str:
    """Why replacing the media of `message_id` with `picture` was refused; a refused edit must
    leave the chat as it was, so that is checked too."""
    before = fake.messages(chat_id)
    edit = bot.edit_message_media(InputMediaPhoto(picture), chat_id, message_id)
    refused = await refusal(fake, edit)
    assert fake.messages(chat_id) == before
    return refused


def test_image_size_reads_png_and_jpeg_headers() -> None:
    assert image_size(png(800, 600)) == (800, 600, "image/png")
    assert image_size(jpeg(1024, 768)) == (1024, 768, "image/jpeg")
    assert image_size(b"GIF89a....") is None


def test_photo_sizes_scale_down_and_keep_the_original_up_to_2560() -> None:
    assert photo_sizes(800, 400) == [(90, 45), (320, 160), (800, 400)]
    assert photo_sizes(5000, 2500)[-1] == (2560, 1280)


async def test_send_photo_keeps_sizes_and_caption(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_photo(
        user, png(1000, 500), caption="<b>30 days</b>: 90% taken", parse_mode="HTML"
    )
    assert [(p.width, p.height) for p in sent.photo] == [
        (90, 45),
        (320, 160),
        (800, 400),
        (1000, 500),
    ]
    assert sent.caption == "30 days: 90% taken"
    assert sent.caption_entities[0].type == "bold"
    [shown] = fake.messages(user)
    assert shown.photo is not None and shown.text == "30 days: 90% taken"
    assert fake.document_content(sent.photo[-1].file_id) == png(1000, 500)
    # Sent again by file_id, as Telegram allows.
    again = await bot.send_photo(user, sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id


async def test_photo_over_10_mb_is_refused(bot: Bot, fake: FakeBotApi, user: int) -> None:
    await bot.send_photo(user, png(100, 100, padding=MAX_PHOTO_BYTES - 100))
    refused = await refusal(fake, bot.send_photo(user, png(100, 100, padding=MAX_PHOTO_BYTES)))
    assert refused == "Bad Request: PHOTO_SAVE_FILE_INVALID"


@pytest.mark.parametrize(
    ("width", "height"),
    [(6000, 4001), (4001, 6000), (2100, 100), (100, 2001), (0, 10)],
)
async def test_photo_dimensions_are_checked(
    bot: Bot, fake: FakeBotApi, user: int, width: int, height: int
) -> None:
    refused = await refusal(fake, bot.send_photo(user, png(width, height)))
    assert refused == "Bad Request: PHOTO_INVALID_DIMENSIONS"
    assert fake.messages(user) == []


async def test_photo_at_the_limits_is_accepted(bot: Bot, user: int) -> None:
    await bot.send_photo(user, png(6000, 4000))  # width + height = 10000
    await bot.send_photo(user, jpeg(2000, 100))  # ratio 20


async def test_not_an_image_is_refused(bot: Bot, fake: FakeBotApi, user: int) -> None:
    refused = await refusal(fake, bot.send_photo(user, b"%PDF-1.4 not a picture"))
    assert refused == "Bad Request: IMAGE_PROCESS_FAILED"


async def test_caption_is_counted_after_entity_parsing(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    # 1024 visible characters in far more HTML: accepted, as Telegram counts the parsed text.
    await bot.send_photo(user, png(10, 10), caption="<b>a</b>" * 1024, parse_mode="HTML")
    refused = await refusal(
        fake, bot.send_photo(user, png(10, 10), caption="<b>a</b>" * 1025, parse_mode="HTML")
    )
    assert refused == "Bad Request: message caption is too long"


async def test_document_over_50_mb_is_refused(bot: Bot, fake: FakeBotApi, user: int) -> None:
    with pytest.raises(TelegramError):
        await bot.send_document(user, b"x" * (MAX_DOCUMENT_BYTES + 1), filename="big.bin")
    assert last_error(fake) == "Request Entity Too Large"
    assert fake.messages(user) == []


async def test_edit_message_media_replaces_the_photo_and_caption(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_photo(user, png(800, 600), caption="30 days")
    edited = await bot.edit_message_media(
        InputMediaPhoto(png(1600, 500), caption="<i>whole course</i>", parse_mode="HTML"),
        chat_id=user,
        message_id=sent.message_id,
    )
    assert isinstance(edited, type(sent))
    [shown] = fake.messages(user)
    assert shown.edits == 1 and shown.text == "whole course"
    assert shown.photo is not None and (shown.photo[-1]["width"], shown.photo[-1]["height"]) == (
        1600,
        500,
    )
    refused = await media_edit_refusal(bot, fake, user, sent.message_id, png(50, 5000))
    assert refused == "Bad Request: PHOTO_INVALID_DIMENSIONS"


async def test_edit_message_media_needs_a_media_message(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    text = await bot.send_message(user, "plain")
    refused = await media_edit_refusal(bot, fake, user, text.message_id, png(10, 10))
    assert refused == "Bad Request: there is no media in the message to edit"


async def test_edit_text_of_a_photo_is_refused_and_caption_edit_works(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_photo(user, png(10, 10), caption="one")
    with pytest.raises(BadRequest):
        await bot.edit_message_text("two", chat_id=user, message_id=sent.message_id)
    await bot.edit_message_caption(chat_id=user, message_id=sent.message_id, caption="two")
    assert fake.messages(user)[0].text == "two"


async def test_photo_upload_by_raw_form_without_a_file(raw: RawApi, user: int) -> None:
    status, body = await raw.post_form("sendPhoto", {"chat_id": str(user)})
    assert status == 400
    assert body["description"] == "Bad Request: there is no photo in the request"
