"""Reading the trained models' weight files: a missing or broken file is a content problem, so
the bot refuses to start rather than run without its net or its router."""

from __future__ import annotations

import json
from pathlib import Path

from content.sign_model import load_sign_model
from content.topic_model import load_topic_model

ROUTER = {
    "classes": ["none", "sebum"],
    "intercepts": [0.0, 0.0],
    "sure": 0.5,
    "keep": 0.5,
    "blocks": [{" oi": [1.0, [0.0, 1.0]]}, {"oily": [1.0, [-1.0, 2.0]]}],
}


def test_a_missing_file_says_how_to_make_it(tmp_path: Path) -> None:
    problems: list[str] = []
    assert load_topic_model(tmp_path / "topic_model.json", {"sebum"}, problems) is None
    assert load_sign_model(tmp_path / "sign_model.json", problems) is None
    assert problems == [
        "topic_model.json: file is missing (python3 dev.py train makes it)",
        "sign_model.json: file is missing (python3 dev.py train makes it)",
    ]


def test_a_file_of_another_shape_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "topic_model.json"
    path.write_text(json.dumps({"classes": 3}))
    problems: list[str] = []
    assert load_topic_model(path, {"sebum"}, problems) is None
    assert problems and problems[0].startswith("topic_model.json: cannot be read")


def test_the_router_reads_its_weights_and_names_only_topics(tmp_path: Path) -> None:
    path = tmp_path / "topic_model.json"
    path.write_text(json.dumps(ROUTER))
    problems: list[str] = []
    router = load_topic_model(path, {"sebum"}, problems)
    assert problems == [] and router is not None
    assert router.probabilities("oily skin")[0][0] == "sebum"
    assert load_topic_model(path, {"pores"}, problems) is not None
    assert problems == ["topic_model.json: classes that are no topic: sebum"]
