"""The strict fake Telegram Bot API (an aiohttp server on 127.0.0.1). It imports nothing of ours."""

from __future__ import annotations

from sandbox.botapi import FakeBotApi
from sandbox.state import BotMessage, Call

__all__ = ["BotMessage", "Call", "FakeBotApi"]
