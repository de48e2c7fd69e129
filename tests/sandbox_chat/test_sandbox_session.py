"""The sandbox in this process: the fake Telegram, the real bot and the page's JSON API."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
import stat
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from telegram.error import Forbidden

from bot.sandbox_session import (
    FIRST_SIMULATED_USER,
    SANDBOX_USER,
    Sandbox,
    SandboxError,
    SandboxOptions,
    parse_options,
)
from storage import Database
from storage.models import Delivery, Purpose, User
from tests.sandbox_chat.conftest import (
    START,
    ZONE,
    Message,
    PageClient,
    button,
    local_time_plus,
)


def options(tmp_path: Path, **overrides: Any) -> SandboxOptions:
    values: dict[str, Any] = {
        "port": 0,
        "db": tmp_path / "sandbox.sqlite3",
        "start": datetime.fromisoformat(START),
        "terminal": False,
    }
    values.update(overrides)
    return SandboxOptions(**values)


async def started(tmp_path: Path, **overrides: Any) -> AsyncIterator[tuple[Sandbox, PageClient]]:
    async with (
        Sandbox(options(tmp_path, **overrides), log=io.StringIO()) as sandbox,
        aiohttp.ClientSession() as http,
    ):
        yield sandbox, PageClient(http, sandbox.page.url)


@pytest.fixture
async def fast(tmp_path: Path) -> AsyncIterator[tuple[Sandbox, PageClient]]:
    """Two simulated minutes pass in each real second."""
    async for running in started(tmp_path, speed=120.0):
        yield running


@pytest.fixture
async def real_time(tmp_path: Path) -> AsyncIterator[tuple[Sandbox, PageClient]]:
    async for running in started(tmp_path, speed=1.0, users=12):
        yield running


async def welcomed(page: PageClient) -> Message:
    """/start sent from the page, and the welcome it gets."""
    await page.send("/start")
    return await page.reply("Welcome to isobot")


async def test_scripted_session_reminder_fires_and_taken_shows_in_history(
    fast: tuple[Sandbox, PageClient],
) -> None:
    _, page = fast
    welcome = await welcomed(page)
    topic = welcome["buttons"][0][0]
    await page.press(welcome, topic["text"])
    shown = await page.reply(topic["text"])
    assert shown["text"].startswith(topic["text"])

    await page.send(f"/timezone {ZONE}")
    zone_set = await page.reply("Your timezone is now")
    # Six simulated minutes ahead: three real seconds at this speed.
    due = local_time_plus(zone_set["text"], 6)
    await page.send(f"/remind dose {due}")
    await page.reply(f"Dose reminders at {due}")
    reminder = await page.reply(f"Time for your {due} isotretinoin dose", within=20)
    assert "Late" not in reminder["text"]

    await page.press(reminder, "Taken")
    edited = await page.wait_for(lambda m: m["id"] == reminder["id"] and "Taken at" in m["text"])
    # Only the button that puts a mis-tap right is left.
    assert edited["edited"]
    assert [b["text"] for row in edited["buttons"] for b in row] == ["↩️ I didn't take it"]
    await page.send("/history")
    history = await page.reply("Your dose history")
    assert "Last 7 days</b>: 100% taken (1 of 1)" in history["html"]


async def test_sandbox_time_jumps_and_stops_where_a_reminder_is_due(
    real_time: tuple[Sandbox, PageClient],
) -> None:
    sandbox, page = real_time
    await page.send(f"/timezone {ZONE}")
    await page.reply("Your timezone is now")
    await page.send("/remind dose 09:00")
    await page.reply("Dose reminders at 09:00")

    await page.send("/sandbox_time +3h")
    jumped = await page.reply("Simulated time is now")
    assert "Mon 02 Mar 2026, 09:00 (Europe/London)" in jumped["text"]
    assert "a reminder is due then" in jumped["text"]
    reminder = await page.reply("Time for your 09:00 isotretinoin dose")
    assert "Late" not in reminder["text"]

    # Unanswered, the dose's follow-up is due 30 minutes after it was sent: the next stop.
    await follow_up_queued(sandbox)
    await page.send("/sandbox_time +1h")
    assert "09:30" in (await page.reply("Simulated time is now"))["text"]
    await page.reply("did you take your 09:00 dose")
    assert sandbox.clock.now() < datetime.fromisoformat("2026-03-02T09:35:00+00:00")

    await page.send("/sandbox_time -1h")
    assert "only moves forward" in (await page.reply("Time only"))["text"]
    await page.send("/sandbox_time")
    assert "running at 1× real time" in (await page.reply("Simulated time"))["text"]
    # Not an unknown command: the catch-all never saw it.
    assert not [m for m in await page.messages() if "I don't know" in m["text"]]


async def follow_up_queued(sandbox: Sandbox) -> None:
    """The sender queues the follow-up just after the reminder went out; wait for that row."""
    db = sandbox.app.bot_data.services.db  # type: ignore[union-attr]
    for _ in range(200):
        async with db.session() as session:
            found = await session.scalar(
                select(Delivery.id).where(Delivery.purpose == Purpose.FOLLOW_UP)
            )
        if found is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("no follow-up was queued")


async def test_users_are_simulated_and_the_sandbox_user_is_an_admin(
    real_time: tuple[Sandbox, PageClient],
) -> None:
    sandbox, _ = real_time
    assert sandbox.app is not None
    assert sandbox.app.bot_data.services.is_admin(SANDBOX_USER)
    db = Database(sandbox.database_url)
    try:
        async with db.session() as session:
            ids = sorted(await session.scalars(select(User.id)))
    finally:
        await db.dispose()
    assert ids == list(range(FIRST_SIMULATED_USER, FIRST_SIMULATED_USER + 12))
    # The fake knows them, so the bot can write to them; the tenth has blocked the bot.
    bot = sandbox.app.bot
    await bot.send_message(FIRST_SIMULATED_USER, "hello")
    blocked = FIRST_SIMULATED_USER + 9
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(blocked, "hello")


async def test_page_streams_the_conversation_and_edits(fast: tuple[Sandbox, PageClient]) -> None:
    _, page = fast
    await page.send("/timezone")
    picker = await page.reply("Which timezone")
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(15), page.http.get(f"{page.url}/events") as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        await page.press(picker, "Europe/Berlin")
        async for raw in stream.content:
            line = raw.decode().strip()
            if line.startswith("data: "):
                events.append(json.loads(line.removeprefix("data: ")))
            edits = [e for e in events if e["type"] == "message" and e["message"]["edited"]]
            if edits:
                break
    assert events[0] == {"type": "reset"}
    kinds = [e["type"] for e in events]
    assert "status" in kinds
    first = next(e["message"] for e in events if e["type"] == "message")
    assert first == {**first, "from_bot": False, "text": "/timezone"}
    [edit] = edits
    assert edit["message"]["id"] == picker["id"]
    assert "Your timezone is now <b>Europe/Berlin</b>" in edit["message"]["html"]


async def test_page_answers_only_its_own_host_and_json(fast: tuple[Sandbox, PageClient]) -> None:
    _, page = fast
    async with page.http.get(f"{page.url}/", headers={"Host": "evil.example:80"}) as response:
        assert response.status == 403
    async with page.http.post(f"{page.url}/send", data="text=/start") as response:
        assert response.status == 415
    cross_site = {"Origin": "http://evil.example"}
    async with page.http.post(
        f"{page.url}/send", json={"text": "/start"}, headers=cross_site
    ) as response:
        assert response.status == 403
    async with page.http.get(f"{page.url}/") as response:
        assert response.status == 200
        assert "<title>isobot sandbox</title>" in await response.text()
    assert await page.messages() == []


async def test_page_refuses_a_button_the_message_does_not_have(
    fast: tuple[Sandbox, PageClient],
) -> None:
    _, page = fast
    welcome = await welcomed(page)
    body = {"message_id": welcome["id"], "data": "no-such-button"}
    async with page.http.post(f"{page.url}/press", json=body) as response:
        assert response.status == 400
        assert "no button" in (await response.json())["error"]
    assert button(welcome, "All topics")


async def test_a_taken_port_is_one_sentence_saying_what_to_do(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SandboxError, match=f"Port {port} on 127.0.0.1 is taken: .*--port 0"):
            async with Sandbox(options(tmp_path, port=port), log=io.StringIO()):
                pass


async def test_the_sandbox_keeps_its_data_and_its_log_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "sandbox.sqlite3"
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    umask = os.umask(0)  # the most permissive: only the code's own care makes them private
    try:
        async with Sandbox(options(tmp_path, db=db)) as sandbox:
            logging.getLogger("isobot.test").warning("written to the sandbox's log")
            log_path = sandbox.log_path
    finally:
        os.umask(umask)
        root.handlers[:] = handlers  # the sandbox pointed the root logger at its log file
        root.setLevel(level)
    assert "written to the sandbox's log" in log_path.read_text(encoding="utf-8")
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_options_reject_what_the_sandbox_cannot_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_options(["--speed", "60", "--users", "5"]).speed == 60
    for bad in (["--speed", "0"], ["--users", "-1"], ["--start", "soon"]):
        with pytest.raises(SystemExit):
            parse_options(bad)
    assert "--speed" in capsys.readouterr().err


async def test_the_fake_bot_api_has_a_new_token_each_run_and_refuses_other_sites(
    tmp_path: Path,
) -> None:
    tokens = []
    for run in range(2):
        async with (
            Sandbox(options(tmp_path / str(run)), log=io.StringIO()) as sandbox,
            aiohttp.ClientSession() as http,
        ):
            tokens.append(sandbox.fake.token)
            url = f"{sandbox.fake.base_url}{sandbox.fake.token}/setWebhook"
            form = {"url": "https://evil.example/hook"}
            # What a cross-site form post, or a page reached by DNS rebinding, would send.
            for headers in ({"Origin": "http://evil.example"}, {"Host": "evil.example"}):
                async with http.post(url, data=form, headers=headers) as response:
                    assert response.status == 403
    assert tokens[0] != tokens[1]


async def test_a_restarted_sandbox_goes_on_from_where_its_data_left_off(tmp_path: Path) -> None:
    """After /sandbox_time +1d and a Taken, a restart keeps the dose in the past, not a day
    ahead of a clock put back to its start."""
    async for sandbox, page in started(tmp_path, speed=1.0):
        await page.send(f"/timezone {ZONE}")
        await page.reply("Your timezone is now")
        await page.send("/remind dose 08:00")
        await page.reply("Dose reminders at 08:00")
        await page.send("/sandbox_time +1d")
        reminder = await page.reply("Time for your 08:00 isotretinoin dose")
        await page.press(reminder, "Taken")

        def taken(message: Message, sent: int = reminder["id"]) -> bool:
            return bool(message["id"] == sent and "Taken" in message["text"])

        await page.wait_for(taken)
        left_at = sandbox.clock.now()
    async for sandbox, page in started(tmp_path, speed=1.0):
        assert sandbox.clock.now() >= left_at
        await page.send("/history")
        history = await page.reply("Your dose history")
        assert "(1 of 1)" in history["text"], history["text"]
