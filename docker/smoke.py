"""The Docker image's smoke test: run the built image as an operator would, and check it.

docker/smoke.sh builds the image and then runs this (`python docker/smoke.py --image TAG`).
Telegram is played by the fake Bot API from sandbox/ on this machine's 127.0.0.1, so the
containers that talk to it share the host's network (`--network host`); so does the one run
through Compose, which reaches this machine's PostgreSQL as `postgres`. Each check prints `ok` or
`FAIL` with what it saw; the last line counts them.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import secrets
import socket
import sys
import tarfile
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pexpect
import yaml
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from sandbox import FakeBotApi
from storage.migrate import alembic_config

REPO = Path(__file__).resolve().parents[1]
BASE = "python:3.11-slim"
USER = 1001
# Well-formed tokens that no fake knows: Telegram answers such a one 401 Unauthorized.
UNKNOWN_TOKEN = "123456789:AAEhBP0av28_smoke-test-unknown-token_x"
# The packages are installed in the virtualenv (a wheel of pyproject.toml), not copied to /app.
APP_ENTRIES = {"data", "healthcheck.py"}
LABEL = "org.isobot.smoke"
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
EXIT_CONFIG, EXIT_UNREACHABLE, EXIT_TOKEN_REJECTED = 2, 3, 4


class Failed(Exception):
    """A check saw something wrong; the message says what."""


class Skipped(Exception):
    """A check could not run, for a reason outside the project."""


def expect(condition: object, what: str) -> None:
    if not condition:
        raise Failed(what)


@dataclass(frozen=True)
class Done:
    status: int
    output: str

    @property
    def last_line(self) -> str:
        lines = self.output.strip().splitlines()
        return lines[-1] if lines else ""

    def expect_clean(self, *secrets_: str) -> None:
        """No traceback, no unclosed session, no secret: what an operator must never see."""
        expect("Traceback" not in self.output, f"a traceback:\n{self.output}")
        expect("Unclosed" not in self.output, f"an unclosed session:\n{self.output}")
        for secret in secrets_:
            expect(secret not in self.output, "a secret in the output")


async def run(*command: str, timeout: float = 120) -> Done:  # noqa: ASYNC109
    """Run a command; its status and its output (stdout and stderr together)."""
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise Failed(f"{' '.join(command[:4])} ... still running after {timeout:g} s") from None
    assert process.returncode is not None
    return Done(process.returncode, output.decode(errors="replace"))


async def docker(*args: str, timeout: float = 120) -> Done:  # noqa: ASYNC109
    return await run("docker", *args, timeout=timeout)


async def inspect(target: str, template: str) -> str:
    done = await docker("inspect", "-f", template, target)
    expect(done.status == 0, f"docker inspect {target}: {done.output}")
    return done.output.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_until_healthy(container: str, timeout: float = 90) -> float:  # noqa: ASYNC109
    """Seconds until Docker reported the container healthy (its image's HEALTHCHECK)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        state = json.loads(await inspect(container, "{{json .State}}"))
        if "Health" not in state:
            raise Failed("no health status: the image has no HEALTHCHECK")
        health = state["Health"]["Status"]
        if health == "healthy":
            return time.monotonic() - started
        if not state.get("Running"):
            logs = await docker("logs", container)
            raise Failed(f"the container stopped (status {state.get('ExitCode')}):\n{logs.output}")
        await asyncio.sleep(0.5)
    probes = await inspect(container, "{{json .State.Health}}")
    raise Failed(f"not healthy after {timeout:g} s: {probes}")


async def answers_start(fake: FakeBotApi, user: int) -> str:
    fake.send_text(user, "/start")
    [reply] = await fake.wait_for_messages(user, 1, timeout=60)
    expect("isotretinoin" in reply.text.lower(), f"/start answered {reply.text[:80]!r}")
    return reply.text


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


class Smoke:
    def __init__(self, image: str, work: Path, run_id: str) -> None:
        self.image = image
        self.work = work
        self.prefix = run_id
        # Every container made here carries the run's label: docker/smoke.sh removes whatever
        # an interrupted run left, and nothing else.
        self.label = f"{LABEL}={run_id}"
        self.docker_run = ("run", "--label", self.label)

    # -- the image ------------------------------------------------------------------------------

    async def image_is_lean(self) -> str:
        """Only what the bot needs at run time, as its own user."""
        size = int(await inspect(self.image, "{{.Size}}"))
        user = await inspect(self.image, "{{.Config.User}}")
        probe = (
            "import importlib.util as u, json, os; print(json.dumps({"
            "'app': sorted(os.listdir('/app')), 'uid': os.getuid(),"
            "'installers': [m for m in ('pip', 'setuptools') if u.find_spec(m)]}))"
        )
        venv_python = "/opt/venv/bin/python"
        done = await docker(*self.docker_run, "--rm", self.image, venv_python, "-c", probe)
        expect(done.status == 0, f"python -c in the image: {done.output}")
        seen = json.loads(done.last_line)
        expect(user == "isobot" and seen["uid"] == 10001, f"runs as {user}, uid {seen['uid']}")
        expect(set(seen["app"]) == APP_ENTRIES, f"/app holds {seen['app']}")
        expect(not seen["installers"], f"installers in the image: {seen['installers']}")
        base = int(await inspect(BASE, "{{.Size}}"))
        return (
            f"{size / 1e6:.0f} MB ({(size - base) / 1e6:.0f} MB over {BASE}, {base / 1e6:.0f} MB); "
            f"/app holds {', '.join(sorted(APP_ENTRIES))}; no pip or setuptools; uid 10001"
        )

    async def venv_is_on_path(self) -> str:
        """`docker run IMAGE isobot ...` (or `python -m bot ...`) runs the installed bot."""
        where = "command -v python; command -v isobot"
        done = await docker(*self.docker_run, "--rm", self.image, "sh", "-c", where)
        found = done.output.split()
        expected = ["/opt/venv/bin/python", "/opt/venv/bin/isobot"]
        expect(found == expected, f"python and isobot are {done.output.strip()}")
        done = await docker(*self.docker_run, "--rm", self.image, "isobot", "migrate")
        expect(done.status == 0, f"isobot migrate: status {done.status}:\n{done.output}")
        expect(done.last_line == "Database is up to date.", f"migrate said {done.last_line!r}")
        done = await docker(*self.docker_run, "--rm", self.image, "python", "-m", "bot")
        expect(done.status == EXIT_CONFIG, f"no token: status {done.status}:\n{done.output}")
        expect("python -m bot sandbox" in done.last_line, f"no token: {done.last_line!r}")
        done.expect_clean()
        return "python and isobot are the venv's; `isobot migrate` migrates; no token: status 2"

    async def dockerignore_keeps_secrets_home(self) -> str:
        """What the build sends the daemon, through the repository's .dockerignore."""
        context = self.work / "context"
        stay = [
            ".env",
            ".env.local",
            "bot/.env",
            ".venv/pyvenv.cfg",
            "data/isobot.sqlite3",
            "isobot-2026-01-01.sqlite3",
            ".git/HEAD",
            "node_modules/x/index.js",
            "tests/browser/node_modules/x/index.js",
            "bot/__pycache__/app.cpython-311.pyc",
            ".pytest_cache/README.md",
            ".ruff_cache/CACHEDIR.TAG",
            ".hypothesis/examples/x",
            "tests/unit/test_x.py",
            "docker/smoke.py",
        ]
        arrive = [
            "dev.py",
            "requirements.lock",
            "bot/app.py",
            "content/topics/about.md",
            "scheduler/sender.py",
            "storage/db.py",
            "sandbox/static/chat.js",
            "docker/healthcheck.py",
            "pyproject.toml",
            "README.md",
        ]
        canary = f"TELEGRAM_BOT_TOKEN={UNKNOWN_TOKEN}\n"
        for name in (*stay, *arrive):
            (context / name).parent.mkdir(parents=True, exist_ok=True)
            (context / name).write_text(canary)
        if (REPO / ".dockerignore").exists():
            (context / ".dockerignore").write_bytes((REPO / ".dockerignore").read_bytes())
        dockerfile = self.work / "context.Dockerfile"
        dockerfile.write_text(f"FROM {BASE}\nCOPY . /context\n")
        tag = f"{self.prefix}-context"
        done = await docker("build", "-q", "-t", tag, "-f", str(dockerfile), str(context))
        expect(done.status == 0, f"the context probe did not build:\n{done.output}")
        container = f"{self.prefix}-context"
        try:
            created = await docker("create", "--label", self.label, "--name", container, tag)
            expect(created.status == 0, created.output)
            copied = await run_bytes("docker", "cp", f"{container}:/context", "-")
            with tarfile.open(fileobj=io.BytesIO(copied)) as archive:
                sent = {
                    member.name.removeprefix("context/")
                    for member in archive.getmembers()
                    if member.isfile()
                }
        finally:
            await docker("rm", "-f", container)
            await docker("rmi", "-f", tag)
        sent.discard(".dockerignore")  # sent always; never copied into the image
        leaked = sorted(set(stay) & sent)
        expect(not leaked, f"sent to the daemon: {leaked}")
        missing = sorted(set(arrive) - sent)
        expect(not missing, f"not sent, though the Dockerfile copies it: {missing}")
        return f"{len(stay)} things that must stay (.env, .venv, data, .git, ...) were not sent"

    # -- start-up against Telegram --------------------------------------------------------------

    async def unreachable_telegram_ends_cleanly(self) -> str:
        """No network at all: the real api.telegram.org cannot be looked up."""
        started = time.monotonic()
        done = await docker(
            *self.docker_run,
            *("--rm", "--network", "none", "-e", f"TELEGRAM_BOT_TOKEN={UNKNOWN_TOKEN}"),
            # Start-up's patience is six timeouts: three seconds here, a minute by default.
            *("-e", "TELEGRAM_TIMEOUT_SECONDS=0.5", self.image),
            timeout=60,
        )
        expect(done.status == EXIT_UNREACHABLE, f"status {done.status}:\n{done.output}")
        expect(
            done.last_line.startswith("Telegram could not be reached at https://api.telegram.org"),
            f"it said {done.last_line!r}",
        )
        expect("trying again in" in done.output, f"it did not try again:\n{done.output}")
        done.expect_clean(UNKNOWN_TOKEN)
        return f"status 3 after {time.monotonic() - started:.0f} s, one sentence, tried again"

    async def refused_token_ends_cleanly(self) -> str:
        async with fake_telegram() as fake:
            done = await docker(
                *self.docker_run,
                *("--rm", "--network", "host"),
                *self.telegram_env(fake, UNKNOWN_TOKEN),
                self.image,
                timeout=60,
            )
            asked = len(fake.calls_to("getMe", ok=False))
        expect(done.status == EXIT_TOKEN_REJECTED, f"status {done.status}:\n{done.output}")
        expect(
            done.last_line.startswith("Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized)"),
            f"it said {done.last_line!r}",
        )
        expect(asked == 1, f"getMe asked {asked} times")
        done.expect_clean(UNKNOWN_TOKEN)
        return "status 4 at once (getMe asked once), one sentence"

    # -- serving --------------------------------------------------------------------------------

    async def serves_and_reports_healthy(self) -> str:
        """The image's own HEALTHCHECK (every second here) and CMD, with SQLite in its volume."""
        container = f"{self.prefix}-sqlite"
        async with fake_telegram() as fake:
            started = await docker(
                *self.docker_run,
                *("-d", "--name", container, "--network", "host"),
                "--health-interval=1s",
                *self.telegram_env(fake, fake.token),
                self.image,
            )
            expect(started.status == 0, f"docker run: {started.output}")
            try:
                await answers_start(fake, USER)
                healthy_after = await wait_until_healthy(container)
                stop_started = time.monotonic()
                stopped = await docker("stop", "-t", "30", container)
                expect(stopped.status == 0, f"docker stop: {stopped.output}")
                stop_took = time.monotonic() - stop_started
                status = int(await inspect(container, "{{.State.ExitCode}}"))
                logs = await docker("logs", container)
            finally:
                await docker("rm", "-f", "-v", container)
        expect(status == 0, f"status {status} after docker stop:\n{logs.output}")
        expect("isobot started" in logs.output, f"never started:\n{logs.output}")
        Done(status, logs.output).expect_clean(fake.token)
        return (
            f"answered /start; healthy {healthy_after:.0f} s after /start was answered; "
            f"docker stop took {stop_took:.1f} s, status 0"
        )

    def telegram_env(self, fake: FakeBotApi, token: str) -> list[str]:
        return [
            *("-e", f"TELEGRAM_BOT_TOKEN={token}"),
            *("-e", f"TELEGRAM_API_BASE_URL={fake.base_url}"),
            # On the host's network here, so a port of its own rather than the image's 8080.
            *("-e", f"HEALTH_LISTEN=127.0.0.1:{free_port()}"),
        ]

    async def sandbox_in_a_terminal(self) -> str:
        """`docker run -it --network host IMAGE python -m bot sandbox`, as the README says."""
        return await asyncio.to_thread(self._sandbox_session)

    def _sandbox_session(self) -> str:
        command = [*self.docker_run, "-it", "--rm", "--network", "host", self.image]
        command += ["python", "-m", "bot", "sandbox", "--port", "0"]
        child = pexpect.spawn("docker", command, encoding="utf-8", timeout=60)
        transcript = io.StringIO()
        child.logfile_read = transcript
        try:
            child.expect("Send /start to begin")
            child.expect_exact("you> ")
            child.sendline("/start")
            child.expect("Welcome to isobot")
            child.expect_exact("you> ")
            child.sendeof()
            child.expect("Sandbox stopped.")
            child.expect(pexpect.EOF)
        except (pexpect.TIMEOUT, pexpect.EOF):
            raise Failed(f"the sandbox session went wrong:\n{transcript.getvalue()}") from None
        finally:
            child.close(force=True)
        expect(child.exitstatus == 0, f"status {child.exitstatus}:\n{transcript.getvalue()}")
        return "chatted: /start answered, Ctrl-D stopped it, status 0"

    # -- Compose and PostgreSQL ----------------------------------------------------------------

    async def compose_with_postgres(self) -> str:
        """docker-compose.yml's bot service, its password from .env, on this machine's
        PostgreSQL (standing in for the postgres service) in a database of its own."""
        compose = await compose_command()
        async with throwaway_database() as (url, database), fake_telegram() as fake:
            return await self._compose_run(compose, fake, url, database)

    async def _compose_run(
        self, compose: list[str], fake: FakeBotApi, admin_url: str, database: str
    ) -> str:
        declared = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
        bot_service = declared["bot"]
        expect("HEALTH_LISTEN" in bot_service["environment"], "Compose sets no HEALTH_LISTEN")
        expect(
            bot_service["healthcheck"]["test"] == ["CMD", "python", "/app/healthcheck.py"],
            f"the bot's health check in Compose is {bot_service.get('healthcheck')}",
        )
        for where, value in [
            ("postgres", declared["postgres"]["environment"]["POSTGRES_PASSWORD"]),
            ("bot", bot_service["environment"]["DATABASE_URL"]),
        ]:
            expect("${POSTGRES_PASSWORD:?" in value, f"the {where} service's password: {value}")
        folder = self.work / "compose"
        folder.mkdir()
        server = make_url(admin_url)
        password = server.password or secrets.token_hex(16)
        env = {
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "POSTGRES_USER": server.username or "postgres",
            "POSTGRES_DB": database,
            "HEALTH_LISTEN": f"127.0.0.1:{free_port()}",
        }
        # Without the password in .env, Compose refuses to start, and says where it belongs.
        (folder / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        project = [*compose, "-p", self.prefix, "--project-directory", str(folder)]
        files = ["-f", str(REPO / "docker-compose.yml")]
        refused = await run(*project, *files, "config")
        expect(refused.status != 0, "Compose started without POSTGRES_PASSWORD")
        expect("set POSTGRES_PASSWORD in .env" in refused.output, refused.output)
        (folder / ".env").write_text(
            "".join(f"{k}={v}\n" for k, v in {**env, "POSTGRES_PASSWORD": password}.items())
        )
        # What differs from `docker compose up`: this image rather than a build, the host's
        # network (the fake Telegram listens on its loopback), `postgres` being this machine's
        # server, and health probes every second.
        (folder / "smoke.yml").write_text(
            "services:\n  bot:\n"
            f"    image: {self.image}\n"
            "    network_mode: host\n"
            f"    labels: [{self.label}]\n"
            f'    extra_hosts: ["postgres:{socket.gethostbyname(server.host or "127.0.0.1")}"]\n'
            "    healthcheck:\n      interval: 1s\n"
            '    restart: "no"\n'
        )
        files += ["-f", str(folder / "smoke.yml")]
        up = await run(*project, *files, "up", "-d", "--no-deps", "--no-build", "bot")
        try:
            expect(up.status == 0, f"compose up: {up.output}")
            container = (await run(*project, *files, "ps", "-q", "bot")).last_line
            await answers_start(fake, USER)
            await wait_until_healthy(container)
            environment = json.loads(await inspect(container, "{{json .Config.Env}}"))
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            applied = await alembic_version(admin_url, database)
            logs = await run(*project, *files, "logs", "--no-color", "bot")
        finally:
            await run(*project, *files, "down", "-v")
        url = next((v for v in environment if v.startswith("DATABASE_URL=")), "")
        expect(f":{password}@postgres:5432/{database}" in url, "DATABASE_URL without .env's")
        expect(applied == head, f"the database is at {applied}, the migrations' head is {head}")
        Done(0, logs.output).expect_clean(fake.token)
        return (
            f"declares HEALTH_LISTEN and its health check; answered /start, healthy, migrations "
            f"applied (at {head}), password from .env"
        )


async def run_bytes(*command: str) -> bytes:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    output, errors = await asyncio.wait_for(process.communicate(), 60)
    expect(process.returncode == 0, f"{' '.join(command)}: {errors.decode()}")
    return output


async def compose_command() -> list[str]:
    if (await run("docker", "compose", "version")).status == 0:
        return ["docker", "compose"]
    if (await run("sh", "-c", "command -v docker-compose")).status == 0:
        return ["docker-compose"]
    raise Skipped("neither `docker compose` nor docker-compose is installed")


def postgres_admin_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


@asynccontextmanager
async def throwaway_database() -> AsyncIterator[tuple[str, str]]:
    """(the server's admin URL, the name of a new database on it), dropped afterwards."""
    admin_url = postgres_admin_url()
    name = f"isobot_docker_smoke_{secrets.token_hex(6)}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        try:
            async with admin.connect() as conn:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as error:  # any failure to reach the server
            where = make_url(admin_url).render_as_string()
            reason = f"no PostgreSQL at {where} ({type(error).__name__})"
            if os.environ.get("REQUIRE_POSTGRES", "") not in {"", "0", "false", "no"}:
                raise Failed(f"{reason}, and REQUIRE_POSTGRES=1") from None
            raise Skipped(reason) from None
        try:
            yield admin_url, name
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def alembic_version(admin_url: str, database: str) -> str | None:
    url = make_url(admin_url).set(database=database)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        await engine.dispose()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", required=True, help="the image to test, such as isobot:smoke")
    parser.add_argument("--work", type=Path, required=True, help="a scratch folder")
    parser.add_argument("--run-id", required=True, help="names and labels what this run makes")
    args = parser.parse_args(argv)
    smoke = Smoke(args.image, args.work, args.run_id)
    checks: list[tuple[str, Callable[[], Awaitable[str]]]] = [
        ("the image holds only what the bot needs", smoke.image_is_lean),
        ("the virtualenv is on PATH", smoke.venv_is_on_path),
        (".dockerignore keeps .env and the rest at home", smoke.dockerignore_keeps_secrets_home),
        ("Telegram unreachable: a clean exit", smoke.unreachable_telegram_ends_cleanly),
        ("token refused: a clean exit", smoke.refused_token_ends_cleanly),
        ("serves, and its HEALTHCHECK says healthy", smoke.serves_and_reports_healthy),
        ("Compose with PostgreSQL: migrated and healthy", smoke.compose_with_postgres),
        ("the sandbox in a terminal", smoke.sandbox_in_a_terminal),
    ]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for name, check in checks:
        started = time.monotonic()
        try:
            said = await check()
        except Failed as failure:
            counts["failed"] += 1
            print(f"FAIL {name}: {failure}", flush=True)
            continue
        except Skipped as skip:
            counts["skipped"] += 1
            print(f"skip {name}: {skip}", flush=True)
            continue
        except Exception:  # a check that broke is a failure too, with where it broke
            counts["failed"] += 1
            print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
            continue
        counts["passed"] += 1
        print(f"ok   {name} ({time.monotonic() - started:.0f} s): {said}", flush=True)
    skipped = f", {counts['skipped']} skipped" if counts["skipped"] else ""
    print(f"docker-smoke: {counts['passed']} passed, {counts['failed']} failed{skipped}")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main(sys.argv[1:])))
    except KeyboardInterrupt:
        print("docker-smoke: interrupted")
        sys.exit(130)
