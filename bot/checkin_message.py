"""The weekly check-in reminder's message, rendered at send time with buttons for its owner.

It is a reminder of its own kind on the ordinary engine, as the weekly summary is; the sender asks
this renderer for it because the check-in's buttons are the bot's, which the scheduler does not
import.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin_callbacks import Act, encode
from scheduler.messages import PRESCRIBER, Outgoing
from scheduler.sender import Renderer
from storage.models import Delivery

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
    """The sender's renderer for weekly check-in deliveries."""

    async def render(session: AsyncSession, delivery: Delivery) -> Outgoing | None:
        return checkin_message(delivery.user_id)

    return render
