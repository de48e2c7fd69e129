"""Files that hold people's health data, readable by the bot's own user alone.

The modes are set explicitly rather than left to the umask: a typical umask of 022 would make
the database (doses, courses, check-ins) and its folder readable by every account on the host.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# SQLite's companions of a database file; it creates them with the database file's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

log = logging.getLogger("isobot.storage")


def make_private_folder(folder: Path) -> None:
    """Create `folder`, and any missing parent, as 0700.

    A folder that already exists keeps its mode: it may be the working directory or a volume
    the operator set up, and changing those is not ours to do.
    """
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:  # made by someone else meanwhile: theirs, so left as it is
            continue
        # mkdir's mode passes through the umask, which may take away more than we want.
        path.chmod(PRIVATE_FOLDER_MODE)


def make_private_file(path: Path) -> None:
    """Create `path` empty as 0600, or take group and other access from an existing one."""
    make_private_folder(path.parent)
    try:
        # O_EXCL: only a file made here is set to 0600 outright; one that exists (or a link
        # where it should be) keeps its owner's bits and loses the others'.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        _tighten(path)
        return
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # the umask may have taken the owner's write bit
    finally:
        os.close(fd)


def prepare_sqlite_file(database: str) -> None:
    """Before SQLite opens `database`: the file and its folder exist, private.

    SQLite gives the -wal and -shm files it creates the database file's mode, so making the
    database 0600 before the first connection makes them 0600 too. Leftovers from an earlier,
    looser version are tightened here as well.
    """
    if database in {"", ":memory:"} or database.startswith("file:"):
        return
    path = Path(database)
    make_private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion)


def _tighten(path: Path) -> None:
    mode = path.stat().st_mode & 0o777
    if not mode & 0o077:
        return
    try:
        path.chmod(mode & ~0o077)
    except PermissionError:
        # Someone else's file (set up by the operator, say): ours to report, not to fix.
        log.warning("%s is readable by other accounts and not ours to change; chmod 600 it", path)
