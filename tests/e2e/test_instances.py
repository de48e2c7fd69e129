"""Several instances on one PostgreSQL database behind a load balancer, in webhook mode, in one
process: guided flows keep their state in the database or in the callback data, so it does not
matter which instance gets which step. (test_instance_processes.py runs real processes, kills
the sending one and counts 5,000 reminders.)
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from itertools import pairwise

import pytest

from bot.app import build_application, running
from bot.services import IsobotApp
from sandbox import FakeBotApi
from scheduler.clock import ManualClock
from storage import Database
from storage.models import Reminder
from tests.e2e.conftest import START, USER, BotUnderTest, edited_last, settings_for
from tests.e2e.listeners import SECRET, Balancer, listener_port
from tests.e2e.test_remind_input import button

pytestmark = pytest.mark.postgres


@dataclass
class Fleet:
    apps: list[IsobotApp]
    balancer: Balancer


@asynccontextmanager
async def fleet(fake: FakeBotApi, url: str, count: int) -> AsyncIterator[Fleet]:
    """`count` instances in webhook mode behind one balancer, each with its own engine."""
    settings = settings_for(
        fake,
        url,
        bot_mode="webhook",
        webhook_url="http://127.0.0.1:1/tg",  # replaced by the balancer's below
        webhook_listen="127.0.0.1:0",
        webhook_secret=SECRET,
    )
    async with AsyncExitStack() as stack:
        balancer = Balancer()
        await balancer.start()
        stack.push_async_callback(balancer.stop)
        settings = settings.model_copy(update={"webhook_url": balancer.url})
        apps = []
        for _ in range(count):
            app = build_application(settings, db=Database(url), clock=ManualClock(START))
            await stack.enter_async_context(running(app))
            balancer.backends.append(f"http://127.0.0.1:{listener_port(app)}")
            apps.append(app)
        yield Fleet(apps, balancer)


async def test_a_guided_flow_works_whichever_instance_gets_each_step(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    async with fleet(fake, postgres_db_url, 2) as two:
        app = two.apps[0]
        db = app.bot_data.services.db
        bot = BotUnderTest(fake, app, db, ManualClock(START), io.StringIO())
        await bot.say("/timezone Europe/Berlin")
        menu = await bot.say("/remind")
        await bot.press(menu, "rk:dose")
        picker = await fake.wait_for(lambda: edited_last(fake))
        await bot.press(picker, button(bot, picker, "08:00"))
        picker = await fake.wait_for(lambda: edited_last(fake, edits=2))
        await bot.press(picker, button(bot, picker, "20:00"))
        picker = await fake.wait_for(lambda: edited_last(fake, edits=3))
        await bot.press(picker, button(bot, picker, "Finish"))
        await fake.wait_for(lambda: fake.last_message(USER).edits == 4)  # type: ignore[union-attr]
        # Typed input waits in users.awaiting, not in the memory of whoever asked for it.
        menu = await bot.say("/remind")
        await bot.press(menu, "rk:sunscreen")
        await fake.wait_for(lambda: fake.last_message(USER).edits == 1)  # type: ignore[union-attr]
        reply = await bot.say("08:45")
        assert "Sunscreen reminders at 08:45" in reply.text
        times = sorted((r.kind.value, r.local_time) for r in await bot.rows(Reminder))
        # Telegram posted one update at a time and the balancer alternated: every step of each
        # flow reached the other instance than the step before.
        forwarded = two.balancer.forwarded
    assert times == [("dose", "08:00"), ("dose", "20:00"), ("sunscreen", "08:45")]
    assert len(forwarded) >= 8
    assert all(a != b for a, b in pairwise(forwarded))
