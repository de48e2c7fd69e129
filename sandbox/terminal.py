"""The terminal chat: type messages and /commands, see the bot's replies with numbered buttons.

Typing a number presses that button of the last message shown with buttons. Ctrl-D ends the
chat. Photos and documents the bot sends are saved to a private folder, and their path printed.
A plain readline loop: input() runs in a daemon thread so the event loop keeps serving the bot,
and lines printed meanwhile redraw the prompt with what was typed so far.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sandbox.chat import Button, Change, Entry, PersonChat

try:  # line editing and history where the platform has it
    import readline
except ImportError:  # pragma: no cover - Windows
    readline = None  # type: ignore[assignment]

PROMPT = "you> "
_POLL_SECONDS = 0.1


def format_entry(
    entry: Entry, *, edited: bool, numbered: bool, saved_to: Path | None = None
) -> list[str]:
    """The lines for one message: who, the file it brought (and where it was saved), the text,
    then the buttons numbered from 1."""
    who = "isobot" if entry.from_bot else "you"
    label = f"{who} (edited)" if edited else who
    lines = entry.text.splitlines() or [""]
    where = f", saved to {saved_to}" if saved_to is not None else ""
    if entry.document is not None:
        size = entry.document["file_size"]
        lines.insert(0, f"📎 {entry.document['file_name']} ({size} bytes{where})")
    if entry.photo is not None:
        width, height = entry.photo["width"], entry.photo["height"]
        lines.insert(0, f"🖼 a picture, {width}×{height}{where}")
    out = [f"{label}: {lines[0]}", *(f"  {line}" for line in lines[1:])]
    if numbered:
        number = 0
        for row in entry.buttons:
            cells = []
            for button in row:
                number += 1
                cells.append(f"[{number}] {button.text}")
            out.append("    " + "   ".join(cells))
    return out


class TerminalChat:
    """The chat on standard input and output, until Ctrl-D."""

    def __init__(
        self,
        chat: PersonChat,
        *,
        out: TextIO | None = None,
        poll_seconds: float = _POLL_SECONDS,
        files_dir: Path | None = None,
    ) -> None:
        self.chat = chat
        self.out = out or sys.stdout
        self.poll_seconds = poll_seconds
        # Made on the first file: a private temporary folder unless one is given.
        self.files_dir = files_dir
        self._feed = chat.feed()
        self._typed: set[int] = set()  # messages typed here, not echoed back
        self._numbered: int | None = None  # the message whose buttons the numbers press
        self._reading = False  # the prompt is on screen and input() is waiting
        self._handled = threading.Event()
        self._lock = threading.Lock()

    async def run(self) -> None:
        """Chat until the user ends input (Ctrl-D); Ctrl-C cancels it like any task."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        # A daemon thread, not the default executor: a thread blocked in input() must not keep
        # the process alive after Ctrl-C.
        reader = threading.Thread(
            target=self._read_lines, args=(loop, lines), name="terminal-chat", daemon=True
        )
        if readline is not None:
            # Called once input() has printed the prompt: only from then on is there a prompt
            # to redraw.
            readline.set_pre_input_hook(self._prompt_shown)
        reader.start()
        watcher = asyncio.create_task(self._watch())
        try:
            while (line := await lines.get()) is not None:
                self._handle(line)
                self._handled.set()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if readline is not None:
                readline.set_pre_input_hook(None)

    def _prompt_shown(self) -> None:
        with self._lock:
            self._reading = True

    def _read_lines(
        self, loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None]
    ) -> None:
        while True:
            if readline is None:
                self._reading = True
            try:
                line = input(PROMPT)
            except (EOFError, KeyboardInterrupt, OSError):
                line = None
            finally:
                self._reading = False
            self._handled.clear()
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop closed while we waited for input
                return
            if line is None:
                return
            # The next prompt comes after what this line printed ("pressed ..."), not before.
            self._handled.wait()

    def _handle(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.isdigit():
            self._press(int(text))
            return
        try:
            self._typed.add(self.chat.say(text))
        except ValueError as error:
            self._print([f"(not sent: {error})"])

    def _press(self, number: int) -> None:
        entry = self._button_message()
        if entry is None:
            self._print(["(there are no buttons to press; type a message or /help)"])
            return
        buttons = entry.flat_buttons
        if not 1 <= number <= len(buttons):
            self._print([f"(choose a button from 1 to {len(buttons)})"])
            return
        button: Button = buttons[number - 1]
        try:
            self.chat.press(entry.message_id, button.data)
        except ValueError:
            self._print(["(that button is gone)"])
            return
        self._print([f"(pressed “{button.text}”)"])

    def _button_message(self) -> Entry | None:
        """The last message shown with buttons, if it still has them; else the newest that has."""
        entries = [e for e in self.chat.entries() if e.from_bot and e.buttons]
        for entry in entries:
            if entry.message_id == self._numbered:
                return entry
        return entries[-1] if entries else None

    async def _watch(self) -> None:
        while True:
            for change in self._feed.changes():
                self._show(change)
            await asyncio.sleep(self.poll_seconds)

    def _show(self, change: Change) -> None:
        if change.kind == "notice":
            self._print([f"  » {change.text}"])
            return
        entry = change.entry
        if entry is None:
            return  # a deletion: a terminal cannot take back what it printed
        if not entry.from_bot and entry.message_id in self._typed:
            return  # typed here: already on screen
        if entry.from_bot and entry.buttons:
            self._numbered = entry.message_id
        edited = change.kind == "edit"
        saved = self._save_file(entry) if entry.from_bot else None
        numbered = entry.message_id == self._numbered
        lines = format_entry(entry, edited=edited, numbered=numbered, saved_to=saved)
        self._print(["", *lines] if entry.from_bot else lines)

    def _save_file(self, entry: Entry) -> Path | None:
        """Save the photo or document a message brings; its path, or None without one."""
        file_id = (entry.photo or entry.document or {}).get("file_id")
        found = self.chat.file(str(file_id)) if file_id else None
        if found is None:
            return None
        content, name, _ = found
        if self.files_dir is None:
            # mkdtemp makes it readable by this user only: the files hold health data.
            self.files_dir = Path(tempfile.mkdtemp(prefix="isobot-sandbox-files-"))
        stem, dot, suffix = Path(name).name.rpartition(".")
        if entry.edits:  # an edited photo is a new picture; the earlier one stays
            name = f"{stem}-edit{entry.edits}{dot}{suffix}" if dot else f"{name}-edit{entry.edits}"
        path = self.files_dir / Path(name).name
        path.write_bytes(content)
        return path

    def _print(self, lines: list[str]) -> None:
        with self._lock:
            # Clear the prompt line, print, then redraw the prompt and what was typed so far.
            tty = self.out.isatty()
            self.out.write(("\r\x1b[K" if tty else "") + "\n".join(lines) + "\n")
            if self._reading:
                typed = readline.get_line_buffer() if readline is not None and tty else ""
                self.out.write(PROMPT + typed)
            self.out.flush()


def restore_terminal() -> Callable[[], None]:
    """Remember the terminal's mode now; the returned function puts it back (readline can
    leave it raw when the process stops while input() is waiting)."""
    try:
        import termios
    except ImportError:  # pragma: no cover - Windows
        return lambda: None
    try:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):  # not a terminal
        return lambda: None

    def restore() -> None:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    return restore
