"""A statistical net under the warning-sign phrases: how likely a message reports a sign at all.

A logistic regression over two blocks of features, character n-grams (which forgive typos) and
words and word pairs (which keep their order), trained on the development part of the safety
corpus (tests/safety/train_model.py) and shipped as sign_model.json. It catches wordings no
phrase foresaw ("i look like a highlighter"), so a message it scores above its threshold gets the
check-in question even when no phrase matched. It never sends urgent guidance on its own: that
stays with the phrases, which can be read for negation, other people and the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.text_features import FEATURES, read_model, weighted


@dataclass(frozen=True)
class SignModel:
    """The trained weights: per block of features, each feature's idf and weight."""

    intercept: float
    blocks: tuple[dict[str, tuple[float, float]], ...]
    threshold: float
    # Below this, the net doubts a phrase's urgent reading enough that the check-in asks
    # first ("my laptop committed suicide"); set so that 2% of the corpus's urgent messages
    # would be asked rather than answered, measured out of fold.
    veto: float = 0.0

    def probability(self, text: str) -> float:
        score = self.intercept + sum(v * w for v, w in weighted(text, self.blocks))
        return 1 / (1 + math.exp(-score))

    def flags(self, text: str) -> bool:
        return self.probability(text) >= self.threshold

    def doubts(self, text: str) -> bool:
        return self.probability(text) < self.veto


def load_sign_model(path: Path, problems: list[str]) -> SignModel | None:
    model = read_model(path, _from_json, problems)
    if model is None:
        return None
    shaped = len(model.blocks) == len(FEATURES) and all(model.blocks)
    if not shaped or not 0 < model.threshold < 1 or not 0 <= model.veto < model.threshold:
        problems.append(f"{path.name}: needs weights, a threshold in (0, 1) and a veto below it")
    return model


def _from_json(data: dict[str, Any]) -> SignModel:
    return SignModel(
        intercept=float(data["intercept"]),
        blocks=tuple(
            {str(g): (float(i), float(w)) for g, (i, w) in block.items()}
            for block in data["blocks"]
        ),
        threshold=float(data["threshold"]),
        veto=float(data.get("veto", 0.0)),
    )
