"""The webhook endpoint: Telegram POSTs each update here with our secret in a header.

We serve it ourselves rather than with PTB's run_webhook, which compares the secret with `!=`:
that comparison stops at the first differing character, and its timing tells a patient attacker
the secret one character at a time. hmac.compare_digest takes the same time for every guess.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.services import IsobotApp

log = logging.getLogger("isobot.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison; a missing header is simply a wrong one."""
    # Bytes: compare_digest refuses str with non-ASCII characters, which a forged header may hold.
    return hmac.compare_digest(
        (given or "").encode("utf-8", "replace"), expected.encode("utf-8", "replace")
    )


def webhook_route(app: IsobotApp, path: str, secret: str, body_seconds: float) -> web.RouteDef:
    async def handle(request: web.Request) -> web.StreamResponse:
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            # INFO, not WARNING: anyone can post here, and a scanner must not flood the log.
            log.info("webhook: refused a request without the right secret")
            return web.Response(status=403, text="Forbidden")
        # Only now, with the secret checked, is the body read: a stranger cannot make us hold one.
        body = await _read_body(request, body_seconds)
        if body is None:
            return _request_timeout()
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except Exception as error:  # not JSON, or not an update
            log.warning("webhook: refused a body that is not an update (%s)", type(error).__name__)
            return web.Response(status=400, text="Bad Request")
        # The Application's own queue: handled in order, as with polling, and answered at once
        # so that Telegram does not wait on our handlers.
        await app.update_queue.put(update)
        return web.Response(status=200)

    return web.post(path, handle)


async def _read_body(request: web.Request, seconds: float) -> bytes | None:
    """The whole body, or None when it did not arrive in time. Over the listener's size cap,
    aiohttp raises 413 (HTTPRequestEntityTooLarge) as it reads, and we let that through."""
    try:
        async with asyncio.timeout(seconds):
            return await request.read()
    except TimeoutError:
        # A body trickled in byte by byte would hold the connection and its buffer for ever.
        log.info("webhook: a body did not arrive within %g s", seconds)
        return None


def _request_timeout() -> web.Response:
    response = web.Response(status=408, text="Request Timeout")
    response.force_close()  # the rest of that body is not worth waiting for
    return response
