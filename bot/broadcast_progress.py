"""Keeps each admin informed: a progress message edited now and then and closed with the final
figures, a final report, and what /broadcast_cancel did."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import datetime

from sqlalchemy import select, update
from telegram.error import BadRequest, TelegramError

from bot.services import Context, services
from scheduler.broadcast import Progress, progress
from scheduler.outcomes import Failure, classify
from storage.error_logs import log_failure
from storage.models import Broadcast, BroadcastStatus

log = logging.getLogger("isobot.broadcast")
_LAST_TEXT = "broadcast_progress_texts"
# Before the progress message is tried again, after a failure that proved it was not sent.
_RETRY_AFTER_SECONDS = 1.0
_POSTING = "posting the progress of broadcast %d"


def progress_text(broadcast: Broadcast, p: Progress) -> str:
    return (
        f"📣 <b>Broadcast #{broadcast.id}</b>: sending…\n"
        f"✅ sent {p.sent} · 🚫 blocked {p.blocked} · ⚠️ failed {p.failed} · "
        f"⏳ remaining {p.pending} of {p.total}"
    )


def closed_text(broadcast: Broadcast, p: Progress) -> str:
    """The progress message once its broadcast is over: left saying "sending…", it would show a
    broadcast stuck halfway to an admin scrolling back. The full report is its own message."""
    stopped = broadcast.status == BroadcastStatus.CANCELLED
    counts = [f"✅ sent {p.sent} of {p.total}", f"🚫 blocked {p.blocked}", f"⚠️ failed {p.failed}"]
    if p.uncertain:
        counts.append(f"❔ uncertain {p.uncertain}")
    if p.cancelled:
        counts.append(f"⏹ not sent {p.cancelled}")
    return (
        f"📣 <b>Broadcast #{broadcast.id}</b>: {'stopped' if stopped else 'finished'}\n"
        + " · ".join(counts)
    )


STOPPED_BY_ERASURE = (
    "📣 <b>Broadcast #{id}</b>: stopped, because you deleted your data. Messages sent before "
    "stay sent; no report follows."
)


async def show_stopped_by_erasure(context: Context, going: list[tuple[int, int, int]]) -> None:
    """Close the progress messages of broadcasts an admin's erasure stopped: left as they were,
    they would say "sending…" for good, and no report comes to correct them."""
    for broadcast_id, chat_id, message_id in going:
        try:
            await context.bot.edit_message_text(
                STOPPED_BY_ERASURE.format(id=broadcast_id), chat_id=chat_id, message_id=message_id
            )
        except TelegramError:
            log.warning("could not close the progress of broadcast %d", broadcast_id)


def final_report(broadcast: Broadcast, p: Progress) -> str:
    stopped = broadcast.status == BroadcastStatus.CANCELLED
    # Recipients who erase their data mid-send take their delivery rows with them: the report
    # still counts against the number confirmed, and says where the rest went.
    total = max(broadcast.total, p.total)
    lines = [
        f"📣 <b>Broadcast #{broadcast.id} {'stopped' if stopped else 'finished'}</b>",
        f"✅ Delivered: {p.sent} of {total}",
        f"🚫 Blocked the bot: {p.blocked}",
        f"⚠️ Failed: {p.failed}",
    ]
    if total > p.total:
        lines.append(f"🗑 Erased their data since it was confirmed: {total - p.total}")
    if p.uncertain:
        lines.append(f"❔ Uncertain (a crash or timeout mid-send; not resent): {p.uncertain}")
    if p.cancelled:
        lines.append(f"⏹ Not sent because it was stopped: {p.cancelled}")
    return "\n".join(lines)


def cancel_reply(
    admin_id: int, draft_ended: bool, running: list[Broadcast], unsent: dict[int, int]
) -> str:
    """/broadcast_cancel's answer: the draft it ended, or the broadcasts it stopped. With a
    draft ended, it stopped nothing: it names what still runs and how to stop that."""
    lines = ["Your draft broadcast is cancelled. Nothing was sent."] if draft_ended else []
    if draft_ended and running:
        whose = ["yours" if b.admin_id == admin_id else "another admin's" for b in running]
        listed = ", ".join(f"#{b.id} ({w})" for b, w in zip(running, whose, strict=True))
        lines.append(f"Still sending: {listed}. Send /broadcast_cancel again to stop them.")
    lines += [f"⏹ Broadcast #{b} stopped: {n} not sent." for b, n in unsent.items()]
    if unsent:
        lines.append("The final report follows when the messages in flight are done.")
    return "\n".join(lines) or "No broadcast is running."


async def tell_stopped(context: Context, broadcast: Broadcast, unsent: int, by: str) -> None:
    """The admin who started a broadcast learns that another admin stopped it, and who: the
    final report alone would read as if they had stopped it themselves."""
    try:
        await context.bot.send_message(
            broadcast.admin_chat_id,
            f"⏹ Your broadcast #{broadcast.id} was stopped by another admin, {html.escape(by)}: "
            f"{unsent} not sent. The final report follows.",
        )
    except TelegramError:
        log.warning("could not tell the admin of broadcast %d it was stopped", broadcast.id)


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
        await _edit(context, broadcast, broadcast.progress_message_id, text)


async def _edit(context: Context, broadcast: Broadcast, message_id: int, text: str) -> None:
    """Edit a progress message; a failed edit costs the admin a stale figure, nothing more."""
    try:
        await context.bot.edit_message_text(
            text, chat_id=broadcast.admin_chat_id, message_id=message_id
        )
    except BadRequest:
        pass  # unchanged since another instance's edit, or the message is gone
    except TelegramError:
        log.warning("could not update the progress of broadcast %d", broadcast.id)


async def announce(context: Context, broadcast: Broadcast, text: str) -> None:
    """Send the progress message, which report_progress edits, and store its id.

    The broadcast is committed and going out by now, so this never raises: the error handler
    would tell the admin to try again, and a second Send reaches everyone twice. A failure is
    logged by its type; without a progress message the final report still comes.

    A small broadcast can close before the id is stored, and then `_finish` had no message to
    edit: this edits it to the final state itself. Both sides write the row and read the other's
    column in one UPDATE … RETURNING, so one of them always sees the other (at worst both edit,
    and the second edit fails as unchanged)."""
    try:
        await _announce(context, broadcast, text)
    except Exception as error:  # any: see above
        log_failure(log, error, _POSTING, broadcast.id)


async def _announce(context: Context, broadcast: Broadcast, text: str) -> None:
    svc = services(context)
    try:
        sent = await context.bot.send_message(broadcast.admin_chat_id, text)
    except TelegramError as error:
        # Only a failure that proves nothing was sent (a 5xx, a refused connection) is tried
        # again: after a timeout the message may be there, and a second would stay "sending…".
        if classify(error) != Failure.RETRY:
            raise
        log_failure(log, error, _POSTING, broadcast.id, after="; trying once more")
        await asyncio.sleep(_RETRY_AFTER_SECONDS)
        sent = await context.bot.send_message(broadcast.admin_chat_id, text)
    closed = None
    async with svc.db.session() as session:
        stored = await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id)
            .values(progress_message_id=sent.message_id)
            .returning(Broadcast.finished_at, Broadcast.status)
        )
        row = stored.first()
        if row is not None and row.finished_at is not None:
            broadcast.status = row.status
            closed = closed_text(broadcast, await progress(session, broadcast.id))
    if closed is not None:
        await _edit(context, broadcast, sent.message_id, closed)


async def _finish(context: Context, broadcast: Broadcast, state: Progress, now: datetime) -> None:
    svc = services(context)
    new_status = (
        BroadcastStatus.CANCELLED
        if broadcast.status == BroadcastStatus.CANCELLED
        else BroadcastStatus.DONE
    )
    async with svc.db.session() as session:
        # Only one instance wins the right to send the report. The message id is read from the
        # row, not the copy loaded before: `announce` may have stored it since.
        claimed = await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id, Broadcast.finished_at.is_(None))
            .values(finished_at=now, status=new_status, updated_at=now)
            .returning(Broadcast.progress_message_id)
        )
        row = claimed.first()
    if row is None:
        return
    broadcast.status = new_status
    log.info("broadcast %d closed: %d of %d sent", broadcast.id, state.sent, state.total)
    if not broadcast.admin_chat_id:
        return  # the admin erased their data since: no one to report to
    try:
        await context.bot.send_message(broadcast.admin_chat_id, final_report(broadcast, state))
    except TelegramError:
        log.warning("could not send the report of broadcast %d", broadcast.id)
    if row.progress_message_id is not None:
        await _edit(context, broadcast, row.progress_message_id, closed_text(broadcast, state))
