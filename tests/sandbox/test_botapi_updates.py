"""getUpdates long polling, the user's side (text, buttons), callback answers and webhooks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.error import BadRequest, Conflict

from sandbox import FakeBotApi
from sandbox.state import UpdateQueue
from tests.sandbox.helpers import USER, RawApi, last_error, make_bot


async def test_long_poll_returns_an_update_pushed_while_waiting(bot: Bot, fake: FakeBotApi) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()  # held, waiting for an update
    fake.send_text(USER, "/start")
    updates = await asyncio.wait_for(poll, 2)
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.text == "/start"
    assert message.chat.id == USER
    assert message.from_user is not None
    assert message.from_user.first_name == "Tess"
    assert message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 6),)


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert loop.time() - started >= 0.9


async def test_offset_confirms_earlier_updates(bot: Bot, fake: FakeBotApi) -> None:
    for text in ("one", "two", "three"):
        fake.send_text(USER, text)
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    # Unconfirmed updates come again.
    assert len(await bot.get_updates()) == 3
    rest = await bot.get_updates(offset=first[0].update_id + 1, limit=1)
    assert [u.message.text for u in rest if u.message] == ["two"]
    assert len(await bot.get_updates(offset=first[-1].update_id + 1)) == 0
    fake.send_text(USER, "four")
    latest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in latest if u.message] == ["four"]
    assert latest[0].update_id == first[-1].update_id + 1


async def test_negative_offset_keeps_the_last_updates(bot: Bot, fake: FakeBotApi) -> None:
    for text in ("one", "two", "three"):
        fake.send_text(USER, text)
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["three"]
    assert len(await bot.get_updates()) == 1


async def test_allowed_updates_filter_and_persist(bot: Bot, fake: FakeBotApi) -> None:
    sent_by_user = fake.send_text(USER, "hi")
    await bot.send_message(USER, "pick", reply_markup=_keyboard("a"))
    fake.press_button(USER, sent_by_user["message_id"] + 1, "a")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query is not None for u in updates] == [True]
    fake.send_text(USER, "ignored")
    assert await bot.get_updates(offset=updates[0].update_id + 1) == ()


def test_chat_member_and_reactions_come_only_when_asked_for() -> None:
    kinds = ["chat_member", "my_chat_member", "message_reaction", "message_reaction_count"]
    by_default, asked = UpdateQueue(), UpdateQueue()
    for queue in (by_default, asked):
        for kind in kinds:
            queue.push(kind, {})
    # Telegram's default leaves out chat_member and reactions, not my_chat_member.
    assert [next(iter(u.keys() - {"update_id"})) for u in by_default.peek(10)] == ["my_chat_member"]
    chosen = asked.peek(10, ["chat_member", "message_reaction"])
    assert [next(iter(u.keys() - {"update_id"})) for u in chosen] == [
        "chat_member",
        "message_reaction",
    ]


async def test_user_commands_get_bot_command_entities(fake: FakeBotApi) -> None:
    plain = fake.send_text(USER, "just text")
    assert "entities" not in plain
    addressed = fake.send_text(USER, "/remind@isobot_test_bot dose 08:00")
    assert addressed["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert addressed["chat"] == {"id": USER, "type": "private", "first_name": "Tess"}
    named = fake.send_text(USER + 1, "hi", first_name="Ann", username="ann", language_code="de")
    assert named["from"]["username"] == "ann"
    assert named["from"]["language_code"] == "de"
    with pytest.raises(ValueError, match="empty"):
        fake.send_text(USER, "  ")


async def test_the_bot_may_only_write_to_users_who_wrote_first(bot: Bot, fake: FakeBotApi) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "hi")
    fake.send_text(USER, "/start")
    await bot.send_message(USER, "hi")


def _keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def test_press_button_delivers_a_callback_query(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_message(user, "Dose?", reply_markup=_keyboard("taken", "skip"))
    query_id = fake.press_button(user, sent.message_id, "taken")
    updates = await bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert query is not None
    assert query.id == query_id
    assert query.data == "taken"
    assert query.from_user.id == user
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await query.answer("Logged") is True
    assert fake.answered_callbacks() == {
        query_id: {"callback_query_id": query_id, "text": "Logged"}
    }


async def test_press_button_checks_the_button_exists(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_message(user, "Dose?", reply_markup=_keyboard("taken"))
    with pytest.raises(ValueError, match="no button"):
        fake.press_button(user, sent.message_id, "forged")
    with pytest.raises(ValueError, match="no message"):
        fake.press_button(user, 999, "taken")
    with pytest.raises(ValueError, match="no message"):
        fake.press_button(user, 1, "taken")  # the user's own message
    await bot.edit_message_reply_markup(user, sent.message_id)
    with pytest.raises(ValueError, match="no button"):
        fake.press_button(user, sent.message_id, "taken")


async def test_forge_callback_sends_anything(bot: Bot, fake: FakeBotApi, user: int) -> None:
    sent = await bot.send_message(user, "Dose?", reply_markup=_keyboard("taken"))
    forged = fake.forge_callback(user, sent.message_id, "admin:drop-tables")
    gone = fake.forge_callback(user, 999, "taken")
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [(q.id, q.data) for q in queries] == [(forged, "admin:drop-tables"), (gone, "taken")]
    # A message the bot cannot see arrives as an inaccessible message, as on Telegram.
    assert queries[1].message is not None
    assert queries[1].message.message_id == 999
    assert not queries[1].message.is_accessible


async def test_callback_query_is_answered_at_most_once(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    sent = await bot.send_message(user, "Dose?", reply_markup=_keyboard("taken"))
    query_id = fake.press_button(user, sent.message_id, "taken")
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(query_id, text="x" * 201)
    assert last_error(fake) == "Bad Request: MESSAGE_TOO_LONG"
    await bot.answer_callback_query(query_id, text="x" * 200, show_alert=True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    assert last_error(fake) == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("no-such-id")
    assert fake.answered_callbacks()[query_id]["show_alert"] is True


async def test_a_second_poller_ends_the_first_with_conflict(fake: FakeBotApi) -> None:
    async with (
        make_bot(fake) as first,
        make_bot(fake) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        fake.send_text(USER, "hi")
        # The update arrived before the second poll; make the first wait again.
        got = await asyncio.wait_for(waiting, 2)
        waiting = asyncio.create_task(first.get_updates(offset=got[0].update_id + 1, timeout=5))
        await asyncio.sleep(0.2)
        assert await second.get_updates(offset=got[0].update_id + 1) == ()
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
            await asyncio.wait_for(waiting, 2)


async def test_stop_releases_a_waiting_long_poll() -> None:
    fake = FakeBotApi()
    await fake.start()
    async with make_bot(fake) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0.2)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await fake.stop()
        assert await asyncio.wait_for(poll, 5) == ()
        assert loop.time() - started < 5


async def test_webhook_gets_updates_with_the_secret(bot: Bot, fake: FakeBotApi) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    failures_left = [1]

    async def hook(request: web.Request) -> web.Response:
        if failures_left[0]:
            failures_left[0] -= 1
            return web.Response(status=500)
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        url = f"http://127.0.0.1:{port}/hook"
        assert await bot.set_webhook(url, secret_token="s3cret_-X")
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates()
        fake.send_text(USER, "/start")
        await fake.wait_for(lambda: received, timeout=5)
        update, secret = received[0]
        assert update["message"]["text"] == "/start"
        assert secret == "s3cret_-X"
        info = await bot.get_webhook_info()
        assert info.url == url
        assert info.pending_update_count == 0
        assert info.last_error_message is not None  # the first attempt got a 500
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
        assert await bot.get_updates() == ()
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("secret", ["", "has space", "x" * 257, "ünïcode"])
async def test_webhook_secret_must_be_telegram_shaped(raw: RawApi, secret: str) -> None:
    payload = {"url": "http://127.0.0.1:9/hook", "secret_token": secret}
    status, body = await raw.post_json("setWebhook", payload)
    if secret == "":
        # Empty means no secret at all.
        assert status == 200
        return
    assert status == 400
    assert "secret token" in body["description"]


async def test_delete_webhook_can_drop_pending_updates(bot: Bot, fake: FakeBotApi) -> None:
    fake.send_text(USER, "old")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_webhook_must_point_at_this_machine(raw: RawApi) -> None:
    status, body = await raw.post_json("setWebhook", {"url": "https://example.org/hook"})
    assert status == 400
    assert "127.0.0.1" in body["description"]
    status, _ = await raw.post_json("setWebhook", {"url": "not a url"})
    assert status == 400
