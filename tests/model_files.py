"""Writing a trained model's weights where the content loader reads them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def write_model(path: Path, data: dict[str, Any], blocks: Sequence[Mapping[str, object]]) -> int:
    """Write `data` as compact JSON to `path` and say how many features its blocks hold."""
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {path} with {sum(len(b) for b in blocks)} features")
    return 0
