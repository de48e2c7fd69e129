"""PTB's HTTP transport over aiohttp: the same Bot API calls at a fraction of httpx's CPU.

PTB 22's default transport, httpx, costs about 1.3 ms of CPU per sendMessage on our machines and
tops out near 700 calls a second, below Telegram's paid-broadcast cap of 1000/s. `BaseRequest` is
PTB's documented place for another transport; this one keeps one aiohttp session per instance.

Errors are mapped the way PTB maps httpx's, and the cause is kept, so that
`scheduler.outcomes.classify` can tell a call that provably never left this machine (a refused
connection, a connect or pool timeout: safe to retry) from one that may have reached Telegram (a
read timeout, a dropped connection: never retried, so a reminder is never doubled).
"""

from __future__ import annotations

import json
from typing import Final
from urllib.request import getproxies

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_JSON_HEADERS: Final = {"User-Agent": BaseRequest.USER_AGENT, "Content-Type": "application/json"}
_PLAIN_HEADERS: Final = {"User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` over one `aiohttp.ClientSession`, created in `initialize`.

    The timeouts mean what they mean for PTB's `HTTPXRequest`, with one difference: aiohttp has
    no timeout for writing the request, so `write_timeout` only adds to an overall bound on the
    call (connect, write and read together).
    """

    __slots__ = (
        "_connect_timeout",
        "_connection_pool_size",
        "_default_timeout",
        "_media_write_timeout",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._connection_pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        # Built once: most calls use the defaults, and a ClientTimeout per call is wasted work.
        self._default_timeout = _client_timeout(
            read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        # PTB adds getUpdates' long-poll timeout to this one.
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is not None and not self._session.closed:
            return
        # Created here, not in __init__: a session belongs to the running event loop.
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self._connection_pool_size),
            timeout=self._default_timeout,
            # The Bot API sets no cookies; a real jar would only cost CPU on every answer.
            cookie_jar=aiohttp.DummyCookieJar(),
            # Like httpx (PTB's default), honour HTTPS_PROXY and friends from the environment;
            # but only when one is set, because aiohttp then asks a worker thread for the proxy
            # and the netrc file on every call, two thread hops that cost more than the call.
            trust_env=bool(getproxies()),
        )

    async def shutdown(self) -> None:
        if self._session is None or self._session.closed:
            return
        await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        timeout = self._timeout_for(
            read_timeout, write_timeout, connect_timeout, pool_timeout, uploads=uploads
        )
        body: bytes | aiohttp.FormData | None = None
        headers = _PLAIN_HEADERS
        if request_data is not None:
            if uploads:
                body = _multipart(request_data)
            else:
                # Telegram takes JSON bodies; one json.dumps is cheaper than urlencoding a form.
                body = json.dumps(request_data.json_parameters).encode()
                headers = _JSON_HEADERS
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            # Raised while waiting for a pooled connection or for the TCP connect: nothing sent.
            raise TimedOut("Connect timeout: the request was *not* sent to Telegram") from error
        except TimeoutError as error:
            # A read timeout (or the overall bound): the request may have reached Telegram.
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # The class name helps when the message is empty, as PTB does for httpx.
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout_for(
        self,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: ODVInput[float],
        *,
        uploads: bool,
    ) -> aiohttp.ClientTimeout:
        default = DefaultValue
        if not uploads and all(
            isinstance(value, default)
            for value in (read_timeout, write_timeout, connect_timeout, pool_timeout)
        ):
            return self._default_timeout
        write_default = self._media_write_timeout if uploads else self._write_timeout
        return _client_timeout(
            self._read_timeout if isinstance(read_timeout, default) else read_timeout,
            write_default if isinstance(write_timeout, default) else write_timeout,
            self._connect_timeout if isinstance(connect_timeout, default) else connect_timeout,
            self._pool_timeout if isinstance(pool_timeout, default) else pool_timeout,
        )


def _client_timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for PTB's four.

    aiohttp's `connect` covers waiting for a pooled connection and connecting, so it is the pool
    timeout plus the connect timeout; `sock_connect` is the connect timeout alone; `sock_read`
    bounds each wait for the answer. `total` bounds the whole call, which is the only bound aiohttp
    offers on writing the request.
    """
    parts = (read, write, connect, pool)
    total = None if any(part is None for part in parts) else sum(p for p in parts if p)
    connect_and_pool = None if connect is None else connect + (pool or 0.0)
    return aiohttp.ClientTimeout(
        total=total, connect=connect_and_pool, sock_connect=connect, sock_read=read
    )


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """A multipart/form-data body with the parameters and the files, as Telegram wants uploads."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (file_name, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form
