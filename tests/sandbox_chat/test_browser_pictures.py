"""The /history calendar, the /course chart and the /report PDF in a real browser: Debian's
Chromium, headless, driven by Playwright through the sandbox's browser chat. The screenshots go
to docs/, where the README links them.

Needs what tests/sandbox_chat/test_browser_chat.py needs, and skips or fails the same way.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sandbox_chat.conftest import REPO_ROOT, START, sandbox_process
from tests.sandbox_chat.test_browser_chat import browser_ready, run_browser_script

__all__ = ["browser_ready"]  # the fixture, shared with the chat test

DOCS = REPO_ROOT / "docs"
SCREENSHOTS = ("history.png", "history-course.png", "course-chart.png", "report.png")


@pytest.mark.usefixtures("browser_ready")
def test_browser_shows_history_calendar_course_chart_and_offers_the_report(
    tmp_path: Path,
) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    with sandbox_process(tmp_path / "sandbox.sqlite3", "--start", START) as sandbox:
        stdout, report = run_browser_script("pictures.mjs", sandbox.url, out, timeout=240)
    assert "history switched to the whole course" in stdout, report
    assert "course chart shown" in stdout, report
    assert "report downloaded: isobot-report-2026-03-04.pdf" in stdout, report
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    for name in SCREENSHOTS:
        assert (out / name).stat().st_size > 10_000, name
        shutil.copyfile(out / name, DOCS / name)
    # The report's page as a picture too, where poppler's pdftoppm is installed.
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-singlefile",
                str(out / "report.pdf"),
                str(DOCS / "report-page"),
            ],
            check=True,
            timeout=60,
        )
