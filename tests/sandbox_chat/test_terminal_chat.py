"""`python -m bot sandbox` in a pseudo-terminal, played by a person at the keyboard."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.sandbox_chat.conftest import (
    REPO_ROOT,
    START,
    ZONE,
    local_time_plus,
    sandbox_command,
    sandbox_env,
)

PROMPT = "you> "


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[pexpect.spawn]:
    """The sandbox at a terminal, two simulated minutes to each real second."""
    command = sandbox_command(tmp_path / "sandbox.sqlite3", "--speed", "120", "--start", START)
    child = pexpect.spawn(
        command[0],
        command[1:],
        cwd=str(REPO_ROOT),
        env=sandbox_env(),
        encoding="utf-8",
        timeout=20,
        dimensions=(50, 200),
    )
    # Everything the terminal shows goes to stdout, which pytest reports when a test fails.
    child.logfile_read = sys.stdout
    try:
        child.expect("Send /start to begin")
        child.expect_exact(PROMPT)
        yield child
    finally:
        if child.isalive():
            child.terminate(force=True)


def button_number(child: pexpect.spawn, label: str) -> str:
    """Read buttons up to the prompt; the number printed before ``label``."""
    child.expect_exact(PROMPT)
    found = re.search(rf"\[(\d+)\] [^\[\n]*{re.escape(label)}", child.before)
    assert found is not None, f"no {label!r} button in {child.before!r}"
    return found.group(1)


def test_terminal_session_reminder_fires_taken_and_history(terminal: pexpect.spawn) -> None:
    child = terminal
    child.sendline("/start")
    child.expect("Welcome to isobot")
    child.sendline(button_number(child, "How isotretinoin clears skin"))
    child.expect("pressed “How isotretinoin clears skin”")
    child.expect("Isotretinoin goes after all four drivers of acne")

    child.sendline(f"/timezone {ZONE}")
    child.expect(r"Your timezone is now Europe/London\. It is \d\d:\d\d there")
    due = local_time_plus(child.after, 6)  # three real seconds ahead
    child.sendline(f"/remind dose {due}")
    child.expect(f"Dose reminders at {due}")
    child.expect(f"Time for your {due} isotretinoin dose")
    child.sendline(button_number(child, "Taken"))
    child.expect(r"isobot \(edited\): [^\n]*" + due + r".*Taken at \d\d:\d\d")
    child.sendline("/history")
    child.expect(r"Last 7 days: 100% taken \(1 of 1\)")

    # Ctrl-D ends the chat and the sandbox, cleanly.
    child.expect_exact(PROMPT)
    child.sendeof()
    child.expect("Sandbox stopped.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_terminal_jumps_time_and_stops_on_ctrl_c(terminal: pexpect.spawn) -> None:
    child = terminal
    child.sendline("/sandbox_time +1d")
    child.expect(r"Simulated time is now Tue 03 Mar 2026, \d\d:\d\d \(UTC\)")
    child.sendline("7")
    child.expect(r"no buttons to press")
    child.sendintr()
    child.expect("Sandbox stopped.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
