from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.broadcast_draft import TextWait, own_text_problem, waiting_for_text
from bot.broadcast_progress import final_report, progress_text
from scheduler.broadcast import Progress
from storage.models import Broadcast, BroadcastStatus

DISCLAIMER = "ℹ️ <i>General information only; ask your prescriber.</i>"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def broadcast(status: BroadcastStatus) -> Broadcast:
    return Broadcast(id=7, admin_id=1, admin_chat_id=1, status=status, total=10, created_at=NOW)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_own_text_is_refused(text: str) -> None:
    assert own_text_problem(text, DISCLAIMER) is not None


def test_own_text_that_fits_with_the_disclaimer_is_accepted() -> None:
    room = (
        4096 - 2 - len("ℹ️ General information only; ask your prescriber.".encode("utf-16-le")) // 2
    )
    assert own_text_problem("x" * room, DISCLAIMER) is None


def test_own_text_one_over_the_limit_is_refused_with_the_numbers() -> None:
    room = (
        4096 - 2 - len("ℹ️ General information only; ask your prescriber.".encode("utf-16-le")) // 2
    )
    problem = own_text_problem("x" * (room + 1), DISCLAIMER)
    assert problem is not None and "4097" in problem and "4096" in problem


def test_emoji_count_twice_toward_the_limit() -> None:
    room = (
        4096 - 2 - len("ℹ️ General information only; ask your prescriber.".encode("utf-16-le")) // 2
    )
    assert own_text_problem("😀" * (room // 2 + 1), DISCLAIMER) is not None


def test_progress_and_report_give_every_count() -> None:
    state = Progress(total=10, sent=6, blocked=1, failed=1, uncertain=1, cancelled=1, pending=0)
    running = progress_text(broadcast(BroadcastStatus.SENDING), state)
    assert "sent 6" in running and "blocked 1" in running and "remaining 0 of 10" in running
    report = final_report(broadcast(BroadcastStatus.CANCELLED), state)
    assert "stopped" in report
    assert "Delivered: 6 of 10" in report
    assert "Uncertain" in report and "stopped: 1" in report


def test_report_of_a_finished_broadcast_leaves_out_empty_lines() -> None:
    state = Progress(total=3, sent=3, blocked=0, failed=0, uncertain=0, cancelled=0, pending=0)
    report = final_report(broadcast(BroadcastStatus.DONE), state)
    assert "finished" in report
    assert "Uncertain" not in report and "stopped" not in report


@pytest.mark.parametrize(
    "wait",
    [
        TextWait(12),
        TextWait(12, 345),
        TextWait(12, 345, cut=True),
        TextWait(12, cut=True),
    ],
)
def test_the_wait_for_an_own_text_reads_back_as_written(wait: TextWait) -> None:
    assert TextWait.parse(str(wait)) == wait


def test_the_wait_for_an_own_text_always_fits_users_awaiting() -> None:
    """users.awaiting is 32 characters, "@<last message id>" included: the prompt's id is the
    part given up when there is no room (PostgreSQL refuses a longer value)."""
    for draft, message in [(7, 99), (123_456, 9_999_999), (2**31 - 1, 2**31 - 1)]:
        wait = TextWait(draft, message, cut=True).fitting(message)
        assert len(f"{wait}@{message}") <= 32 and TextWait.parse(str(wait)) == wait
        prompt_only = waiting_for_text(draft, message)
        assert len(f"{prompt_only}@{message * 10}") <= 32


def test_an_old_wait_with_only_the_draft_still_reads() -> None:
    assert TextWait.parse("broadcast:42") == TextWait(42)
    assert TextWait.parse("broadcast:x") is None
