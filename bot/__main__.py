"""Command line, as `isobot` (the console script) or `python -m bot`: no command runs the bot;
`migrate` applies migrations; `sandbox` runs it against a fake Telegram on 127.0.0.1, no token."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.config import ConfigError, Settings
from bot.logs import configure_logging
from bot.startup_errors import EXIT_DATABASE, StartupError
from storage.db import masked_url
from storage.migrate import DatabaseUnavailable, upgrade, wait_for_database

if TYPE_CHECKING:
    from bot.services import IsobotApp

EXIT_CONFIG = 2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

COMMANDS_HELP = """\
commands:
  run       run the bot (the default); needs TELEGRAM_BOT_TOKEN
  migrate   bring the database in DATABASE_URL to the newest schema, then exit
  sandbox   try the bot with no token, against a fake Telegram on 127.0.0.1
            ({prog} sandbox --help for its flags)

Settings come from the environment and from .env in the working directory (README.md).
Exit status: 0 stopped, 1 a crash, 2 a setting, 3 Telegram unreachable, 4 token refused,
5 the database, 6 a listener's port."""


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


def _prepare_database(settings: Settings) -> bool:
    """Migrate the database; False when a stop signal came while waiting for it. StartupError
    when it cannot be used.

    A SQLite file and its folder are created on first connection, private (0600 and 0700):
    see storage/private_files.py. Before PTB's loop starts: Alembic must not run inside a
    loop that is already running.
    """
    return asyncio.run(_reach_and_upgrade(settings))


async def _reach_and_upgrade(settings: Settings) -> bool:
    url = settings.database_url
    try:
        # Its own connection first, so that a database that cannot be used is one sentence,
        # while a failing migration keeps its traceback: that one is a bug, not a setting.
        reached = await _unless_stopped(wait_for_database(url, settings.database_wait_seconds))
    except DatabaseUnavailable as error:
        raise StartupError(_database_sentence(error, url), EXIT_DATABASE) from None
    if reached:
        await upgrade(url)
    return reached


async def _unless_stopped(step: Awaitable[None]) -> bool:
    """Run `step`; False if SIGINT or SIGTERM came first. While waiting for a database, a stop
    must not wait for the patience to run out: as a container's PID 1 with no handler, the
    process would ignore `docker stop`'s SIGTERM."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(step)
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        return False
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
    return True


def _database_sentence(error: DatabaseUnavailable, url: str) -> str:
    where = f"The database in DATABASE_URL ({masked_url(url)})"
    if error.transient:
        tried = f" in {error.waited:.0f} s of trying" if error.waited >= 1 else ""
        return (
            f"{where} could not be reached{tried} ({error.reason}): check that the server is "
            "running and that DATABASE_URL names its host and port."
        )
    if error.sqlite:
        return (
            f"{where} cannot be opened ({error.reason}): check DATABASE_URL, and that this user "
            "may create and write that file and its folder."
        )
    return (
        f"{where} cannot be used ({error.reason}): check DATABASE_URL's host, port, database, "
        "user, password and sslmode."
    )


def run() -> None:
    from bot.app import build_application
    from bot.telegram_check import serve_when_reachable

    settings = _load_settings()
    token = settings.token()
    secrets = [token]
    if settings.bot_mode == "webhook":
        secrets.append(settings.webhook().secret)  # ConfigError before the database is touched
    configure_logging(settings.log_level, secrets=secrets)
    if not _prepare_database(settings):
        return
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
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    try:
        async with running(app):
            await stop.wait()
    except StartupError:
        await _close_after_failed_start(app)
        raise


async def _close_after_failed_start(app: IsobotApp) -> None:
    """Close what start-up opened before it failed (a listener's port taken, bot/listener.py).

    `running` stops the bot only once post_init is through, and the listeners open at its end,
    after the sender and the Application's HTTP sessions: left open, they end the process with
    "Unclosed client session" and the database's worker finding the loop closed.
    """
    from bot.listener import stop_listeners

    await stop_listeners(app)
    if app.post_stop:
        await app.post_stop(app)  # the sender
    await app.shutdown()  # the Bot API sessions
    if app.post_shutdown:
        await app.post_shutdown(app)  # the database


def migrate() -> None:
    settings = _load_settings()
    configure_logging(settings.log_level)
    if _prepare_database(settings):
        print("Database is up to date.")


def main(argv: list[str] | None = None) -> int:
    args_given = sys.argv[1:] if argv is None else argv
    if args_given[:1] == ["sandbox"]:
        # Its own flags and --help; imported only here: `bot -> sandbox` only in this command.
        from bot.sandbox_session import main as sandbox_main

        return sandbox_main(args_given[1:])
    # As it was started: the console script, or `python -m bot` (argv[0] is then this file).
    prog = "isobot" if Path(sys.argv[0]).name == "isobot" else "python -m bot"
    parser = argparse.ArgumentParser(
        prog=prog,
        description="isobot: a Telegram bot for people on an isotretinoin course.",
        epilog=COMMANDS_HELP.format(prog=prog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "migrate", "sandbox"],
        metavar="command",
        help="run (the default), migrate or sandbox; see below",
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
