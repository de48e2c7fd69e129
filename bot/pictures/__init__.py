"""Pictures and the report: the /history calendar, the /course chart and the /report PDF.

The layout and data modules here are pure and light. The drawing modules (calendar,
course_chart, report_pdf) import matplotlib and fpdf2 inside their functions, and run in the
renderer's worker process (renderer.py), so the bot itself never imports them: start-up and
idle memory stay as they were, and drawing never holds up the event loop.
"""
