"""Handler areas; each module exposes register(application)."""

from __future__ import annotations
