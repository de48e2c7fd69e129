"""The /course chart sent or edited with its screen as the caption. Split from
bot/handlers/course.py, which decides what the screen and the chart are."""

from __future__ import annotations

from telegram import CallbackQuery, InputFile, InputMediaPhoto, Message

from bot.keyboards import Screen
from bot.pictures.caption import MAX_CAPTION, visible_length
from bot.pictures.chart_data import ChartData
from bot.pictures.course_chart import draw_course_chart
from bot.pictures.renderer import PictureError, renderer


async def chart_png(chart: ChartData | None, caption: str) -> bytes | None:
    """The chart drawn, when there is one and the screen fits as its caption."""
    if chart is None or visible_length(caption) > MAX_CAPTION:
        return None
    try:
        return await renderer.render(draw_course_chart, chart)
    except PictureError:
        return None


async def reply_with_chart(message: Message, reply: Screen, chart: ChartData | None) -> None:
    """The screen as the chart's caption, or as a message when there is no chart to go with it."""
    png = await chart_png(chart, reply[0])
    if png is not None:
        picture = InputFile(png, filename="course.png")
        await message.reply_photo(picture, caption=reply[0], reply_markup=reply[1])
        return
    await message.reply_text(reply[0], reply_markup=reply[1])


async def edit_chart(query: CallbackQuery, reply: Screen, chart: ChartData | None) -> None:
    """A screen under the chart is redrawn with it, so the two never disagree; a question
    (has it ended?) changes the caption only."""
    png = await chart_png(chart, reply[0])
    if png is None:
        await query.edit_message_caption(reply[0], reply_markup=reply[1])
        return
    media = InputMediaPhoto(InputFile(png, filename="course.png", attach=True), caption=reply[0])
    await query.edit_message_media(media, reply_markup=reply[1])
