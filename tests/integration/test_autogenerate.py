"""`alembic revision --autogenerate`, as the README describes it for a change to the models: with
alembic.ini at the repository root and a database at head, it writes a numbered migration for a
model change, and nothing while the models and the migrations agree."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Column, Integer, String, Table

from storage.models import Base

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scripts(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Config:
    """The project's alembic.ini, with a copy of the migrations so the tree is left alone."""
    copy = tmp_path / "migrations"
    shutil.copytree(
        REPO_ROOT / "storage" / "migrations", copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setenv("DATABASE_URL", database_url)
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(copy))
    return config


@pytest.fixture
def new_model_table() -> Iterator[Table]:
    table = Table(
        "symptom_notes",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("note", String(200), nullable=False),
    )
    yield table
    Base.metadata.remove(table)


def _written(config: Config) -> list[Path]:
    versions = Path(config.get_main_option("script_location") or "") / "versions"
    return sorted(versions.glob("*.py"))


def test_no_revision_is_written_while_models_and_migrations_agree(scripts: Config) -> None:
    before = _written(scripts)
    command.revision(scripts, message="nothing changed", autogenerate=True)
    assert _written(scripts) == before


def test_a_model_change_gets_the_next_numbered_migration(
    scripts: Config, new_model_table: Table
) -> None:
    heads = [path.name[:4] for path in _written(scripts)]
    command.revision(scripts, message="symptom notes", autogenerate=True)
    expected = f"{int(max(heads)) + 1:04d}_symptom_notes.py"
    new = [path for path in _written(scripts) if path.name == expected]
    assert new, [path.name for path in _written(scripts)]
    text = new[0].read_text()
    assert "op.create_table(" in text and "'symptom_notes'" in text
    assert f'down_revision = "{max(heads)}"' in text or f"down_revision = '{max(heads)}'" in text
