"""A fake Telegram Bot API server on 127.0.0.1, as strict as Telegram.

A real PTB Application talks to it over HTTP (``ApplicationBuilder().base_url(fake.base_url)``);
tests, or a person through ``python -m bot sandbox``, play the people (``send_text``,
``press_button``, ``send_group_text``... from sandbox.people), read what the bot did with
``messages`` and ``calls``, and inject faults. The driving and observing methods are plain
functions for the event loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web

from sandbox import loopback
from sandbox.errors import ApiError
from sandbox.faults import FaultPlan, RateLimiter
from sandbox.methods import Methods
from sandbox.params import Params, read_params
from sandbox.people import People
from sandbox.state import BotMessage, Call, World, callback_buttons

T = TypeVar("T")

# Telegram's limit for a file a bot sends is 50 MB (sandbox/media.py); the request around it
# may be a little larger.
_MAX_UPLOAD = 51 * 1024 * 1024
_POLL_INTERVAL = 0.01
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def random_token() -> str:
    """A token shaped like BotFather's (bot id, colon, 35 URL-safe characters), new each run:
    a page in the browser cannot guess its way into the fake's API."""
    bot_id = 1_000_000_000 + secrets.randbelow(9_000_000_000)
    return f"{bot_id}:{secrets.token_urlsafe(26)}"


class FakeBotApi(People):
    """The fake Bot API: an aiohttp server, the people who drive it (``People``) and the handles
    to observe it. Without a ``token`` it makes a random one, read back from ``.token``."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "isobot_test_bot",
        enforce_rate_limits: bool = False,
        global_per_second: int = 30,
        per_chat_interval: float = 1.0,
        group_per_minute: int = 20,
        group_privacy: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token if token is not None else random_token()
        self.bot_username = bot_username
        self.port = 0
        self.calls: list[Call] = []
        self._clock = clock
        bot_id_text = self.token.split(":", 1)[0]
        bot_user = {
            "id": int(bot_id_text) if bot_id_text.isdigit() else 123456,
            "is_bot": True,
            "first_name": "isobot",
            "username": bot_username,
        }
        super().__init__(World(bot_user, clock), FaultPlan())
        self._world.group_privacy = group_privacy
        limiter = RateLimiter(
            clock,
            global_per_second=global_per_second,
            per_chat_interval=per_chat_interval,
            group_per_minute=group_per_minute,
        )
        self._methods = Methods(
            self._world, self._faults, limiter, enforce_rate_limits=enforce_rate_limits
        )
        self._runner: web.AppRunner | None = None
        self._stopped: asyncio.Event | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What PTB's base_url wants; PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host``:``port``; port 0 picks a free one (read it from ``self.port``)."""
        if self._runner is not None:
            raise RuntimeError("the fake Bot API is already running")
        if host not in _LOOPBACK_HOSTS:
            # It serves a bot token and people's messages without TLS: never beyond this machine.
            raise ValueError(f"the fake Bot API listens on 127.0.0.1 only, not {host!r}")
        self._stopped = asyncio.Event()
        self._methods.stopping = False
        app = web.Application(client_max_size=_MAX_UPLOAD, middlewares=[self._same_machine_only])
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        # No access log: request lines carry the token. A client that goes away cancels its
        # handler, so an abandoned long poll does not linger.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Answer waiting long polls and hangs, then close the server."""
        if self._runner is None:
            return
        if self._stopped is not None:
            self._stopped.set()
        await self._methods.shutdown()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- HTTP ----------------------------------------------------------------------------------

    @web.middleware
    async def _same_machine_only(self, request: web.Request, handler: Handler) -> Any:
        # A page elsewhere in the same browser can reach 127.0.0.1: a form posted across sites
        # (setWebhook to anywhere), or DNS rebinding (reading the files the bot sent). Neither
        # carries what PTB sends: our own Host and no Origin.
        refusal = loopback.refusal(request, self.port, check_origin=True)
        if refusal is not None:
            return web.json_response(ApiError(403, f"Forbidden: {refusal}").payload(), status=403)
        return await handler(request)

    def _token_matches(self, request: web.Request) -> bool:
        # In constant time: the token is all that keeps another local program out.
        return hmac.compare_digest(request.match_info["token"].encode(), self.token.encode())

    async def _handle_api(self, request: web.Request) -> web.Response:
        at = self._clock()
        name = request.match_info["method"]
        if not self._token_matches(request):
            return self._answer(name, None, ApiError(401, "Unauthorized"), at)
        method = self._methods.canonical(name)
        if method is None:
            return self._answer(name, None, ApiError(404, "Not Found"), at)
        try:
            params = await read_params(request)
        except ApiError as exc:
            return self._answer(method, None, exc, at)
        chat_id = params.chat_id()
        delay = self._faults.delay_for(self._chat_of(method, params, chat_id))
        if delay:
            # A slow chat: the call takes effect, and is answered, only after the delay.
            await self._sleep(delay)
        injected = self._faults.take_error(method, chat_id)
        if injected is not None:
            return self._answer(method, params, injected, at)
        hang = self._faults.take_hang(method, chat_id)
        if hang is not None and not hang.then_apply:
            # The call has no effect; a client patient enough gets a 502 (nothing was sent).
            response = self._answer(method, params, ApiError(502, "Bad Gateway"), at)
            await self._sleep(hang.hang_seconds)
            return response
        try:
            outcome: Any = await self._methods.call(method, params)
        except ApiError as exc:
            outcome = exc
        response = self._answer(method, params, outcome, at)
        if hang is not None:
            # Applied already: the message exists even though the client gave up waiting.
            await self._sleep(hang.hang_seconds)
        return response

    def _chat_of(self, method: str, params: Params, chat_id: int | None) -> int | None:
        """The chat a call is about: its chat_id, or for a callback answer the pressed one's."""
        if chat_id is not None or method != "answerCallbackQuery":
            return chat_id
        query = self._world.callbacks.get(params.get_str("callback_query_id") or "")
        return query.chat_id if query is not None else None

    async def _handle_file(self, request: web.Request) -> web.Response:
        if not self._token_matches(request):
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        path = request.match_info["path"]
        for document in self._world.files.values():
            if document["file_path"] == path:
                return web.Response(
                    body=document["content"],
                    content_type=document["mime_type"] or "application/octet-stream",
                )
        return web.json_response(ApiError(404, "Not Found").payload(), status=404)

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").payload(), status=404)

    def _answer(self, method: str, params: Params | None, outcome: Any, at: float) -> web.Response:
        """Record the call and build Telegram's reply."""
        recorded = params.for_record() if params is not None else {}
        if isinstance(outcome, ApiError):
            self.calls.append(
                Call(method, recorded, False, outcome.status, outcome.description, None, at)
            )
            return web.json_response(outcome.payload(), status=outcome.status)
        self.calls.append(Call(method, recorded, True, 200, None, outcome, at))
        return web.json_response({"ok": True, "result": outcome})

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the server stops."""
        if self._stopped is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    # -- observing -----------------------------------------------------------------------------

    def calls_to(
        self, method: str, chat_id: int | None = None, *, ok: bool | None = True
    ) -> list[Call]:
        """Calls of ``method`` (any case), optionally to one chat and by outcome (None: any)."""
        wanted = method.lower()
        return [
            call
            for call in self.calls
            if call.method.lower() == wanted
            and (chat_id is None or call.params.get("chat_id") == chat_id)
            and (ok is None or call.ok == ok)
        ]

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in that chat as they are now: edits applied, deletions gone."""
        chat = self._world.chats.get(chat_id)
        if chat is None:
            return []
        return [m.snapshot() for m in chat.messages.values() if m.from_bot]

    def conversation(self, chat_id: int) -> list[BotMessage]:
        """Every message in that chat, the user's too, in order, as they are now."""
        chat = self._world.chats.get(chat_id)
        return [m.snapshot() for m in chat.messages.values()] if chat is not None else []

    def document_content(self, file_id: str) -> bytes | None:
        """The bytes of a document the bot sent, as a client would download them."""
        document = self._world.files.get(file_id)
        return document["content"] if document is not None else None

    def last_message(self, chat_id: int) -> BotMessage | None:
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def buttons(self, message: BotMessage) -> list[tuple[str, str]]:
        """(text, callback_data) of the message's inline callback buttons, row by row."""
        return callback_buttons(message.reply_markup)

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 10.0,  # noqa: ASYNC109 - the public API others code against
    ) -> T:
        """Poll ``predicate`` until it returns something truthy, and return that."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if loop.time() >= deadline:
                name = getattr(predicate, "__qualname__", repr(predicate))
                raise TimeoutError(
                    f"wait_for({name}) still false after {timeout}s. {self._recent_calls()}"
                )
            await asyncio.sleep(_POLL_INTERVAL)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the public API others code against
    ) -> list[BotMessage]:
        """Wait until the bot has at least ``count`` messages in that chat; return them all."""
        try:
            return await self.wait_for(
                lambda: m if len(m := self.messages(chat_id)) >= count else None, timeout
            )
        except TimeoutError:
            texts = [m.text[:80] for m in self.messages(chat_id)]
            raise TimeoutError(
                f"chat {chat_id} has {len(texts)} bot message(s), wanted {count}, after "
                f"{timeout}s: {texts!r}. {self._recent_calls()}"
            ) from None

    def _recent_calls(self, count: int = 8) -> str:
        recent = [
            f"{c.method} {c.status}{' ' + c.description if c.description else ''}"
            for c in self.calls
            if c.method != "getUpdates" or not c.ok
        ][-count:]
        return f"Last API calls (getUpdates left out): {recent!r}"

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet: 0 once it fetched them all and polled again."""
        return len(self._world.updates)

    def confirmed_callback(self, query_id: str) -> bool:
        """Whether the bot has confirmed the update carrying that button press: a bot that
        confirms an update once it has been handled has then made every call it makes for it."""
        return not any(p["id"] == query_id for p in self._pending("callback_query"))

    def confirmed_message(self, message: dict[str, Any]) -> bool:
        """Whether the bot has confirmed the update carrying that message of a user's."""
        return not any(
            p["message_id"] == message["message_id"] and p["chat"]["id"] == message["chat"]["id"]
            for p in self._pending("message")
        )

    def _pending(self, kind: str) -> list[dict[str, Any]]:
        return [update[kind] for update in self._world.updates.pending if kind in update]

    def answered_callbacks(self) -> dict[str, dict[str, Any]]:
        """Callback query id -> the answerCallbackQuery parameters, for answered queries."""
        return {
            query_id: dict(query.answer)
            for query_id, query in self._world.callbacks.items()
            if query.answer is not None
        }

    @property
    def rate_limit_hits(self) -> int:
        """429s produced by the rate limiter (injected faults not included)."""
        return self._methods.rate_limit_hits

    @property
    def enforce_rate_limits(self) -> bool:
        """Whether Telegram's sending limits are applied; can be switched at any time."""
        return self._methods.enforce_rate_limits

    @enforce_rate_limits.setter
    def enforce_rate_limits(self, on: bool) -> None:
        self._methods.enforce_rate_limits = on

    @property
    def group_privacy(self) -> bool:
        """Privacy mode (on, as for every new bot): in groups the bot gets only commands not
        addressed to another bot, mentions of itself and replies to its messages."""
        return self._world.group_privacy

    @group_privacy.setter
    def group_privacy(self, on: bool) -> None:
        self._world.group_privacy = on

    # -- faults --------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id`` if given) fail with no effect."""
        self._faults.add_error(
            method, status, description, retry_after=retry_after, times=times, chat_id=chat_id
        )

    def hang_next(
        self,
        method: str,
        seconds: float,
        *,
        times: int = 1,
        chat_id: int | None = None,
        then_apply: bool = False,
    ) -> None:
        """Delay the answer to the next calls; with ``then_apply`` they take effect anyway."""
        self._faults.add_hang(method, seconds, times=times, chat_id=chat_id, then_apply=then_apply)

    def slow_chat(self, chat_id: int, seconds: float) -> None:
        """Every later call about ``chat_id`` (sends, edits, callback answers) waits ``seconds``
        before it takes effect and is answered, as on a slow path to one chat; 0 ends it."""
        self._faults.slow_chat(chat_id, seconds)

    def clear_faults(self) -> None:
        """Disarm the errors and hangs armed so far, used or not: an outage ends."""
        self._faults.clear()
