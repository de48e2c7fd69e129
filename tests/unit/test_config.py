"""Settings from the environment: lenient where people type by hand, errors that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import (
    DEFAULT_API_BASE_URL,
    DEFAULT_DATABASE_URL,
    ConfigError,
    Settings,
    async_database_url,
)
from tests.bot_settings import clear_settings, settings

GOOD_TOKEN = "123456789:AAEhBP0av28_example-Token_abcdefghij"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the machine running the tests, nor from a stray .env."""
    clear_settings(monkeypatch)
    monkeypatch.chdir(tmp_path)


# ADMIN_IDS --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123, 456", frozenset({123, 456})),
        ("123,456", frozenset({123, 456})),
        (" 123 ,\t456 ", frozenset({123, 456})),
        ("99999999999999999999", frozenset({99_999_999_999_999_999_999})),
        ("123", frozenset({123})),
        ("123,123", frozenset({123})),
        ("", frozenset()),
        ("  ", frozenset()),
    ],
)
def test_admin_ids_are_read_from_a_comma_separated_env_var(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: frozenset[int]
) -> None:
    monkeypatch.setenv("ADMIN_IDS", raw)
    assert settings().admin_ids == expected


def test_admin_ids_default_to_an_empty_set() -> None:
    assert settings().admin_ids == frozenset()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123, 456", frozenset({123, 456})),
        (789, frozenset({789})),
        ([1, 2], frozenset({1, 2})),
    ],
)
def test_admin_ids_passed_directly(value: object, expected: frozenset[int]) -> None:
    assert settings(admin_ids=value).admin_ids == expected


@pytest.mark.parametrize(
    ("raw", "bad"),
    [
        ("abc", "'abc'"),
        ("123, abc", "'abc'"),
        ("12.5", "'12.5'"),
        ("123;456", "'123;456'"),
        ("-5", "'-5'"),
        ("0", "'0'"),
        ("+7", "'+7'"),
        ("1_000", "'1_000'"),
        ("0123", "'0123'"),
        ("١٢٣", "'١٢٣'"),  # Arabic-Indic digits: int() would take them
        ("１２３", "'１２３'"),  # fullwidth digits, likewise
        ("123456789012345678901", "'123456789012345678901'"),  # 21 digits
        ("1 2", "'1 2'"),
        ("1,,2", "entry 2 is empty"),
        ("1,", "entry 2 is empty"),
        (",1", "entry 1 is empty"),
        ("1, ,2", "entry 2 is empty"),
    ],
)
def test_malformed_admin_ids_are_refused_naming_the_entry(
    monkeypatch: pytest.MonkeyPatch, raw: str, bad: str
) -> None:
    monkeypatch.setenv("ADMIN_IDS", raw)
    with pytest.raises(ValidationError) as caught:
        settings()
    error = caught.value.errors()[0]
    assert error["loc"] == ("admin_ids",)
    message = error["msg"].removeprefix("Value error, ")
    assert message.startswith("ADMIN_IDS must be Telegram user ids separated by commas")
    assert bad in message
    assert "\n" not in message


@pytest.mark.parametrize("value", [0, -5, [1, 0], {1, -2}, True])
def test_admin_ids_passed_directly_follow_the_same_rule(value: object) -> None:
    with pytest.raises(ValidationError, match="ADMIN_IDS must be Telegram user ids"):
        settings(admin_ids=value)


# DATABASE_URL -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://bot:pw@db:5432/isobot", "postgresql+asyncpg://bot:pw@db:5432/isobot"),
        ("postgres://bot:pw@db/isobot", "postgresql+asyncpg://bot:pw@db/isobot"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite:////var/lib/isobot/x.db", "sqlite+aiosqlite:////var/lib/isobot/x.db"),
        ("postgresql+asyncpg://db/isobot", "postgresql+asyncpg://db/isobot"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_url_gets_its_async_driver(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: str
) -> None:
    assert settings(database_url=raw).database_url == expected
    monkeypatch.setenv("DATABASE_URL", raw)
    assert settings().database_url == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("mysql://root@db/isobot", "sqlite:// or postgresql://"),
        ("oracle://db", "sqlite:// or postgresql://"),
        ("isobot.sqlite3", "not a URL"),
        ("", "not a URL"),
    ],
)
def test_unsupported_database_urls_are_refused(raw: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        settings(database_url=raw)
    assert caught.value.errors()[0]["loc"] == ("database_url",)
    with pytest.raises(ConfigError, match=says):
        async_database_url(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "postgresql://u:p%40ss@db:5433/isobot?sslmode=require",
            "postgresql+asyncpg://u:p%40ss@db:5433/isobot?ssl=require",
        ),
        (
            "postgres://db/isobot?application_name=bot&sslmode=verify-full",
            "postgresql+asyncpg://db/isobot?application_name=bot&ssl=verify-full",
        ),
        (
            "postgresql+asyncpg://db/isobot?sslmode=disable",
            "postgresql+asyncpg://db/isobot?ssl=disable",
        ),
        # asyncpg's own name wins when both are given.
        (
            "postgresql://db/isobot?sslmode=disable&ssl=require",
            "postgresql+asyncpg://db/isobot?ssl=require",
        ),
        ("postgresql://db/isobot?ssl=prefer", "postgresql+asyncpg://db/isobot?ssl=prefer"),
    ],
)
def test_libpq_sslmode_becomes_asyncpg_ssl(raw: str, expected: str) -> None:
    # pg_dump and psql take `sslmode` and refuse `ssl`; asyncpg refuses `sslmode`.
    assert settings(database_url=raw).database_url == expected


def test_an_unknown_sslmode_is_refused_without_echoing_the_url() -> None:
    with pytest.raises(ConfigError) as caught:
        async_database_url("postgresql://u:secret-pw@db/isobot?sslmode=required")
    assert str(caught.value) == (
        "DATABASE_URL's sslmode must be disable, allow, prefer, require, verify-ca or verify-full"
    )


def test_a_missing_token_names_the_env_file_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        settings().token()
    assert f"in {tmp_path / '.env'} (which does not exist yet)," in str(caught.value)
    (tmp_path / ".env").write_text("LOG_LEVEL=INFO\n")
    with pytest.raises(ConfigError) as caught:
        settings().token()
    assert f"in {tmp_path / '.env'}, or try" in str(caught.value)


def test_default_database_is_a_sqlite_file_under_data() -> None:
    config = settings()
    assert config.database_url == DEFAULT_DATABASE_URL
    assert config.database_url.startswith("sqlite+aiosqlite:///")
    assert config.sqlite_path() == Path("data/isobot.sqlite3")


# sqlite_path ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///x.db", Path("x.db")),
        ("sqlite:////srv/isobot/x.db", Path("/srv/isobot/x.db")),
        ("sqlite+aiosqlite:///data/x.db?timeout=5", Path("data/x.db")),
        ("sqlite+aiosqlite:///:memory:", None),
        ("sqlite+aiosqlite://", None),
        ("postgresql://db/isobot", None),
    ],
)
def test_sqlite_path_is_the_database_file_or_none(url: str, path: Path | None) -> None:
    assert settings(database_url=url).sqlite_path() == path


# token() ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_missing_token_says_how_to_try_the_bot_without_one(raw: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(telegram_bot_token=raw).token()
    message = str(caught.value)
    assert "TELEGRAM_BOT_TOKEN is not set" in message
    assert "`python -m bot sandbox`" in message
    assert "\n" not in message


def test_missing_token_from_the_environment_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    with pytest.raises(ConfigError, match="python -m bot sandbox"):
        settings().token()


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "123456789",
        "123456789:",
        "123456789:short",
        ":AAEhBP0av28exampleToken",
        "bot123456789:AAEhBP0av28exampleToken",
        "123456789:AAEhBP0av28 exampleToken",
        "123456789:AAEhBP0av28/exampleToken",
        "123456789:AAEhBP0av28exampleToken\nLOG_LEVEL=DEBUG",
    ],
)
def test_malformed_token_is_a_config_error_that_does_not_echo_it(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(telegram_bot_token=raw).token()
    message = str(caught.value)
    assert "does not look like a token" in message
    assert "python -m bot sandbox" in message
    assert raw.strip() not in message


def test_good_token_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(telegram_bot_token=GOOD_TOKEN).token() == GOOD_TOKEN
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", f"  {GOOD_TOKEN}\n")
    assert settings().token() == GOOD_TOKEN


def test_token_is_hidden_in_the_settings_repr() -> None:
    config = settings(telegram_bot_token=GOOD_TOKEN)
    assert GOOD_TOKEN not in repr(config)
    assert GOOD_TOKEN not in str(config)


# base_file_url() --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "files"),
    [
        (DEFAULT_API_BASE_URL, "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("http://127.0.0.1:8081/bot{token}", "http://127.0.0.1:8081/file/bot{token}"),
        ("https://bot.example.org/tg/bot{token}", "https://bot.example.org/tg/file/bot{token}"),
    ],
)
def test_base_file_url_goes_with_the_api_base_url(
    monkeypatch: pytest.MonkeyPatch, api: str, files: str
) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api)
    assert settings().base_file_url() == files


def test_default_api_base_url_is_telegrams() -> None:
    config = settings()
    assert config.telegram_api_base_url == "https://api.telegram.org/bot"
    assert config.base_file_url() == "https://api.telegram.org/file/bot"


# LOG_LEVEL --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("DEBUG", "DEBUG"),
        ("debug", "DEBUG"),
        (" Warning ", "WARNING"),
        ("error", "ERROR"),
        ("CRITICAL", "CRITICAL"),
    ],
)
def test_log_level_is_normalised(monkeypatch: pytest.MonkeyPatch, raw: str, level: str) -> None:
    monkeypatch.setenv("LOG_LEVEL", raw)
    assert settings().log_level == level


def test_log_level_defaults_to_info() -> None:
    assert settings().log_level == "INFO"


@pytest.mark.parametrize("raw", ["verbose", "", "NOTSET", "10", "WARN", "FATAL"])
def test_unknown_log_levels_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="LOG_LEVEL must be DEBUG, INFO, WARNING"):
        settings(log_level=raw)


# Bounds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("dose_grace_minutes", -1),
        ("dose_grace_minutes", 721),
        ("follow_up_minutes", 4),
        ("tick_seconds", 0),
        ("send_rate_per_second", 0),
        ("telegram_timeout_seconds", 121),
    ],
)
def test_out_of_range_numbers_are_refused(name: str, value: float) -> None:
    with pytest.raises(ValidationError):
        settings(**{name: value})


def test_numbers_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSE_GRACE_MINUTES", "90")
    monkeypatch.setenv("TICK_SECONDS", "2.5")
    config = settings()
    assert config.dose_grace_minutes == 90
    assert config.tick_seconds == 2.5


def test_a_dotenv_file_is_read_from_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nADMIN_IDS=5, 6\n")
    config = Settings()
    assert config.token() == GOOD_TOKEN
    assert config.admin_ids == frozenset({5, 6})


def test_environment_variables_win_over_the_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n")
    monkeypatch.setenv("LOG_LEVEL", "error")
    assert Settings().log_level == "ERROR"
