"""The image's HEALTHCHECK (docker/healthcheck.py) probes where the bot's health listener is."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "docker" / "healthcheck.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docker_healthcheck", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        ({"HEALTH_LISTEN": "127.0.0.1:8080"}, "http://127.0.0.1:8080/healthz"),
        # A listener on every address is probed on the container's loopback.
        ({"HEALTH_LISTEN": "0.0.0.0:9000"}, "http://127.0.0.1:9000/healthz"),
        ({"HEALTH_LISTEN": "[::]:9000"}, "http://[::1]:9000/healthz"),
        ({"HEALTH_LISTEN": "[::1]:9000"}, "http://[::1]:9000/healthz"),
        # Webhook mode without one: the webhook listener answers /healthz too.
        ({"HEALTH_LISTEN": "", "BOT_MODE": "webhook"}, "http://127.0.0.1:8443/healthz"),
        (
            {"BOT_MODE": "Webhook", "WEBHOOK_LISTEN": "0.0.0.0:8443"},
            "http://127.0.0.1:8443/healthz",
        ),
        # Both: HEALTH_LISTEN, as the bot serves it in either mode.
        (
            {"HEALTH_LISTEN": "127.0.0.1:8081", "BOT_MODE": "webhook"},
            "http://127.0.0.1:8081/healthz",
        ),
        ({"HEALTH_LISTEN": " "}, None),
        ({}, None),
    ],
)
def test_probe_url_follows_the_bots_settings(environ: dict[str, str], url: str | None) -> None:
    assert load().probe_url(environ) == url
