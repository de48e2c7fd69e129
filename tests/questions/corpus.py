"""The question corpus: ordinary questions labelled with the topic that answers them, or "none".

Written by four writers who never saw the matcher. corpus_dev.tsv trains the router
(train_topics.py); corpus_heldout.tsv, halves of two of the writers, is never read or tuned on.

    python -m tests.questions.corpus     # both parts' tallies
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from content import Library, load_library, match_topics
from content.topic_model import NONE

HERE = Path(__file__).parent
DEV = HERE / "corpus_dev.tsv"
HELD_OUT = HERE / "corpus_heldout.tsv"
# What match_topics did with a question: its topic alone, a choice holding it, another topic
# (alone or in a choice without it), nothing; for a "none" question, nothing or a topic.
OUTCOMES = ("right", "choice", "wrong", "nothing", "none kept", "none routed")


def read_questions(path: Path) -> list[tuple[str, str]]:
    """(topic, text) pairs; the header and # comments skipped."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#"):
            topic, _, text = line.partition("\t")
            found.append((topic, text))
    return found


def outcome(topic: str, offered: list[str]) -> str:
    if topic == NONE:
        return "none routed" if offered else "none kept"
    if not offered:
        return "nothing"
    if offered == [topic]:
        return "right"
    return "choice" if topic in offered else "wrong"


def tally(questions: list[tuple[str, str]], library: Library) -> Counter[str]:
    return Counter(
        outcome(topic, [t.command for t in match_topics(text, library)])
        for topic, text in questions
    )


def main() -> None:
    library = load_library()
    for name, path in (("dev", DEV), ("heldout", HELD_OUT)):
        counts = tally(read_questions(path), library)
        print(f"{name}: " + ", ".join(f"{o} {counts[o]}" for o in OUTCOMES))


if __name__ == "__main__":
    main()
