"""What an operator sees in the logs never holds the token or what users wrote."""

from __future__ import annotations

from tests.e2e.conftest import TOKEN, BotUnderTest

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
