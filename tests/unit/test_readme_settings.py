"""The README's settings table: every row is a setting the bot reads, and the deployment
settings are all there."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
DEPLOYMENT = {"BOT_MODE", "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_SECRET", "HEALTH_LISTEN"}


def documented_settings() -> set[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))


def test_every_row_of_the_readme_table_is_a_setting() -> None:
    assert documented_settings() <= {name.upper() for name in Settings.model_fields}


def test_webhook_health_and_instance_settings_are_documented() -> None:
    assert documented_settings() >= DEPLOYMENT
