#!/usr/bin/env python3
"""Set up the environment, then run the bot, the tests or the benchmarks: one entry point.

    python3 dev.py run      # the bot (python -m bot), with .venv created and dependencies installed
    python3 dev.py test     # the test suite (pytest), likewise
    python3 dev.py lint     # ruff check and ruff format --check
    python3 dev.py bench    # the benchmarks in bench/
    python3 dev.py setup    # only create .venv and install (add --dev for the test tools)

Only the standard library is used here, so a fresh machine with Python 3.11+ is enough.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ISOBOT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


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
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(lock_path)], check=True)
    stamp.write_text(digest)


def run(*args: str) -> int:
    return subprocess.call([str(PYTHON), *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "setup":
        ensure_env("requirements-dev.lock" if "--dev" in rest else "requirements.lock")
        return 0
    if command == "run":
        ensure_env("requirements.lock")
        return run("-m", "bot", *rest)
    if command == "test":
        ensure_env("requirements-dev.lock")
        return run("-m", "pytest", *rest)
    if command == "lint":
        ensure_env("requirements-dev.lock")
        return run("-m", "ruff", "check", ".") or run("-m", "ruff", "format", "--check", ".")
    if command == "bench":
        ensure_env("requirements-dev.lock")
        return run("-m", "bench", *rest)
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
