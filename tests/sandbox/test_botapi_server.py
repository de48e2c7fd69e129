"""The HTTP surface: addresses, tokens, method names, the ways parameters arrive."""

from __future__ import annotations

import json
import re

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken

from sandbox import FakeBotApi
from tests.sandbox.helpers import USER, RawApi, make_bot


async def test_listens_on_loopback_on_a_free_port() -> None:
    async with FakeBotApi() as first, FakeBotApi() as second:
        assert first.port > 0
        assert second.port not in (0, first.port)
        assert first.base_url == f"http://127.0.0.1:{first.port}/bot"
        assert first.base_file_url == f"http://127.0.0.1:{first.port}/file/bot"


async def test_stop_closes_the_port() -> None:
    fake = FakeBotApi()
    await fake.start()
    url = f"{fake.base_url}{fake.token}/getMe"
    await fake.stop()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(url)


async def test_ptb_get_me_sees_the_bot(bot: Bot, fake: FakeBotApi) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == "isobot_test_bot"
    assert me.id == int(fake.token.split(":")[0])  # the bot id is the token's first half
    assert fake.calls_to("getMe")


async def test_wrong_token_is_unauthorized(raw: RawApi, fake: FakeBotApi) -> None:
    status, body = await raw.post_json("getMe", {}, token="123456:wrong")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with make_bot(fake, "123456:wrong"):
            pass
    async with raw.session.get(f"{fake.base_file_url}123456:wrong/documents/file_1") as response:
        assert response.status == 401


async def test_unknown_method_is_not_found(raw: RawApi) -> None:
    status, body = await raw.post_json("sendTelepathy", {"chat_id": USER})
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_unknown_path_is_not_found(raw: RawApi) -> None:
    async with raw.session.get(f"http://127.0.0.1:{raw.fake.port}/nothing") as response:
        assert response.status == 404
        assert (await response.json())["ok"] is False


async def test_method_names_are_case_insensitive(raw: RawApi, fake: FakeBotApi) -> None:
    status, body = await raw.post_json("GETME", {})
    assert status == 200
    assert body["result"]["username"] == "isobot_test_bot"
    assert fake.calls[-1].method == "getMe"


async def test_malformed_json_body_is_a_bad_request(raw: RawApi) -> None:
    async with raw.session.post(
        raw.url("sendMessage"), data=b"{not json", headers={"Content-Type": "application/json"}
    ) as response:
        assert response.status == 400
        body = await response.json()
    assert body["error_code"] == 400
    assert body["description"].startswith("Bad Request: ")


async def test_parameters_arrive_every_way_telegram_takes(
    raw: RawApi, fake: FakeBotApi, user: int
) -> None:
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    status, _ = await raw.post_json("sendMessage", {"chat_id": user, "text": "json"})
    assert status == 200
    # JSON with the nested object JSON-encoded as a string, like PTB's form values.
    status, _ = await raw.post_json(
        "sendMessage", {"chat_id": str(user), "text": "json2", "reply_markup": json.dumps(markup)}
    )
    assert status == 200
    status, _ = await raw.post_form(
        "sendMessage", {"chat_id": str(user), "text": "form", "reply_markup": json.dumps(markup)}
    )
    assert status == 200
    status, _ = await raw.get("sendMessage", chat_id=str(user), text="query")
    assert status == 200
    form = aiohttp.FormData()
    form.add_field("chat_id", str(user))
    form.add_field("text", "multipart")
    async with raw.session.post(raw.url("sendMessage"), data=form) as response:
        assert response.status == 200
    texts = [m.text for m in fake.messages(user)]
    assert texts == ["json", "json2", "form", "query", "multipart"]
    assert fake.buttons(fake.messages(user)[1]) == [("Go", "go")]
    assert fake.buttons(fake.messages(user)[2]) == [("Go", "go")]


async def test_missing_chat_id_is_empty(raw: RawApi) -> None:
    status, body = await raw.post_json("sendMessage", {"text": "hi"})
    assert status == 400
    assert body["description"] == "Bad Request: chat_id is empty"


async def test_unknown_chat_is_not_found(bot: Bot, raw: RawApi) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hi")
    status, body = await raw.post_json("sendMessage", {"chat_id": "@someone", "text": "hi"})
    assert (status, body["description"]) == (400, "Bad Request: chat not found")


async def test_every_call_is_recorded_in_order(bot: Bot, fake: FakeBotApi, user: int) -> None:
    await bot.send_message(user, "one")
    with pytest.raises(BadRequest):
        await bot.send_message(user, "")
    await bot.send_chat_action(user, "typing")
    methods = [(c.method, c.ok, c.status) for c in fake.calls if c.method != "getMe"]
    assert methods == [
        ("sendMessage", True, 200),
        ("sendMessage", False, 400),
        ("sendChatAction", True, 200),
    ]
    first = fake.calls_to("sendMessage", user)[0]
    assert first.params["chat_id"] == user
    assert first.params["text"] == "one"
    assert first.result["text"] == "one"
    failed = fake.calls_to("sendMessage", ok=False)[0]
    assert failed.description == "Bad Request: message text is empty"
    assert fake.calls_to("sendMessage", 7) == []
    assert len(fake.calls_to("sendMessage", ok=None)) == 2


async def test_close_and_log_out_answer_true(bot: Bot) -> None:
    assert await bot.close() is True
    assert await bot.log_out() is True


async def test_chat_action_must_be_known(bot: Bot, user: int) -> None:
    assert await bot.send_chat_action(user, "typing") is True
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(user, "dancing")


async def test_refuses_to_listen_beyond_loopback() -> None:
    fake = FakeBotApi()
    with pytest.raises(ValueError, match=r"127\.0\.0\.1 only"):
        await fake.start(host="0.0.0.0")


async def test_a_foreign_host_name_is_refused(raw: RawApi, fake: FakeBotApi, user: int) -> None:
    # DNS rebinding: a hostile name resolving to 127.0.0.1 shows in the Host header.
    sent = await raw.post_json("sendDocument", {"chat_id": user, "document": "x"})
    assert sent[0] == 400  # reachable with our own Host
    for host in (f"evil.example:{fake.port}", f"127.0.0.1:{fake.port + 1}", "127.0.0.1"):
        async with raw.session.get(raw.url("getMe"), headers={"Host": host}) as response:
            assert response.status == 403, host
            body = await response.json()
        assert body["ok"] is False
        assert body["description"].startswith("Forbidden: ")
    file_url = f"{fake.base_file_url}{fake.token}/documents/file_1"
    async with raw.session.get(file_url, headers={"Host": "evil.example"}) as response:
        assert response.status == 403
    async with raw.session.get(
        raw.url("getMe"), headers={"Host": f"localhost:{fake.port}"}
    ) as response:
        assert response.status == 200
    assert [c.method for c in fake.calls] == ["sendDocument", "getMe"]


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:9"])
async def test_a_cross_site_post_is_refused_and_has_no_effect(
    raw: RawApi, fake: FakeBotApi, origin: str
) -> None:
    # A form on another site posting setWebhook carries that site's Origin.
    form = {"url": "http://127.0.0.1:9/steal"}
    async with raw.session.post(
        raw.url("setWebhook"), data=form, headers={"Origin": origin}
    ) as response:
        assert response.status == 403
        assert (await response.json())["error_code"] == 403
    assert fake.calls == []
    status, body = await raw.get("getWebhookInfo")
    assert (status, body["result"]["url"]) == (200, "")


async def test_requests_from_the_fakes_own_origin_and_from_ptb_pass(
    raw: RawApi, bot: Bot, fake: FakeBotApi
) -> None:
    for origin in (f"http://127.0.0.1:{fake.port}", f"http://localhost:{fake.port}"):
        async with raw.session.post(
            raw.url("getMe"), json={}, headers={"Origin": origin}
        ) as response:
            assert response.status == 200
    assert (await bot.get_me()).username == fake.bot_username  # no Origin, our own Host


async def test_each_fake_has_its_own_random_token() -> None:
    first, second = FakeBotApi(), FakeBotApi()
    assert first.token != second.token
    for token in (first.token, second.token):
        # BotFather's shape: the bot id, a colon, then URL-safe characters.
        assert re.fullmatch(r"\d{10}:[A-Za-z0-9_-]{35}", token), token
    assert FakeBotApi("777:given-token").token == "777:given-token"
    async with first, make_bot(first) as bot:
        assert (await bot.get_me()).id == int(first.token.split(":")[0])
        with pytest.raises(InvalidToken):
            async with make_bot(first, second.token):
                pass
