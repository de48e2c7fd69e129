"""Command line: `python -m bot` runs the bot; `python -m bot migrate` applies migrations;
`python -m bot sandbox` runs it against a fake Telegram on 127.0.0.1, with no token."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from bot.config import ConfigError, Settings
from bot.logs import configure_logging
from storage.migrate import upgrade

EXIT_CONFIG = 2


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise ConfigError(f"{name} is not valid: {first['msg']}.") from None


def _prepare_database(settings: Settings) -> None:
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # Before PTB's loop starts: Alembic must not run inside a loop that is already running.
    asyncio.run(upgrade(settings.database_url))


def run() -> None:
    from bot.app import build_application

    settings = _load_settings()
    token = settings.token()
    configure_logging(settings.log_level, secrets=[token])
    _prepare_database(settings)
    build_application(settings).run_polling()


def migrate() -> None:
    settings = _load_settings()
    configure_logging(settings.log_level)
    _prepare_database(settings)
    print("Database is up to date.")


def main(argv: list[str] | None = None) -> int:
    args_given = sys.argv[1:] if argv is None else argv
    if args_given[:1] == ["sandbox"]:
        # Its own flags and --help; imported only here: `bot -> sandbox` only in this command.
        from bot.sandbox_session import main as sandbox_main

        return sandbox_main(args_given[1:])
    parser = argparse.ArgumentParser(prog="python -m bot", description="isobot")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "migrate", "sandbox"],
        help="sandbox: try the bot with no token (python -m bot sandbox --help)",
    )
    args = parser.parse_args(args_given)
    try:
        {"run": run, "migrate": migrate}[args.command]()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
