"""`python -m bot` from a shell: a configuration mistake is one plain line and exit status 2.

Each case is a real subprocess. They are started together in one module fixture and run in
parallel, since each one pays for importing PTB and SQLAlchemy.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bot_settings import environment_without_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
EXIT_CONFIG = 2
GOOD_TOKEN = "123456789:AAEhBP0av28_example-Token_abcdefghij"
SHORT_SECRET = "short-secret_1"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    database: Path


def _environment(database: Path, **extra: str) -> dict[str, str]:
    env = environment_without_settings()
    env["PYTHONUNBUFFERED"] = "1"
    # Set, and empty, so that a .env in the repository could not supply a token either.
    env["TELEGRAM_BOT_TOKEN"] = ""
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("cli")
    webhook = {
        "TELEGRAM_BOT_TOKEN": GOOD_TOKEN,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example.org/tg",
    }
    cases = {
        "missing_token": ([], {}),
        "malformed_token": ([], {"TELEGRAM_BOT_TOKEN": "abc"}),
        "short_webhook_secret": ([], {**webhook, "WEBHOOK_SECRET": SHORT_SECRET}),
        "bad_admin_ids": ([], {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "ADMIN_IDS": "123, -5"}),
        "migrate": (["migrate"], {}),
        "help": (["--help"], {}),
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
            # The most permissive umask: the data's modes must not depend on it.
            umask=0,
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


SETTING_PROBLEMS = ["missing_token", "malformed_token", "short_webhook_secret", "bad_admin_ids"]


@pytest.mark.parametrize("case", SETTING_PROBLEMS)
def test_setting_problems_are_reported_before_the_database_is_touched(
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


def test_migrate_makes_the_data_folder_and_database_private(runs: dict[str, Run]) -> None:
    database = runs["migrate"].database
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


@pytest.mark.parametrize("case", ["short_webhook_secret", "bad_admin_ids"])
def test_setting_problems_exit_2_with_one_line(runs: dict[str, Run], case: str) -> None:
    run = runs[case]
    assert run.returncode == EXIT_CONFIG, run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stdout == ""


def test_a_short_webhook_secret_says_how_to_make_one_without_echoing_it(
    runs: dict[str, Run],
) -> None:
    line = runs["short_webhook_secret"].stderr.strip()
    assert line == (
        "WEBHOOK_SECRET must be 32 to 256 of A-Z, a-z, 0-9, _ and -; make one with "
        '`python -c "import secrets; print(secrets.token_urlsafe(32))"`.'
    )
    assert SHORT_SECRET not in line


def test_a_bad_admin_id_is_named(runs: dict[str, Run]) -> None:
    assert runs["bad_admin_ids"].stderr.strip() == (
        "ADMIN_IDS must be Telegram user ids separated by commas, such as 123,456; '-5' is not one."
    )


def test_help_describes_each_command(runs: dict[str, Run]) -> None:
    run = runs["help"]
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: python -m bot [-h] [command]")
    lines = run.stdout.splitlines()
    for command in ("run", "migrate", "sandbox"):
        assert any(line.startswith(f"  {command}  ") for line in lines), run.stdout
    assert "(python -m bot sandbox --help for its flags)" in run.stdout


def test_help_as_the_console_script_names_it_isobot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.setattr(sys, "argv", ["/opt/isobot/.venv/bin/isobot", "--help"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: isobot [-h] [command]"), out
    assert "(isobot sandbox --help for its flags)" in out
