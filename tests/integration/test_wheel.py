"""The package as pip builds it (the Dockerfile installs this wheel): every file the bot reads at
run time is inside, and the `isobot` command points at the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"bot", "content", "sandbox", "scheduler", "storage"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # A copy, as the Docker build has: setuptools writes build/ and *.egg-info beside the source.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source)
    for package in PACKAGES:
        shutil.copytree(
            REPO_ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    # As the Dockerfile does: pip fetches the build backend of [build-system] itself.
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir"]
    subprocess.run(
        [*command, str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("isobot-*.whl")
    return zipfile.ZipFile(built)


def _tracked(pattern: str) -> set[str]:
    return {str(path.relative_to(REPO_ROOT)) for path in REPO_ROOT.glob(pattern)}


@pytest.mark.parametrize(
    "pattern",
    [
        "content/topics/*.md",
        "content/tips/*.md",
        "content/*.yaml",
        "content/*.json",
        "storage/migrations/versions/*.py",
        "storage/migrations/script.py.mako",
        "storage/migrations/env.py",
        "sandbox/static/*",
        "bot/handlers/*.py",
    ],
)
def test_the_wheel_holds_every_file_the_bot_reads(wheel: zipfile.ZipFile, pattern: str) -> None:
    expected = _tracked(pattern)
    assert expected, f"nothing in the tree matches {pattern}"
    assert expected <= set(wheel.namelist())


def test_the_wheel_holds_no_tests_benchmarks_or_secrets(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/")[0] for name in wheel.namelist() if ".dist-info" not in name}
    assert tops == PACKAGES
    assert not [name for name in wheel.namelist() if name.endswith((".env", ".sqlite3"))]


def test_the_isobot_command_runs_the_command_line(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "[console_scripts]" in text
    assert "isobot = bot.__main__:main" in text
