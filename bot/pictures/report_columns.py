"""The report's lists in columns: each entry wrapped to its column's width, the columns as even
as they go, and what cannot fit above the disclaimer summed up ("… and 9 more")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

BULLET = "• "
GUTTER = 3.0  # mm kept clear before the next column

Block = list[str]  # one entry's lines


@dataclass(frozen=True)
class Placed:
    """One line of a list: where it starts (mm from the left edge), on which row, and its text."""

    x: float
    row: int
    text: str


def column_lines(
    pdf: FPDF,
    entries: list[str],
    most: int,
    *,
    left: float,
    width: float,
    rows: int,
    least: int = 1,
) -> list[Placed]:
    """The entries' lines in as few columns (from `least` up to `most`) as hold them in `rows`
    rows, in the current font; the last ones summed up when even `most` columns cannot."""
    rows = max(rows, 1)
    for columns in range(least, most + 1):
        blocks = [_wrapped(pdf, entry, width / columns, rows) for entry in entries]
        filled = _filled(blocks, columns, rows)
        if filled is not None:
            return _placed(pdf, filled, left, width / columns)
    blocks = [_wrapped(pdf, entry, width / most, rows) for entry in entries]
    for kept in range(len(blocks) - 1, -1, -1):
        more = _wrapped(pdf, f"… and {len(blocks) - kept} more", width / most, rows)
        filled = _filled([*blocks[:kept], more], most, rows)
        if filled is not None:
            return _placed(pdf, filled, left, width / most)
    return []


def _wrapped(pdf: FPDF, entry: str, column: float, rows: int) -> Block:
    from fpdf.enums import MethodReturnValue

    indent = pdf.get_string_width(BULLET)
    lines = pdf.multi_cell(
        column - GUTTER - indent, text=entry, dry_run=True, output=MethodReturnValue.LINES
    )
    assert isinstance(lines, list)  # what output=LINES returns
    return [BULLET + lines[0], *lines[1:rows]]


def _filled(blocks: list[Block], columns: int, rows: int) -> list[list[Block]] | None:
    """The blocks, in order, in at most `columns` columns of at most `rows` lines, the tallest
    column as short as it can be; None if they do not fit."""
    if not blocks:
        return [[]]
    total = sum(len(block) for block in blocks)
    shortest = max(-(-total // columns), *(len(block) for block in blocks))
    for height in range(shortest, rows + 1):
        filled: list[list[Block]] = [[]]
        used = 0
        for block in blocks:
            if used + len(block) > height and filled[-1]:
                filled.append([])
                used = 0
            filled[-1].append(block)
            used += len(block)
        if len(filled) <= columns:
            return filled
    return None


def _placed(pdf: FPDF, filled: list[list[Block]], left: float, column: float) -> list[Placed]:
    indent = pdf.get_string_width(BULLET)
    placed = []
    for index, blocks in enumerate(filled):
        x, row = left + index * column, 0
        for block in blocks:
            for number, line in enumerate(block):
                placed.append(Placed(x if number == 0 else x + indent, row, line))
                row += 1
    return placed
