"""The same-machine checks of the sandbox's two servers (the fake Bot API and the chat page).

Both listen on 127.0.0.1, but a web page open in the same browser can still reach them: through
DNS rebinding (a hostile name that resolves to 127.0.0.1, so the page may read the answers) or a
form posted across sites (blind, but enough to call setWebhook). The first shows in the Host
header, the second in the Origin header; a client like PTB sends our Host and no Origin.
"""

from __future__ import annotations

from aiohttp import web


def own_origins(port: int) -> frozenset[str]:
    """The origins of a sandbox server on ``port``: its own, under either loopback name."""
    return frozenset({f"http://127.0.0.1:{port}", f"http://localhost:{port}"})


def refusal(request: web.Request, port: int, *, check_origin: bool) -> str | None:
    """Why the request must be refused (one sentence), or None to serve it."""
    if f"http://{request.host.lower()}" not in own_origins(port):
        return "the sandbox answers on 127.0.0.1 only."
    origin = request.headers.get("Origin")
    if check_origin and origin is not None and origin.lower() not in own_origins(port):
        return "cross-site request refused."
    return None
