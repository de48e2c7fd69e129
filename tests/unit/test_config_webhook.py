"""BOT_MODE, the webhook settings and HEALTH_LISTEN: checked at start, one sentence per mistake."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import ConfigError, Settings, parse_listen
from tests.bot_settings import clear_settings, settings

SECRET = "s3cret_-token-of-32-or-more-chars_x"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clear_settings(monkeypatch)
    monkeypatch.chdir(tmp_path)


def webhook(**values: Any) -> Settings:
    return settings(
        bot_mode="webhook",
        **{"webhook_url": "https://bot.example.org/tg", "webhook_secret": SECRET, **values},
    )


def refusal(**values: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        settings(**values)
    message = caught.value.errors()[0]["msg"]
    assert "\n" not in message
    return message


def test_polling_is_the_default_and_needs_nothing_else() -> None:
    config = settings()
    assert config.bot_mode == "polling"
    assert config.health_address() is None


@pytest.mark.parametrize("raw", ["webhook", "Webhook", " WEBHOOK "])
def test_bot_mode_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("BOT_MODE", raw)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    assert settings().bot_mode == "webhook"


def test_an_unknown_bot_mode_is_refused() -> None:
    assert "BOT_MODE must be polling or webhook" in refusal(bot_mode="push")


def test_webhook_settings_come_together_with_the_path_and_the_default_listener() -> None:
    hook = webhook(webhook_url="https://bot.example.org:8443/telegram/updates").webhook()
    assert hook.url == "https://bot.example.org:8443/telegram/updates"
    assert hook.path == "/telegram/updates"
    assert hook.listen == ("127.0.0.1", 8443)
    assert hook.secret == SECRET


def test_a_url_without_a_path_is_served_at_the_root() -> None:
    assert webhook(webhook_url="https://bot.example.org").webhook().path == "/"


@pytest.mark.parametrize(
    ("missing", "says"),
    [("webhook_url", "needs WEBHOOK_URL"), ("webhook_secret", "needs WEBHOOK_SECRET")],
)
def test_webhook_mode_without_url_or_secret_is_one_sentence(missing: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        webhook(**{missing: ""}).webhook()
    message = str(caught.value)
    assert says in message and "BOT_MODE=webhook" in message
    assert "\n" not in message
    if missing == "webhook_secret":
        assert "secrets.token_urlsafe(32)" in message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("bot.example.org/tg", "must be an https:// URL"),
        ("ftp://bot.example.org/tg", "must be an https:// URL"),
        ("https:///tg", "must be an https:// URL"),
        ("http://bot.example.org/tg", "must use https://"),
        ("https://bot.example.org:9000/tg", "port 443, 80, 88 or 8443"),
        ("https://bot.example.org/healthz", "must not end in /healthz"),
    ],
)
def test_malformed_webhook_urls_are_refused(url: str, says: str) -> None:
    assert says in refusal(webhook_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/tg", "http://localhost:1234/"])
def test_loopback_urls_may_be_plain_http_on_any_port(url: str) -> None:
    # A local Bot API server, the sandbox and the tests post over loopback.
    assert webhook(webhook_url=url).webhook().url == url


@pytest.mark.parametrize("secret", ["x" * 32, "A-z_0-9" * 5, "x" * 256, secrets.token_urlsafe(32)])
def test_secrets_of_the_allowed_characters_and_length_are_accepted(secret: str) -> None:
    assert webhook(webhook_secret=secret).webhook().secret == secret


PAD = "x" * 32  # long enough: these are refused for their characters


@pytest.mark.parametrize(
    "secret",
    [
        "Zq9",
        "x" * 31,
        "a-long-random-string_42",
        "x" * 257,
        f"with space{PAD}",
        f"slash/{PAD}",
        f"ümlaut{PAD}",
        f"semi;colon{PAD}",
        f"{PAD}\n",
    ],
)
def test_malformed_secrets_are_refused_without_being_echoed(secret: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settings(webhook_secret=secret)
    assert "WEBHOOK_SECRET must be 32 to 256 of" in caught.value.errors()[0]["msg"]
    assert secret.strip() not in str(caught.value)


def test_a_refused_secret_is_one_sentence_that_shows_how_to_make_one() -> None:
    message = refusal(webhook_secret="too-short")
    assert message.startswith("Value error, WEBHOOK_SECRET must be 32 to 256 of")
    assert '`python -c "import secrets; print(secrets.token_urlsafe(32))"`' in message
    assert message.count(". ") == 0  # one sentence; the CLI adds the full stop
    # The advice works: what it prints is accepted.
    assert webhook(webhook_secret=secrets.token_urlsafe(32)).webhook()


def test_the_secret_is_hidden_in_the_settings_repr() -> None:
    assert SECRET not in repr(webhook())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("127.0.0.1:8443", ("127.0.0.1", 8443)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("localhost:0", ("localhost", 0)),
        ("[::1]:8080", ("::1", 8080)),
        (" bot-host:9000 ", ("bot-host", 9000)),
    ],
)
def test_listen_addresses_are_host_and_port(raw: str, expected: tuple[str, int]) -> None:
    assert parse_listen(raw, "HEALTH_LISTEN") == expected
    assert settings(health_listen=raw).health_address() == expected
    assert webhook(webhook_listen=raw).webhook().listen == expected


@pytest.mark.parametrize("raw", ["8443", ":8443", "host:", "host:port", "host:70000", "host:-1"])
def test_malformed_listen_addresses_are_refused(raw: str) -> None:
    assert "HEALTH_LISTEN must be host:port" in refusal(health_listen=raw)
    assert "WEBHOOK_LISTEN must be host:port" in refusal(webhook_listen=raw)


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg")
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0:8080")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("HEALTH_LISTEN", "0.0.0.0:9090")
    config = settings()
    assert config.webhook().listen == ("0.0.0.0", 8080)
    assert config.health_address() == ("0.0.0.0", 9090)
