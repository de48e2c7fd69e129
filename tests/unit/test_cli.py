"""`python -m bot` from a shell: a configuration mistake is one plain line and exit status 2.

Each case is a real subprocess. They are started together in one module fixture and run in
parallel, since each one pays for importing PTB and SQLAlchemy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXIT_CONFIG = 2
SETTING_VARS = [
    "TELEGRAM_BOT_TOKEN",
    "DATABASE_URL",
    "ADMIN_IDS",
    "TELEGRAM_API_BASE_URL",
    "LOG_LEVEL",
]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    database: Path


def _environment(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_VARS}
    env["PYTHONUNBUFFERED"] = "1"
    # Set, and empty, so that a .env in the repository could not supply a token either.
    env["TELEGRAM_BOT_TOKEN"] = ""
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("cli")
    cases = {
        "missing_token": ([], {}),
        "malformed_token": ([], {"TELEGRAM_BOT_TOKEN": "abc"}),
        "migrate": (["migrate"], {}),
    }
    started = {}
    for name, (args, extra) in cases.items():
        database = root / name / "data" / "isobot.sqlite3"
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=REPO_ROOT,
            env=_environment(database, **extra),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started[name] = (process, database)
    results = {}
    for name, (process, database) in started.items():
        try:
            stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        results[name] = Run(process.returncode, stdout, stderr, database)
    return results


@pytest.mark.parametrize("case", ["missing_token", "malformed_token"])
def test_token_problems_exit_with_status_2(runs: dict[str, Run], case: str) -> None:
    assert runs[case].returncode == EXIT_CONFIG, runs[case].stderr


@pytest.mark.parametrize("case", ["missing_token", "malformed_token"])
def test_token_problems_are_one_line_naming_the_sandbox(runs: dict[str, Run], case: str) -> None:
    run = runs[case]
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert run.stderr.endswith("\n")
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "`python -m bot sandbox`" in lines[0]
    assert run.stdout == ""


def test_missing_token_says_it_is_not_set(runs: dict[str, Run]) -> None:
    assert runs["missing_token"].stderr.startswith("TELEGRAM_BOT_TOKEN is not set")


def test_malformed_token_says_it_does_not_look_like_one(runs: dict[str, Run]) -> None:
    assert "does not look like a token from @BotFather" in runs["malformed_token"].stderr


@pytest.mark.parametrize("case", ["missing_token", "malformed_token"])
def test_token_problems_are_reported_before_the_database_is_touched(
    runs: dict[str, Run], case: str
) -> None:
    assert not runs[case].database.parent.exists()


def test_migrate_exits_0_and_creates_the_database_file(runs: dict[str, Run]) -> None:
    run = runs["migrate"]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "Database is up to date." in run.stdout
    # The folder did not exist: migrate creates it, then the SQLite file in it.
    assert run.database.is_file()
    assert run.database.stat().st_size > 0


def test_migrate_does_not_need_a_token(runs: dict[str, Run]) -> None:
    assert "TELEGRAM_BOT_TOKEN" not in runs["migrate"].stderr
