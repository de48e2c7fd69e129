"""`python -m bot` when Telegram cannot be reached, or refuses the token, at start-up: a real
process, as an operator or a container runs it. It tries again while Telegram cannot be reached,
then ends with one sentence and a status of its own: no traceback, no unclosed session, no token.
Flood control at start-up is the one case tried in this process, for its one-second wait.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot

from bot.app import bot_request
from bot.startup_errors import EXIT_TOKEN_REJECTED, EXIT_UNREACHABLE
from bot.telegram_check import reach_telegram
from sandbox import FakeBotApi
from tests.bot_settings import environment_without_settings
from tests.e2e.conftest import USER, settings_for
from tests.e2e.listeners import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
# Well-formed, and not the fake's: Telegram answers such a token 401 Unauthorized.
OTHER_TOKEN = "123456789:AAEhBP0av28_not-the-fakes-token_abcdefghij"


@dataclass(frozen=True)
class Exit:
    status: int
    output: str  # stdout and stderr, as a terminal or `docker logs` shows them

    @property
    def last_line(self) -> str:
        return self.output.strip().splitlines()[-1]

    def assert_clean(self, token: str) -> None:
        assert "Traceback" not in self.output, self.output
        assert "Unclosed" not in self.output, self.output
        assert token not in self.output


async def start_bot(tmp_path: Path, **settings: str) -> asyncio.subprocess.Process:
    env = environment_without_settings()
    env.update(
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(REPO_ROOT),
        DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'isobot.sqlite3'}",
        **settings,
    )
    # cwd: tmp_path, so that no .env of the repository is read.
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def finish(process: asyncio.subprocess.Process, timeout: float = 60) -> Exit:  # noqa: ASYNC109
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return Exit(process.returncode, output.decode())


async def read_until(process: asyncio.subprocess.Process, text: str, timeout: float = 60) -> str:  # noqa: ASYNC109
    """The output up to the first line holding `text`."""
    assert process.stdout is not None
    seen: list[str] = []
    async with asyncio.timeout(timeout):
        while True:
            line = (await process.stdout.readline()).decode()
            assert line, f"the bot exited before saying {text!r}: {''.join(seen)}"
            seen.append(line)
            if text in line:
                return "".join(seen)


async def test_unreachable_telegram_is_tried_again_then_one_sentence_and_status_3(
    tmp_path: Path,
) -> None:
    port = free_port()  # nothing listens there, so every connection is refused
    process = await start_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN=OTHER_TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot",
        # Patience is six timeouts: three seconds here, a minute by default.
        TELEGRAM_TIMEOUT_SECONDS="0.5",
    )
    done = await finish(process)
    assert done.status == EXIT_UNREACHABLE, done.output
    assert done.last_line.startswith(
        f"Telegram could not be reached at http://127.0.0.1:{port} in 3 s of trying"
    )
    assert "TELEGRAM_API_BASE_URL" in done.last_line
    assert done.output.count("Telegram cannot be reached yet") >= 2  # it tried again, and said so
    done.assert_clean(OTHER_TOKEN)


async def test_refused_token_ends_at_once_with_one_sentence_and_status_4(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    process = await start_bot(
        tmp_path, TELEGRAM_BOT_TOKEN=OTHER_TOKEN, TELEGRAM_API_BASE_URL=fake.base_url
    )
    done = await finish(process)
    assert done.status == EXIT_TOKEN_REJECTED, done.output
    assert done.last_line == (
        "Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized): it was revoked or mistyped; "
        "put the bot's current token from @BotFather in the environment or .env."
    )
    # Asked once: asking again cannot help.
    assert len(fake.calls_to("getMe", ok=False)) == 1
    assert "Telegram cannot be reached yet" not in done.output
    done.assert_clean(OTHER_TOKEN)


async def test_telegram_failing_at_first_then_answering_the_bot_starts_and_serves(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    fake.fail_next("getMe", 502, times=2)
    process = await start_bot(
        tmp_path, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url
    )
    try:
        fake.send_text(USER, "/start")
        [reply] = await fake.wait_for_messages(USER, 1, timeout=60)
        assert "isotretinoin" in reply.text.lower()
        process.send_signal(signal.SIGTERM)
    finally:
        done = await finish(process)
    assert done.status == 0, done.output
    assert done.output.count("Telegram cannot be reached yet (Bad Gateway)") == 2
    # The getMe that answered initialized the bot: PTB did not ask a fourth time.
    assert len(fake.calls_to("getMe", ok=None)) == 3
    done.assert_clean(fake.token)


async def test_sigterm_while_waiting_for_telegram_stops_at_once_and_cleanly(
    tmp_path: Path,
) -> None:
    process = await start_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN=OTHER_TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}/bot",
    )
    before = await read_until(process, "Telegram cannot be reached yet")
    # As `docker stop` does; a minute of patience is left, and a container's PID 1 that has no
    # handler for SIGTERM would ignore it.
    process.send_signal(signal.SIGTERM)
    done = await finish(process, timeout=10)
    assert done.status == 0, before + done.output
    Exit(0, before + done.output).assert_clean(OTHER_TOKEN)


async def test_flood_control_at_start_up_is_waited_out_as_long_as_telegram_asks(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    fake.fail_next("getMe", 429, retry_after=1)
    settings = settings_for(fake, f"sqlite+aiosqlite:///{tmp_path / 'isobot.sqlite3'}")
    bot = Bot(fake.token, base_url=fake.base_url, request=bot_request(settings))
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        # first_wait 0: only Telegram's retry_after can account for the wait.
        assert await reach_telegram(bot, settings, asyncio.Event(), first_wait=0.0)
        assert loop.time() - started >= 1.0
        assert bot.username == fake.bot_username
    finally:
        await bot.shutdown()
    assert [call.status for call in fake.calls_to("getMe", ok=None)] == [429, 200]
