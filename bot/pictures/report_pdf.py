"""Drawing the one-page report as a PDF with fpdf2. Runs in the renderer's worker process."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from bot.pictures.report_columns import column_lines
from bot.pictures.report_model import (
    REPORT_TITLE,
    ReportData,
    adherence_row,
    check_entries,
    course_lines,
    long_day,
    missed_entries,
)

if TYPE_CHECKING:
    from fpdf import FPDF

_MARGIN = 15
# Where the disclaimer starts, 12 mm above the bottom margin of an A4 page (297 mm).
DISCLAIMER_TOP = 297 - _MARGIN - 12
_ROW = 4.6  # one line of a list
_SECTION = 10 + _ROW  # a heading and the first line of a list under it
_ADHERENCE_HEAD = ("Period", "Taken", "Doses", "Skipped", "No answer", "Not sent")


def _font_path() -> Path:
    # DejaVu Sans comes with matplotlib: a Unicode font with no extra package.
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def build_report_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes: one A4 page."""
    pdf = report_page(data)
    pdf.set_y(DISCLAIMER_TOP)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 4, data.disclaimer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def report_page(data: ReportData) -> FPDF:
    """The page with everything but the disclaimer; its lists fit above the disclaimer, in more
    columns or shortened ("… and 9 more") when a long course has many."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    fonts = _font_path()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{REPORT_TITLE}, {data.made_on.isoformat()}")
    pdf.set_creator("isobot")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 8, REPORT_TITLE.capitalize(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)
    pdf.cell(
        0,
        5,
        f"Made by isobot on {long_day(data.made_on)} ({data.timezone}) from what the patient "
        "entered and the doses they logged.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _heading(pdf, "Course")
    _pairs(pdf, course_lines(data.course))
    if data.chart is not None:
        _chart(pdf, data)
    _heading(pdf, "Adherence (dose reminders answered)")
    _adherence(pdf, data)
    later = 2 if data.checkin_lines else 1
    _heading(pdf, "Days a dose was skipped, unanswered or not sent")
    missed = missed_entries(data.missed) or ["None recorded."]
    _columns(pdf, missed, 3, sections_after=later, least=2 if len(missed) > 6 else 1)
    _heading(pdf, "Blood and pregnancy test reminders")
    _columns(pdf, check_entries(data), 2, sections_after=later - 1)
    if data.checkin_lines:
        _heading(pdf, "Weekly check-ins")
        _columns(pdf, list(data.checkin_lines), 1, sections_after=0)
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2.5)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(150, 150, 150)
    pdf.line(_MARGIN, pdf.get_y(), pdf.w - _MARGIN, pdf.get_y())
    pdf.ln(1)


def _pairs(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(45, 5, label)
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")


def _chart(pdf: FPDF, data: ReportData) -> None:
    from bot.pictures.course_chart import draw_course_chart

    assert data.chart is not None
    png = draw_course_chart(data.chart)
    width = 120
    pdf.image(io.BytesIO(png), x=(pdf.w - width) / 2, y=pdf.get_y() + 1, w=width)
    pdf.set_y(pdf.get_y() + 1 + width * 5 / 8)


def _adherence(pdf: FPDF, data: ReportData) -> None:
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(
        col_widths=(40, 20, 25, 20, 22, 20),
        width=147,
        align="LEFT",
        line_height=5,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        table.row(_ADHERENCE_HEAD)
        for label, adherence in data.adherence:
            table.row(adherence_row(label, adherence))


def _columns(
    pdf: FPDF, entries: list[str], most: int, *, sections_after: int, least: int = 1
) -> None:
    """The entries in as few columns (from `least` up to `most`) as fit above what is still to
    come, each wrapped to its column; the last ones summed up when even `most` cannot hold them."""
    pdf.set_font("DejaVu", "", 9)
    top = pdf.get_y()
    room = int((DISCLAIMER_TOP - 1 - sections_after * _SECTION - top) // _ROW)
    width = pdf.w - 2 * _MARGIN
    placed = column_lines(pdf, entries, most, left=_MARGIN, width=width, rows=room, least=least)
    for line in placed:
        pdf.set_xy(line.x, top + line.row * _ROW)
        pdf.cell(h=_ROW, text=line.text)
    pdf.set_xy(_MARGIN, top + max((line.row + 1 for line in placed), default=0) * _ROW)
