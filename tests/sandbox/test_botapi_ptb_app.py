"""A real PTB Application, polling the fake, as the e2e tests and the sandbox command run it."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from sandbox import FakeBotApi
from tests.sandbox.helpers import USER


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Taken", callback_data="dose:taken")]])
    await context.bot.send_message(
        update.effective_chat.id,
        "<b>Time for your dose</b>, with food.",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Logged")
    await query.edit_message_text("Dose logged.")


async def test_application_polls_replies_and_handles_buttons(fake: FakeBotApi) -> None:
    app: Any = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .request(HTTPXRequest(httpx_kwargs={"verify": False}))
        .get_updates_request(HTTPXRequest(httpx_kwargs={"verify": False}))
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_pressed))
    async with app:
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            fake.send_text(USER, "/start")
            (reminder,) = await fake.wait_for_messages(USER, 1)
            assert reminder.text == "Time for your dose, with food."
            assert fake.buttons(reminder) == [("Taken", "dose:taken")]
            query_id = fake.press_button(USER, reminder.message_id, "dose:taken")
            await fake.wait_for(lambda: query_id in fake.answered_callbacks())
            await fake.wait_for(lambda: fake.messages(USER)[0].edits == 1)
            assert fake.messages(USER)[0].text == "Dose logged."
            assert fake.messages(USER)[0].reply_markup is None
            # /start@our_bot is a command for us too.
            fake.send_text(USER, f"/start@{fake.bot_username}")
            await fake.wait_for_messages(USER, 2)
        finally:
            await app.updater.stop()
            await app.stop()
    assert fake.calls_to("deleteWebhook")  # PTB's polling bootstrap
    assert all(c.ok for c in fake.calls if c.method != "getUpdates")
    # PTB confirmed every update it handled when it stopped.
    assert fake.calls_to("getUpdates")[-1].result == []
