"""The weekly check-in reminder's message, rendered at send time with buttons for its owner.

It is a reminder of its own kind on the ordinary engine, as the weekly summary is; the sender asks
this renderer for it because the check-in's buttons are the bot's, which the scheduler does not
import.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin_callbacks import Act, encode
from scheduler.messages import PRESCRIBER, Outgoing
from scheduler.sender import Renderer
from storage.checkins import finished_since
from storage.models import Delivery

# A check-in finished this long before the weekly one falls due is that week's: asking again
# the same evening would only repeat the questions. Half a week, so one done early in the
# week still leaves the reminder to come.
ALREADY_DONE = timedelta(days=3)

REMINDER_TEXT = (
    "📝 <b>Time for your weekly check-in.</b> Two questions about your mood and six about side "
    "effects, all taps: about a minute. Tap Start when you're ready.\n\n"
    f"{PRESCRIBER}"
)


def checkin_message(owner: int) -> Outgoing:
    return Outgoing(
        REMINDER_TEXT,
        (
            ("📝 Start", encode(Act.START, owner)),
            ("⚙️ Change or stop", encode(Act.WEEKLY, owner)),
        ),
    )


def checkin_renderer() -> Renderer:
    """The sender's renderer for weekly check-in deliveries; none (the delivery is cancelled)
    when the user has just done one of their own accord."""

    async def render(session: AsyncSession, delivery: Delivery) -> Outgoing | None:
        if await finished_since(session, delivery.user_id, delivery.due_at - ALREADY_DONE):
            return None
        return checkin_message(delivery.user_id)

    return render
