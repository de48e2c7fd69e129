"""The image's HEALTHCHECK: GET /healthz on the bot's own health listener; exit 0 when it says 200.

Docker runs it inside the container every interval, so it reads the same HEALTH_LISTEN the bot
does (in webhook mode without one, WEBHOOK_LISTEN, which answers /healthz too) and probes it on
the container's loopback. Standard library only: it starts in a few milliseconds and imports
nothing of the bot's. What it prints is kept by Docker (`docker inspect`, .State.Health.Log):
the probe's answer, which says nothing about any user.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

HEALTH_PATH = "/healthz"
# Below the HEALTHCHECK's --timeout, so that a slow answer is reported as such, not killed.
TIMEOUT_SECONDS = 4.0
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8443"
# A listener on every address is probed on loopback, of the same family.
WILDCARDS = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}


def probe_url(environ: dict[str, str]) -> str | None:
    """The URL to probe, or None when the bot has no health listener."""
    listen = environ.get("HEALTH_LISTEN", "").strip()
    if not listen and environ.get("BOT_MODE", "").strip().lower() == "webhook":
        listen = environ.get("WEBHOOK_LISTEN", "").strip() or DEFAULT_WEBHOOK_LISTEN
    if not listen:
        return None
    host, _, port = listen.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    host = WILDCARDS.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}{HEALTH_PATH}"


def main() -> int:
    url = probe_url(dict(os.environ))
    if url is None:
        print("HEALTH_LISTEN is empty: the bot has no health listener to probe.")
        return 1
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            print(response.read().decode("utf-8", "replace"))
            return 0
    except urllib.error.HTTPError as error:  # 503: the database does not answer
        print(f"{error.code}: {error.read().decode('utf-8', 'replace')}")
    except (OSError, ValueError) as error:  # refused (not started yet, or gone), timed out
        print(f"{url}: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
