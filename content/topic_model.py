"""A statistical router for free questions: which topic a question is about, by how sure.

A multinomial logistic regression over the warning-sign net's features (character n-grams and
word pairs), trained on the development part of the question corpus
(tests/questions/train_topics.py) and shipped as topic_model.json. Hand-written keywords reach
the wordings their writer foresaw; written by other people, half the questions missed them. One
class, "none", stands for questions no topic answers ("how much does it cost").
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.text_features import FEATURES, read_model, weighted

NONE = "none"  # the class of questions no topic answers


@dataclass(frozen=True)
class TopicModel:
    """The trained weights: the classes, their intercepts, and per block of features each
    feature's idf and its weight for each class."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    blocks: tuple[dict[str, tuple[float, tuple[float, ...]]], ...]
    # The model decides on its own from this probability; below it, the keywords have a say.
    sure: float = 0.5
    # Runners-up with at least this share of the best's probability are offered beside it.
    keep: float = 0.5

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """Each class and its probability, the likeliest first."""
        scores = list(self.intercepts)
        for value, weights in weighted(text, self.blocks):
            for k, weight in enumerate(weights):
                scores[k] += value * weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        ranked = sorted(zip(self.classes, exps, strict=True), key=lambda pair: -pair[1])
        return [(name, e / total) for name, e in ranked]


def load_topic_model(path: Path, topics: Collection[str], problems: list[str]) -> TopicModel | None:
    """The router's weights; `topics`: the topic commands its classes must name."""
    model = read_model(path, _from_json, problems)
    if model is None:
        return None
    label, classes = path.name, model.classes
    widths = {len(ws) for block in model.blocks for _, ws in block.values()}
    shaped = len(model.blocks) == len(FEATURES) and all(model.blocks)
    if not shaped or widths != {len(classes)} or len(model.intercepts) != len(classes):
        problems.append(f"{label}: needs a weight per class for every feature of both blocks")
    if NONE not in classes or not 0 < model.sure < 1 or not 0 < model.keep <= 1:
        problems.append(f"{label}: needs a '{NONE}' class and sure and keep in (0, 1]")
    unknown = set(classes) - {NONE} - set(topics)
    if unknown:
        problems.append(f"{label}: classes that are no topic: {', '.join(sorted(unknown))}")
    return model


def _from_json(data: dict[str, Any]) -> TopicModel:
    return TopicModel(
        classes=tuple(str(c) for c in data["classes"]),
        intercepts=tuple(float(i) for i in data["intercepts"]),
        blocks=tuple(
            {str(g): (float(idf), tuple(float(w) for w in ws)) for g, (idf, ws) in b.items()}
            for b in data["blocks"]
        ),
        sure=float(data["sure"]),
        keep=float(data["keep"]),
    )
