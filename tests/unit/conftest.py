"""Fixtures shared by the unit tests of the content library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from content import Library, load_library
from content.loader import PACKAGE_ROOT


@pytest.fixture(scope="session")
def library() -> Library:
    """The shipped content, loaded once: a Library is read, never changed."""
    return load_library()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the content files, safe to break."""
    copy = tmp_path / "content"
    shutil.copytree(PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy
