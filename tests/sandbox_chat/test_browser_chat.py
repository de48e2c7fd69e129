"""The browser chat in a real browser: Debian's Chromium, headless, driven by Playwright.

Needs /usr/bin/chromium (or $CHROMIUM), Node.js and `npm ci` in tests/browser; `.ci/run`
installs all three. Without them the test skips and says which is missing, except in CI
(CI=true), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sandbox_chat.conftest import REPO_ROOT, sandbox_process

BROWSER_TESTS = REPO_ROOT / "tests" / "browser"
SCREENSHOT = REPO_ROOT / "tests" / "artifacts" / "sandbox-chat.png"


def _missing() -> str | None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return f"no Chromium at {chromium} (apt-get install chromium)"
    if shutil.which("node") is None:
        return "no Node.js (node) on PATH"
    if not (BROWSER_TESTS / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed (npm ci --prefix tests/browser)"
    return None


def run_browser_script(script: str, url: str, out: Path, timeout: float) -> tuple[str, str]:
    """Run tests/browser/`script` against the sandbox at `url`, writing to `out`; once it has
    exited cleanly, its stdout and a report of both its outputs for a failing assertion."""
    browser = subprocess.run(
        ["node", str(BROWSER_TESTS / script), url, str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    report = f"stdout:\n{browser.stdout}\nstderr:\n{browser.stderr}"
    assert browser.returncode == 0, report
    return browser.stdout, report


@pytest.fixture
def browser_ready() -> None:
    missing = _missing()
    if missing is None:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"the browser test must run in CI, but {missing}")
    pytest.skip(missing)


@pytest.mark.usefixtures("browser_ready")
def test_browser_chat_start_topic_button_and_edit_in_place(tmp_path: Path) -> None:
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    with sandbox_process(tmp_path / "sandbox.sqlite3") as sandbox:
        stdout, report = run_browser_script("chat.mjs", sandbox.url, SCREENSHOT, timeout=90)
    assert "topic shown: " in stdout, report
    assert "edited in place" in stdout, report
    assert SCREENSHOT.stat().st_size > 10_000
