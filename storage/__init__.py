"""Persistence: the engine, the models, the queries and the migrations. Imports nothing of ours."""

from __future__ import annotations

from storage.db import Database, make_engine

__all__ = ["Database", "make_engine"]
