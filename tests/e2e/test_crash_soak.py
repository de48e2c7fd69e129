"""The crash soak's short version: `python -m bot` killed with SIGKILL three times while reminders
fall due and users press Taken, on SQLite and on PostgreSQL. Its checks include that no button
press was lost: polling confirms an update only once it has been handled (bot/polling.py). The
full soak (20 kills, 1,000 reminders) is `python3 dev.py soak`; both are bench/soak.py.

Each backend's soak is `python -m bench.soak` in a process group of its own, both at once: they
mostly wait for processes to start and for simulated time to pass. Whatever a soak does, the
test ends at its deadline: the whole group (soak, fake Telegram, bot) is killed and its log,
which says where it got to, is the failure's message."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from tests.databases import postgres_admin_url, unavailable

ROOT = Path(__file__).resolve().parents[2]
SHORT = [
    "--kills=3",
    "--reminders=100",
    "--window=1",
    "--speed=8",
    "--long-outages=1",
    "--seed=6",
    "--settle-timeout=120",
]
# Generous: on a busy machine a start of the bot can take ten seconds, and there are four.
WITHIN = 240.0


@dataclass
class Soak:
    process: subprocess.Popen[bytes]
    output: IO[bytes]

    def finish(self, within: float) -> tuple[int | None, str]:
        """The soak's exit status (None if it had to be killed at the deadline) and its log."""
        try:
            code: int | None = self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            code = None
            # Ctrl-C first: the soak stops its bot and drops its database on the way out.
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        # The soak's own children (the fake Telegram, the bot) go with it, finished or not.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.output.seek(0)
        return code, self.output.read().decode(errors="replace")


def start_soak(backend: str, output: IO[bytes]) -> Soak:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    admin = postgres_admin_url()
    if admin is not None:
        env["TEST_POSTGRES_URL"] = admin
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.soak", f"--backend={backend}", *SHORT],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a group of its own, so that killing it kills all it started
    )
    return Soak(process, output)


@pytest.fixture(scope="module")
def soaks() -> Iterator[dict[str, Soak]]:
    runs: dict[str, Soak] = {}
    try:
        for backend in ("sqlite", "postgres"):
            if backend == "postgres" and postgres_admin_url() is None:
                continue
            runs[backend] = start_soak(backend, tempfile.TemporaryFile())  # noqa: SIM115
        yield runs
    finally:
        for soak in runs.values():
            soak.finish(0)
            soak.output.close()


def check(soak: Soak) -> None:
    code, log = soak.finish(WITHIN)
    print(log)
    assert code is not None, f"the soak was still running after {WITHIN:.0f} s:\n{log}"
    assert code == 0, log
    assert "presses lost (never answered) 0," in log  # among the problems too; spelled out


@pytest.mark.timeout(WITHIN + 30)
def test_three_kills_lose_nothing_and_double_nothing_on_sqlite(soaks: dict[str, Soak]) -> None:
    check(soaks["sqlite"])


@pytest.mark.postgres
@pytest.mark.timeout(WITHIN + 30)
def test_three_kills_lose_nothing_and_double_nothing_on_postgres(soaks: dict[str, Soak]) -> None:
    if "postgres" not in soaks:
        unavailable("TEST_POSTGRES_URL is not set")
    check(soaks["postgres"])
