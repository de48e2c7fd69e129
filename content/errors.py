"""The one error the content package raises."""

from __future__ import annotations


class ContentError(Exception):
    """The content files are broken; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the content files:\n{lines}")
