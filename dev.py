#!/usr/bin/env python3
"""Set up the environment, then run the bot, the tests or the benchmarks: one entry point.

    python3 dev.py run      # the bot (python -m bot), with .venv created and dependencies installed
                            # (with no TELEGRAM_BOT_TOKEN: the sandbox, python -m bot sandbox)
    python3 dev.py test     # the test suite (pytest), likewise
    python3 dev.py lint     # ruff check, ruff format --check, mypy and the import contracts
    python3 dev.py bench    # the benchmarks in bench/
    python3 dev.py soak     # the crash soak: SIGKILL the bot 20 times while reminders fall due
    python3 dev.py setup    # only create .venv and install (add --dev for the test tools)
    python3 dev.py lock     # regenerate both lock files from pyproject.toml with the pinned uv,
                            # keeping every pin (--upgrade-package NAME moves one on)
    python3 dev.py train    # refit the warning-sign net (content/sign_model.json) and the
                            # question router (content/topic_model.json) on the development
                            # parts of their corpora (tests/safety, tests/questions)

Every install is hash-checked (pip's --require-hashes): a package whose files differ from the
ones locked is refused. Only the standard library is used here, so a fresh machine with
Python 3.11+ is enough.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ISOBOT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
RUN_LOCK = "requirements.lock"
DEV_LOCK = "requirements-dev.lock"
# The oldest Python we support: the locks resolve for it, with markers for anything newer needs.
LOCK_PYTHON = "3.11"
# lint-imports, run by the venv's Python: the one-way imports of DESIGN.md (pyproject.toml).
IMPORT_CONTRACTS = (
    "import sys; from importlinter.cli import lint_imports_command as check; sys.exit(check())"
)


def ensure_env(lock: str) -> None:
    """Create .venv and install the pinned lock file, once per lock content."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file may be run by any python3
        sys.exit("isobot needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock_path = ROOT / lock
    digest = hashlib.sha256(lock_path.read_bytes()).hexdigest()
    stamp = VENV / f".installed-{lock}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing pinned dependencies from {lock} ...", flush=True)
    subprocess.run(pip_install(lock_path), check=True)
    stamp.write_text(digest)


def pip_install(lock_path: Path) -> list[str]:
    """The install command for a lock file: every file checked against the lock's hashes."""
    return [
        *(str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"),
        *("--require-hashes", "-r", str(lock_path)),
    ]


def lock_commands(uv: Path, rest: list[str]) -> list[list[str]]:
    """`uv pip compile` for the dev lock, then for the run lock within the dev lock's pins.

    Each reads its lock file's current pins as the versions to keep, so only what pyproject.toml
    or `rest` (such as --upgrade-package NAME) asks for changes. The run lock is held to the dev
    lock's pins: the bot runs exactly the versions the tests ran.
    """
    common = [
        *(str(uv), "pip", "compile", "pyproject.toml", "--quiet", "--generate-hashes"),
        # --universal: markers instead of this machine's answers, so the locks install on every
        # Python and platform we support, and --require-hashes finds nothing missing there.
        *("--universal", "--python-version", LOCK_PYTHON),
        *("--custom-compile-command", "python3 dev.py lock"),
    ]
    return [
        [*common, "--extra", "dev", "--output-file", DEV_LOCK, *rest],
        [*common, "--constraint", DEV_LOCK, "--output-file", RUN_LOCK, *rest],
    ]


def lock(rest: list[str]) -> int:
    """Regenerate both lock files with the uv pinned by the dev lock (from the dev extra)."""
    ensure_env(DEV_LOCK)
    uv = BIN / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        sys.exit(f"{uv} is missing: {DEV_LOCK} should pin uv, as pyproject.toml's dev extra does.")
    for command in lock_commands(uv, rest):
        if subprocess.run(command, cwd=ROOT).returncode:
            return 1
    return 0


def ensure_browser_tools() -> None:
    """Playwright for the browser chat test, from tests/browser's lock, where npm exists.

    Without npm (or Chromium) that one test skips and says why; CI installs both.
    """
    folder = ROOT / "tests" / "browser"
    npm = shutil.which("npm")
    if npm is None or (folder / "node_modules").is_dir():
        return
    print("Installing the browser test's pinned npm packages ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=folder, check=False)


def run(*args: str) -> int:
    process = subprocess.Popen([str(PYTHON), *args], cwd=ROOT)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached the child too (one process group): let it stop in its own time
            # rather than be killed, which could leave the terminal in the chat's raw mode.
            continue


def token_is_set(environ: Mapping[str, str], dotenv: Path) -> bool:
    """Whether the bot would find a token: in the environment, which wins, or in .env."""
    if "TELEGRAM_BOT_TOKEN" in environ:
        return bool(environ["TELEGRAM_BOT_TOKEN"].strip())
    if not dotenv.is_file():
        return False
    for line in dotenv.read_text(encoding="utf-8", errors="replace").splitlines():
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and name.strip() == "TELEGRAM_BOT_TOKEN":
            return bool(value.split(" #", 1)[0].strip().strip("'\""))
    return False


def run_bot(rest: list[str]) -> int:
    """`python -m bot`, or the sandbox when there is no token and no other command was asked."""
    if (not rest or rest[0].startswith("-")) and not token_is_set(os.environ, ROOT / ".env"):
        print(
            "No TELEGRAM_BOT_TOKEN set: starting the sandbox (a fake Telegram on 127.0.0.1) "
            "instead. Chat in this terminal or in the browser; stop with Ctrl-C. "
            "For the real bot, put a token in .env (see README.md).",
            flush=True,
        )
        return run("-m", "bot", "sandbox", *rest)
    return run("-m", "bot", *rest)


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "setup":
        ensure_env("requirements-dev.lock" if "--dev" in rest else "requirements.lock")
        return 0
    if command == "run":
        ensure_env("requirements.lock")
        return run_bot(rest)
    if command == "test":
        ensure_env("requirements-dev.lock")
        ensure_browser_tools()
        return run("-m", "pytest", *rest)
    if command == "lint":
        ensure_env("requirements-dev.lock")
        return (
            run("-m", "ruff", "check", ".")
            or run("-m", "ruff", "format", "--check", ".")
            or run("-m", "mypy")
            or run("-c", IMPORT_CONTRACTS)
        )
    if command == "bench":
        ensure_env("requirements-dev.lock")
        return run("-m", "bench", *rest)
    if command == "soak":
        ensure_env("requirements-dev.lock")
        return run("-m", "bench.soak", *rest)
    if command == "lock":
        return lock(rest)
    if command == "train":
        ensure_env("requirements-dev.lock")
        return run("-m", "tests.safety.train_model", *rest) or run(
            "-m", "tests.questions.train_topics", *rest
        )
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
