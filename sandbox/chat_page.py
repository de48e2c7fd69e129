"""The browser chat: one HTML page and a small JSON API over a PersonChat, on 127.0.0.1 only.

GET  /            the page (static/chat.html)
GET  /events      server-sent events: the conversation, then every change as it happens
GET  /messages    the conversation now, as JSON
POST /send        {"text": "..."}: the user writes a message
POST /press       {"message_id": 3, "data": "..."}: the user presses an inline button
GET  /files/{id}  a photo the bot sent (shown inline) or a document (offered for download)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox import loopback
from sandbox.chat import Change, PersonChat

PAGE = Path(__file__).resolve().parent / "static" / "chat.html"
_POLL_SECONDS = 0.1
_STATUS_SECONDS = 1.0
_HEARTBEAT_SECONDS = 15.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _change_event(change: Change) -> dict[str, Any]:
    if change.kind in ("message", "edit") and change.entry is not None:
        return {"type": "message", "message": change.entry.to_json()}
    if change.kind == "delete":
        return {"type": "delete", "id": change.message_id}
    return {"type": "notice", "text": change.text}


class ChatPage:
    """An aiohttp server for the browser chat."""

    def __init__(self, chat: PersonChat, status: Callable[[], str] | None = None) -> None:
        self.chat = chat
        self.status = status
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1:``port`` (0 picks a free one). OSError if the port is taken."""
        app = web.Application(middlewares=[self._same_machine_only])
        app.router.add_get("/", self._page)
        app.router.add_get("/events", self._events)
        app.router.add_get("/messages", self._messages)
        app.router.add_post("/send", self._send)
        app.router.add_post("/press", self._press)
        app.router.add_get("/files/{file_id}", self._file)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1)
        await runner.setup()
        try:
            # Loopback only: the page drives a chat with no password in front of it.
            await web.TCPSite(runner, "127.0.0.1", port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _same_machine_only(self, request: web.Request, handler: Handler) -> Any:
        # Only our own host name, and posts only as JSON from our own origin (see loopback).
        posting = request.method == "POST"
        refusal = loopback.refusal(request, self.port, check_origin=posting)
        if refusal is not None:
            raise web.HTTPForbidden(text=refusal.capitalize())
        if posting and request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="Send JSON.")
        return await handler(request)

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(PAGE, headers={"Cache-Control": "no-store"})

    async def _messages(self, request: web.Request) -> web.Response:
        return web.json_response([entry.to_json() for entry in self.chat.entries()])

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
        )
        await response.prepare(request)
        feed = self.chat.feed()
        loop = asyncio.get_running_loop()
        next_status = next_heartbeat = 0.0
        with contextlib.suppress(ConnectionResetError):
            # A reconnecting page starts from scratch: it clears what it has, then gets it all.
            await response.write(_event({"type": "reset"}))
            while not self._closing.is_set():
                for change in feed.changes():
                    await response.write(_event(_change_event(change)))
                now = loop.time()
                if self.status is not None and now >= next_status:
                    await response.write(_event({"type": "status", "text": self.status()}))
                    next_status = now + _STATUS_SECONDS
                if now >= next_heartbeat:
                    await response.write(b": keep-alive\n\n")
                    next_heartbeat = now + _HEARTBEAT_SECONDS
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), _POLL_SECONDS)
        return response

    async def _body(self, request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="The body is not JSON.") from None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="The body must be a JSON object.")
        return body

    async def _send(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        text = body.get("text")
        if not isinstance(text, str):
            raise web.HTTPBadRequest(text='Send {"text": "..."}.')
        try:
            message_id = self.chat.say(text)
        except ValueError as error:
            return web.json_response({"ok": False, "error": str(error)}, status=400)
        return web.json_response({"ok": True, "message_id": message_id})

    async def _press(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        message_id, data = body.get("message_id"), body.get("data")
        if not isinstance(message_id, int) or not isinstance(data, str):
            raise web.HTTPBadRequest(text='Send {"message_id": 3, "data": "..."}.')
        try:
            self.chat.press(message_id, data)
        except ValueError as error:
            return web.json_response({"ok": False, "error": str(error)}, status=400)
        return web.json_response({"ok": True})

    async def _file(self, request: web.Request) -> web.Response:
        found = self.chat.file(request.match_info["file_id"])
        if found is None:
            raise web.HTTPNotFound(text="No such file in this chat.")
        content, name, mime_type = found
        # A photo is shown in the page; anything else is offered for download, never opened.
        disposition = "inline" if mime_type.startswith("image/") else "attachment"
        safe_name = name.replace('"', "").replace("\\", "")
        return web.Response(
            body=content,
            content_type=mime_type,
            headers={
                "Content-Disposition": f'{disposition}; filename="{safe_name}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
            },
        )
