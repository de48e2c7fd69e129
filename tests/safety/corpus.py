"""The safety corpus: messages people would write, labelled, and what the matcher makes of them.

Labels: `urgent:<family>` (a clear warning sign, now), `weak:<family>` (a real but vague one),
`benign:<family>` (a look-alike: a question, a negation, a joke, someone else, the past) and
`benign:none`. A warning sign counts as caught when the reply is urgent guidance or the check-in
question; a benign message counts as a false alarm when it gets urgent guidance.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from content import Library
from content.warning_signs import Level, assess

FOLDER = Path(__file__).resolve().parent
DEV = FOLDER / "corpus_dev.tsv"
HELD_OUT = FOLDER / "corpus_heldout.tsv"


@dataclass(frozen=True)
class Case:
    kind: str  # urgent, weak or benign
    family: str  # a family id, or "none"
    text: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    level: Level | None
    family: str | None

    @property
    def caught(self) -> bool:
        return self.level in {Level.URGENT, Level.ASK}

    @property
    def false_alarm(self) -> bool:
        return self.case.kind == "benign" and self.level is Level.URGENT


@dataclass
class Tally:
    total: int = 0
    caught: int = 0
    urgent: int = 0
    asked: int = 0
    misses: list[Outcome] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.total if self.total else 1.0


def read_cases(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    cases = []
    for row in rows[1:]:
        if not row or row[0].startswith("#"):
            continue
        kind, _, family = row[0].partition(":")
        cases.append(Case(kind, family, row[1]))
    return cases


def judge(cases: Iterable[Case], library: Library) -> list[Outcome]:
    outcomes = []
    for case in cases:
        found = assess(case.text, library)
        family = found.family.id if found and found.family else None
        outcomes.append(Outcome(case, found.level if found else None, family))
    return outcomes


def recall_by_family(outcomes: list[Outcome]) -> dict[str, Tally]:
    """Warning-sign messages (urgent and weak labels) by family."""
    tallies: dict[str, Tally] = {}
    for outcome in outcomes:
        if outcome.case.kind == "benign":
            continue
        tally = tallies.setdefault(outcome.case.family, Tally())
        tally.total += 1
        tally.urgent += outcome.level is Level.URGENT
        tally.asked += outcome.level is Level.ASK
        if outcome.caught:
            tally.caught += 1
        else:
            tally.misses.append(outcome)
    return dict(sorted(tallies.items()))


def overall_recall(outcomes: list[Outcome]) -> float:
    signs = [o for o in outcomes if o.case.kind != "benign"]
    return sum(o.caught for o in signs) / len(signs)


def benign_levels(outcomes: list[Outcome]) -> Counter[str]:
    """How benign messages were answered: urgent (a false alarm), ask, subject or nothing."""
    return Counter(
        o.level.value if o.level else "none" for o in outcomes if o.case.kind == "benign"
    )


def false_alarm_rate(outcomes: list[Outcome]) -> float:
    benign = [o for o in outcomes if o.case.kind == "benign"]
    return sum(o.false_alarm for o in benign) / len(benign)
