"""dev.py: the choice between the bot and the sandbox, and the supply chain (hashed locks,
hash-checked installs, every import declared)."""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import dev
from dev import token_is_set

TOKEN = "123456789:AAE-not-a-real-token-but-shaped-like-one"


@pytest.mark.parametrize(
    ("dotenv", "expected"),
    [
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\n", True),
        (f'export TELEGRAM_BOT_TOKEN="{TOKEN}"  # from BotFather\n', True),
        ("TELEGRAM_BOT_TOKEN=\n", False),
        ("TELEGRAM_BOT_TOKEN=''\n", False),
        ("# TELEGRAM_BOT_TOKEN=123:abc\nDATABASE_URL=sqlite:///x\n", False),
    ],
)
def test_token_is_read_from_dotenv(tmp_path: Path, dotenv: str, expected: bool) -> None:
    path = tmp_path / ".env"
    path.write_text(dotenv)
    assert token_is_set({}, path) is expected


def test_no_dotenv_and_no_environment_means_no_token(tmp_path: Path) -> None:
    assert token_is_set({}, tmp_path / ".env") is False


def test_the_environment_wins_over_dotenv_even_when_empty(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\n")
    assert token_is_set({"TELEGRAM_BOT_TOKEN": ""}, path) is False
    assert token_is_set({"TELEGRAM_BOT_TOKEN": TOKEN}, tmp_path / "missing") is True


# The supply chain: hashed lock files, hash-checked installs, every import declared ---------------

ROOT = Path(dev.__file__).resolve().parent
LOCKS = [ROOT / dev.RUN_LOCK, ROOT / dev.DEV_LOCK]
# name==version, an optional environment marker, then one or more sha256 hashes: nothing else
# (no unpinned names, no URLs, no index options).
LOCKED = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?: ;.+?)?"
    r"(?: --hash=sha256:[0-9a-f]{64})+"
)
RUNTIME_PACKAGES = ("bot", "scheduler", "storage", "content", "sandbox")
TOOLING_PACKAGES = ("bench", "tests")


def requirements(lock: Path) -> list[str]:
    """A lock file's requirements, each with its continuation lines joined."""
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    entries = (" ".join(line.split()) for line in text.splitlines())
    return [entry for entry in entries if entry and not entry.startswith("#")]


def pinned(lock: Path) -> dict[str, str]:
    matches = (LOCKED.fullmatch(entry) for entry in requirements(lock))
    return {match["name"].lower(): match["version"] for match in matches if match}


def distribution(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503)."""
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name[0]).lower()


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_every_requirement_in_the_lock_files_is_pinned_with_hashes(lock: Path) -> None:
    entries = requirements(lock)
    assert len(entries) > 20
    unhashed = [entry[:80] for entry in entries if not LOCKED.fullmatch(entry)]
    assert unhashed == []


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_the_lock_files_are_made_by_dev_py_lock(lock: Path) -> None:
    assert "#    python3 dev.py lock\n" in lock.read_text(encoding="utf-8")


def test_the_bot_runs_the_versions_the_tests_ran() -> None:
    run, dev_pins = pinned(ROOT / dev.RUN_LOCK), pinned(ROOT / dev.DEV_LOCK)
    assert {name: dev_pins.get(name) for name in run} == run


def test_the_lock_tool_is_pinned_to_one_version_in_pyproject_and_the_dev_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    uv = [r for r in project["project"]["optional-dependencies"]["dev"] if distribution(r) == "uv"]
    assert len(uv) == 1 and re.fullmatch(r"uv==[0-9.]+", uv[0]), uv
    assert pinned(ROOT / dev.DEV_LOCK)["uv"] == uv[0].removeprefix("uv==")


def test_the_lock_command_hashes_and_holds_the_run_lock_to_the_dev_pins() -> None:
    dev_command, run_command = dev.lock_commands(Path("uv"), ["--upgrade-package", "aiohttp"])
    for command in (dev_command, run_command):
        assert command[:4] == ["uv", "pip", "compile", "pyproject.toml"]
        assert "--generate-hashes" in command
        assert command[-2:] == ["--upgrade-package", "aiohttp"]
    assert dev_command[-4:-2] == ["--output-file", dev.DEV_LOCK]
    assert dev_command[-6:-4] == ["--extra", "dev"]
    assert run_command[-6:-2] == ["--constraint", dev.DEV_LOCK, "--output-file", dev.RUN_LOCK]


def _wheel(folder: Path) -> Path:
    """A tiny real wheel, so that pip has something to check offline."""
    path = folder / "isobot_dummy-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("isobot_dummy/__init__.py", "")
        info = "isobot_dummy-1.0.dist-info"
        wheel.writestr(
            f"{info}/METADATA", "Metadata-Version: 2.1\nName: isobot-dummy\nVersion: 1.0\n"
        )
        wheel.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr(f"{info}/RECORD", "")
    return path


@pytest.fixture
def offline_dry_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """ensure_env with the real pip, offline, and --dry-run so nothing is installed anywhere.

    The lock files and the stamp live in tmp_path; the interpreter is this test's own.
    """
    monkeypatch.setenv("PIP_DRY_RUN", "1")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.setattr(dev, "VENV", tmp_path)
    monkeypatch.setattr(dev, "PYTHON", Path(sys.executable))
    return _wheel(tmp_path)


def test_an_install_refuses_a_lock_line_without_a_hash(offline_dry_run: Path) -> None:
    (dev.ROOT / "unhashed.lock").write_text(f"{offline_dry_run}\n")
    with pytest.raises(subprocess.CalledProcessError):
        dev.ensure_env("unhashed.lock")
    assert not (dev.VENV / ".installed-unhashed.lock").exists()


def test_an_install_of_a_hashed_lock_goes_through(offline_dry_run: Path) -> None:
    digest = hashlib.sha256(offline_dry_run.read_bytes()).hexdigest()
    (dev.ROOT / "hashed.lock").write_text(f"{offline_dry_run} --hash=sha256:{digest}\n")
    dev.ensure_env("hashed.lock")
    assert (dev.VENV / ".installed-hashed.lock").exists()


@pytest.mark.parametrize("script", ["Dockerfile", ".ci/run"])
def test_builds_install_only_through_hash_checked_steps(script: str) -> None:
    text = (ROOT / script).read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if re.search(r"\bpip3? install\b|\buv pip (install|sync)\b", line):
            # isobot itself, built from this tree, with nothing else (--no-deps).
            if re.search(r"\bpip install (--quiet )?--no-deps \.(\s|$)", line):
                continue
            assert "--require-hashes" in line, line
    if script == "Dockerfile":
        assert "RUN python dev.py setup" in text


def _third_party_imports(packages: tuple[str, ...]) -> set[str]:
    ours = {*RUNTIME_PACKAGES, *TOOLING_PACKAGES, "dev"}
    found: set[str] = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return {name for name in found - ours if name not in sys.stdlib_module_names}


@pytest.mark.parametrize(
    ("packages", "with_extras"),
    [(RUNTIME_PACKAGES, False), (TOOLING_PACKAGES, True)],
    ids=["runtime", "tooling"],
)
def test_every_package_our_code_imports_is_declared(
    packages: tuple[str, ...], with_extras: bool
) -> None:
    """The bot's code may import only its dependencies; tests and benchmarks also the extras'."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {distribution(r) for r in project["dependencies"]}
    if with_extras:
        for extra in project["optional-dependencies"].values():
            declared |= {distribution(r) for r in extra}
    providers = importlib.metadata.packages_distributions()
    missing = {
        module: [distribution(name) for name in providers.get(module, ["(not installed)"])]
        for module in sorted(_third_party_imports(packages))
    }
    assert {m: names for m, names in missing.items() if not set(names) & declared} == {}
