"""Benchmarks that print figures; run them with `python3 dev.py bench`."""

from __future__ import annotations
