"""Command line, as `isobot` (the console script) or `python -m bot`: no command runs the bot;
`migrate` applies migrations; `sandbox` runs it against a fake Telegram on 127.0.0.1, no token."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.config import ConfigError, Settings
from bot.logs import configure_logging
from bot.startup_errors import StartupError
from storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.services import IsobotApp

EXIT_CONFIG = 2


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        # Our validators' messages already name the setting and say what it must be.
        reason = first["msg"].removeprefix("Value error, ")
        if reason.startswith(name):
            raise ConfigError(f"{reason}.") from None
        raise ConfigError(f"{name} is not valid: {reason}.") from None


def _prepare_database(settings: Settings) -> None:
    # A SQLite file and its folder are created on first connection, private (0600 and 0700):
    # see storage/private_files.py. Before PTB's loop starts: Alembic must not run inside a
    # loop that is already running.
    asyncio.run(upgrade(settings.database_url))


def run() -> None:
    from bot.app import build_application
    from bot.telegram_check import serve_when_reachable

    settings = _load_settings()
    token = settings.token()
    secrets = [token]
    if settings.bot_mode == "webhook":
        secrets.append(settings.webhook().secret)  # ConfigError before the database is touched
    configure_logging(settings.log_level, secrets=secrets)
    _prepare_database(settings)
    app = build_application(settings)
    # Serves once Telegram has answered; otherwise StartupError (bot/telegram_check.py).
    asyncio.run(serve_when_reachable(app, settings, _serve))


async def _serve(app: IsobotApp) -> None:
    """The main loop, in both modes, until SIGINT or SIGTERM. Not run_polling, whose Updater
    confirms updates before they are handled (bot/polling.py), nor run_webhook, which brings
    PTB's own server (bot/webhook.py)."""
    from bot.app import running

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(app):
        await stop.wait()


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
    parser = argparse.ArgumentParser(prog="isobot", description="isobot")
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
    except StartupError as error:
        print(error, file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
