"""What an operator sees in the logs never holds the token or what users wrote."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.state import BotMessage
from tests.e2e.conftest import TOKEN, USER, BotUnderTest
from tests.e2e.test_reminders import fire

SESSION = [
    "/start",
    "/help",
    "/sideeffects",
    "my lips are cracking badly",
    "I think I am pregnant",
    "/nosuchcommand",
    "can I drink alcohol on isotretinoin",
]


async def test_logs_of_a_session_hold_neither_token_nor_message_text(bot: BotUnderTest) -> None:
    for text in SESSION:
        await bot.say(text)
    # An error inside a handler is logged too: make the next reply fail once.
    bot.fake.fail_next("sendMessage", 400, "Bad Request: something odd")
    bot.fake.send_text(1001, "secret words about my skin")
    await bot.fake.wait_for(lambda: "failed with" in bot.log.getvalue())
    await bot.fake.wait_for_messages(1001, len(SESSION) + 1)
    logged = bot.log.getvalue()
    assert logged, "nothing was logged at all; the check would prove nothing"
    assert TOKEN not in logged
    assert TOKEN.split(":")[1] not in logged
    for text in [*SESSION, "secret words about my skin"]:
        if text.startswith("/"):
            continue
        assert text not in logged


async def test_failed_update_tells_the_user_something_went_wrong(bot: BotUnderTest) -> None:
    bot.fake.fail_next("sendMessage", 400, "Bad Request: something odd")
    reply = await bot.say("/sebum")
    assert "something went wrong" in reply.text


FIRST_NAME = "Philippa"
HEALTH_SESSION = [
    "/start",
    "/timezone Europe/Berlin",
    "/remind dose 08:00",
    "/course",
    "forty",
    "40",
    "68.5 kg",
    "/course weight 71.3",
    "/course dose 60 from 2026-03-02",
    "/checks pregnancy 1 09:00",
    "my skin is peeling so badly around the nose",
    "/course end",
    "/privacy",
    "/export",
]


async def say_as_named_user(bot: BotUnderTest, text: str) -> BotMessage:
    """Send as a user whose first name Telegram passes along with every update."""
    before = len(bot.fake.messages(USER))
    bot.fake.send_text(USER, text, first_name=FIRST_NAME, username="philippa_k")
    return (await bot.fake.wait_for_messages(USER, before + 1))[-1]


async def test_logs_of_a_course_export_and_delete_session_hold_no_private_data(
    bot: BotUnderTest,
) -> None:
    exported = b""
    for text in HEALTH_SESSION:
        reply = await say_as_named_user(bot, text)
        if text == "/course":
            # The start date, from the guided flow's button.
            data = next(d for t, d in bot.fake.buttons(reply) if t.startswith("Today"))
            await bot.press(reply, data)
            await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits)  # type: ignore[union-attr]
        if reply.document is not None:
            exported = bot.fake.document_content(reply.document["file_id"]) or b""
    reminder = await fire(bot, datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    await bot.press(reminder, next(d for t, d in bot.fake.buttons(reminder) if "Taken" in t))
    prompt = await say_as_named_user(bot, "/delete")
    confirm = next(d for t, d in bot.fake.buttons(prompt) if "Yes" in t)
    await bot.press(prompt, confirm)
    await bot.fake.wait_for(lambda: "Deleted" in bot.fake.last_message(USER).text)  # type: ignore[union-attr]

    logged = bot.log.getvalue()
    assert "dispatched" in logged, "the session's reminder work was not logged at all"
    assert exported, "the export was not received"
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged
    assert FIRST_NAME not in logged and "philippa_k" not in logged
    for text in HEALTH_SESSION:
        if text.startswith("/") and " " not in text:
            continue  # a bare command name says nothing about the person
        if text.isdigit():
            continue  # two digits turn up in every timestamp; "68.5" and "71.3" are checked below
        assert text not in logged
    for private in ("68.5", "71.3", '"course_weights"', '"mg_per_day"'):
        assert private not in logged
