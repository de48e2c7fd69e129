"""isobot's Telegram side: settings, handlers and the composition root."""

from __future__ import annotations
