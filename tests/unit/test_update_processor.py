"""Updates of different chats are handled at once; one chat's updates keep their order."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.updates import PerChatUpdateProcessor


def update_from(chat_id: int, update_id: int) -> Update:
    user = User(chat_id, "Tess", is_bot=False)
    message = Message(update_id, None, Chat(chat_id, "private"), from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chats_updates_run_one_after_another_in_order() -> None:
    processor = PerChatUpdateProcessor(8)
    log: list[str] = []

    async def handle(name: str) -> None:
        log.append(f"{name} starts")
        await asyncio.sleep(0.01)
        log.append(f"{name} ends")

    await asyncio.gather(
        *(processor.process_update(update_from(1, i), handle(f"#{i}")) for i in range(3))
    )
    assert log == ["#0 starts", "#0 ends", "#1 starts", "#1 ends", "#2 starts", "#2 ends"]


async def test_different_chats_do_not_wait_for_each_other() -> None:
    processor = PerChatUpdateProcessor(8)
    other_ran = asyncio.Event()

    async def slow() -> None:
        # Would time out if the other chat's update had to wait for this one.
        await asyncio.wait_for(other_ran.wait(), timeout=5)

    async def quick() -> None:
        other_ran.set()

    await asyncio.gather(
        processor.process_update(update_from(1, 1), slow()),
        processor.process_update(update_from(2, 2), quick()),
    )


async def test_a_failing_update_releases_its_chat_and_nothing_is_kept() -> None:
    processor = PerChatUpdateProcessor(8)

    async def boom() -> None:
        raise RuntimeError("handler failed")

    async def fine() -> None:
        pass

    results = await asyncio.gather(
        processor.process_update(update_from(1, 1), boom()),
        processor.process_update(update_from(1, 2), fine()),
        return_exceptions=True,
    )
    assert isinstance(results[0], RuntimeError)
    assert results[1] is None
    assert processor._turns == {}
