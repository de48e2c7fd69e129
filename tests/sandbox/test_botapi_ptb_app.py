"""A real PTB Application, polling the fake, as the e2e tests and the sandbox command run it."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import HTTPXRequest

from sandbox import FakeBotApi
from tests.sandbox.helpers import OTHER_USER, USER


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


def _application(fake: FakeBotApi) -> Any:
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .request(HTTPXRequest(httpx_kwargs={"verify": False}))
        .get_updates_request(HTTPXRequest(httpx_kwargs={"verify": False}))
        .build()
    )


async def test_application_polls_replies_and_handles_buttons(fake: FakeBotApi) -> None:
    app = _application(fake)
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


async def test_application_joins_a_group_and_answers_only_its_own_commands(
    fake: FakeBotApi,
) -> None:
    group = -100123
    statuses: list[str] = []

    async def joined(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.my_chat_member is not None
        statuses.append(update.my_chat_member.new_chat_member.status)

    async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Topics: /about")  # quotes, in a group

    app = _application(fake)
    app.add_handler(ChatMemberHandler(joined, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CommandHandler("help", help_command))
    fake.group_privacy = False  # so the command for the other bot reaches PTB
    async with app:
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            fake.add_group(group, members=[USER, OTHER_USER])
            fake.add_bot_to_group(group, by_user_id=USER)
            await fake.wait_for(lambda: statuses == ["member"])
            fake.send_group_text(group, OTHER_USER, "/help@other_bot")
            asked = fake.send_group_text(group, OTHER_USER, f"/help@{fake.bot_username}")
            (answer,) = await fake.wait_for_messages(group, 1)
            assert answer.reply_to_message_id == asked
            fake.remove_bot_from_group(group, by_user_id=OTHER_USER)
            await fake.wait_for(lambda: statuses == ["member", "left"])
        finally:
            await app.updater.stop()
            await app.stop()
    assert [m.text for m in fake.messages(group)] == ["Topics: /about"]
    assert all(c.ok for c in fake.calls if c.method != "getUpdates")
