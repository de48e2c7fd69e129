"""Keeps each admin informed: a progress message edited now and then, and a final report."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from telegram.error import BadRequest, TelegramError

from bot.services import Context, services
from scheduler.broadcast import Progress, progress
from storage.models import Broadcast, BroadcastStatus

log = logging.getLogger("isobot.broadcast")
_LAST_TEXT = "broadcast_progress_texts"


def progress_text(broadcast: Broadcast, p: Progress) -> str:
    return (
        f"📣 <b>Broadcast #{broadcast.id}</b>: sending…\n"
        f"✅ sent {p.sent} · 🚫 blocked {p.blocked} · ⚠️ failed {p.failed} · "
        f"⏳ remaining {p.pending} of {p.total}"
    )


def final_report(broadcast: Broadcast, p: Progress) -> str:
    stopped = broadcast.status == BroadcastStatus.CANCELLED
    lines = [
        f"📣 <b>Broadcast #{broadcast.id} {'stopped' if stopped else 'finished'}</b>",
        f"✅ Delivered: {p.sent} of {p.total}",
        f"🚫 Blocked the bot: {p.blocked}",
        f"⚠️ Failed: {p.failed}",
    ]
    if p.uncertain:
        lines.append(f"❔ Uncertain (a crash or timeout mid-send; not resent): {p.uncertain}")
    if p.cancelled:
        lines.append(f"⏹ Not sent because it was stopped: {p.cancelled}")
    return "\n".join(lines)


async def report_progress(context: Context) -> None:
    """A repeating job: edit progress messages, and close finished broadcasts with a report."""
    svc = services(context)
    now = svc.clock.now()
    last_texts: dict[int, str] = context.bot_data.setdefault(_LAST_TEXT, {})
    async with svc.db.session() as session:
        open_ones = list(
            await session.scalars(
                select(Broadcast).where(
                    Broadcast.status.in_([BroadcastStatus.SENDING, BroadcastStatus.CANCELLED]),
                    Broadcast.finished_at.is_(None),
                )
            )
        )
        states = [(b, await progress(session, b.id)) for b in open_ones]
    for broadcast, state in states:
        if state.finished:
            await _finish(context, broadcast, state, now)
            last_texts.pop(broadcast.id, None)
            continue
        text = progress_text(broadcast, state)
        if broadcast.progress_message_id is None or last_texts.get(broadcast.id) == text:
            continue
        last_texts[broadcast.id] = text
        try:
            await context.bot.edit_message_text(
                text, chat_id=broadcast.admin_chat_id, message_id=broadcast.progress_message_id
            )
        except BadRequest:
            pass  # unchanged since another instance's edit, or the message is gone
        except TelegramError:
            log.warning("could not update the progress of broadcast %d", broadcast.id)


async def _finish(context: Context, broadcast: Broadcast, state: Progress, now: datetime) -> None:
    svc = services(context)
    new_status = (
        BroadcastStatus.CANCELLED
        if broadcast.status == BroadcastStatus.CANCELLED
        else BroadcastStatus.DONE
    )
    async with svc.db.session() as session:
        # Only one instance wins the right to send the report.
        claimed = await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id, Broadcast.finished_at.is_(None))
            .values(finished_at=now, status=new_status, updated_at=now)
        )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return
    broadcast.status = new_status
    log.info("broadcast %d closed: %d of %d sent", broadcast.id, state.sent, state.total)
    try:
        await context.bot.send_message(broadcast.admin_chat_id, final_report(broadcast, state))
    except TelegramError:
        log.warning("could not send the report of broadcast %d", broadcast.id)
