"""The campaign report as a PDF: facts, key figures, the weekly chart, partners and posts.

Written with QPdfWriter and QPainter (QtGui); the chart is the Reports view's own chart,
rendered at print resolution into an image on the first page. On paper there are no
tooltips, so numbers are exact (12,431), right-aligned in the tables. Long post lists
continue on further pages under a repeated header; every page has a footer.

The chart is a ``QChart`` (a graphics widget): :func:`pdf_chart` renders it on the GUI
thread. :func:`write_campaign_pdf` paints only on a ``QPdfWriter`` (fonts, text, an
image), which Qt allows on any thread, so the app runs it on a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QLocale, QMarginsF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
)
from PySide6.QtWidgets import QGraphicsScene

from socialdesk import APP_NAME
from socialdesk.core.atomic import AtomicFiles, ExportCancelled
from socialdesk.core.formatting import exact, percent
from socialdesk.qt.reports.charts import leverage_chart
from socialdesk.qt.reports.figures import date_span, hours_text, long_date
from socialdesk.store.report_models import CampaignReport, PartnerAsks

Progress = Callable[[int, int], bool]  # (pages painted, pages): False cancels

DPI = 300
INK, GREY, RULE, SHADE = QColor("#1f1f1f"), QColor("#666666"), QColor("#bbbbbb"), QColor("#f2f2f2")
CHART_SIZE = QSize(760, 330)  # logical pixels, rendered at 3.5× (about 380 dpi on A4)


class ReportError(Exception):
    """The PDF could not be written (with a message naming the file)."""


def print_palette() -> QPalette:
    """Dark text on white, whatever the screen's palette: for paper."""
    palette = QPalette(QColor("white"))
    palette.setColor(QPalette.ColorRole.Text, INK)
    palette.setColor(QPalette.ColorRole.WindowText, INK)
    palette.setColor(QPalette.ColorRole.Mid, RULE)
    return palette


def chart_image(report: CampaignReport, scale: float = 3.5) -> QImage:
    """The campaign's weekly chart rendered offscreen into an image, for print."""
    chart = leverage_chart(report.weeks, print_palette())
    scene = QGraphicsScene()  # a chart lays itself out in a scene, shown or not
    scene.addItem(chart)
    area = QRectF(0, 0, CHART_SIZE.width(), CHART_SIZE.height())
    chart.setGeometry(area)
    image = QImage(CHART_SIZE * scale, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, area, area)
    painter.end()
    scene.removeItem(chart)
    chart.deleteLater()
    return image


def pdf_chart(report: CampaignReport) -> QImage | None:
    """The chart for the campaign's PDF, or None when no published post has results.

    Call it on the GUI thread: a ``QChart`` is a graphics widget.
    """
    return None if report.totals.empty else chart_image(report)


@dataclass(frozen=True)
class _Column:
    header: str
    width: float  # share of the page width
    value: Callable[[Any], str]
    numeric: bool = False


class _Flow:
    """Lays blocks down the page, starting new pages; draws only when given a painter."""

    def __init__(self, writer: QPdfWriter, painter: QPainter | None, pages: int,
                 footer: str, progress: Progress | None = None) -> None:
        self.writer, self.painter, self.pages, self.footer = writer, painter, pages, footer
        self.progress = progress
        paint = writer.pageLayout().paintRectPixels(DPI)
        self.width, self.height = float(paint.width()), float(paint.height())
        self.small = self.font(8)
        self.bottom = self.height - QFontMetricsF(self.small, writer).height() * 2
        self.page, self.y = 1, 0.0

    def font(self, points: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def line_height(self, font: QFont) -> float:
        return QFontMetricsF(font, self.writer).height()

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` more fits on this one."""
        if self.y + height > self.bottom and self.y > 0:
            self.new_page()

    def new_page(self) -> None:
        self.finish_page()
        if self.painter is not None:
            self.report(self.page)
            self.writer.newPage()
        self.page += 1
        self.y = 0.0

    def report(self, painted: int) -> None:
        """Tell ``progress`` how many pages are painted; raise ExportCancelled on Cancel."""
        if self.progress is not None and not self.progress(painted, self.pages):
            raise ExportCancelled("The report was not written.")

    def finish_page(self) -> None:
        if self.painter is None:
            return
        self.painter.setFont(self.small)
        self.painter.setPen(GREY)
        rect = QRectF(0, self.bottom, self.width, self.height - self.bottom)
        self.painter.drawText(rect, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
                              self.footer)
        self.painter.drawText(rect, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight,
                              f"Page {self.page} of {self.pages}")

    def text(self, text: str, font: QFont, colour: QColor = INK, gap: float = 0.3) -> None:
        """A paragraph, wrapped to the page width, then a gap (in lines)."""
        metrics = QFontMetricsF(font, self.writer)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        bound = metrics.boundingRect(QRectF(0, 0, self.width, 1e6), int(flags), text)
        self.need(bound.height())
        if self.painter is not None:
            self.painter.setFont(font)
            self.painter.setPen(colour)
            self.painter.drawText(QRectF(0, self.y, self.width, bound.height()), int(flags),
                                  text)
        self.y += bound.height() + metrics.height() * gap

    def figures(self, items: Sequence[tuple[str, str, str]], per_row: int = 3) -> None:
        """Key figures in a grid: a caption over a big value over a short note."""
        caption, value = self.font(8.5), self.font(15, bold=True)
        heights = (self.line_height(caption), self.line_height(value) * 1.05,
                   self.line_height(caption) * 1.6)
        cell_w = self.width / per_row
        for start in range(0, len(items), per_row):
            self.need(sum(heights))
            for i, texts in enumerate(items[start:start + per_row]):
                if self.painter is None:
                    continue
                y = self.y
                for text, font, colour, height in zip(
                        texts, (caption, value, caption), (GREY, INK, GREY), heights,
                        strict=True):
                    self.painter.setFont(font)
                    self.painter.setPen(colour)
                    self.painter.drawText(QRectF(i * cell_w, y, cell_w - 20, height),
                                          int(Qt.AlignmentFlag.AlignLeft), text)
                    y += height
            self.y += sum(heights)

    def image(self, image: QImage) -> None:
        """An image across the page width, keeping its proportions."""
        height = self.width * image.height() / image.width()
        self.need(height)
        if self.painter is not None:
            self.painter.drawImage(QRectF(0, self.y, self.width, height), image)
        self.y += height + self.line_height(self.small)

    def table(self, title: str, columns: Sequence[_Column], rows: Sequence[object],
              empty: str) -> None:
        """A titled table; long ones continue on the next pages with the header repeated."""
        heading, body = self.font(11, bold=True), self.font(9)
        row_h = self.line_height(body) * 1.45
        self.need(self.line_height(heading) * 1.4 + row_h * (2 if rows else 1))
        self.text(title, heading, gap=0.2)
        if not rows:
            self.text(empty, body, GREY)
            return
        self._header(columns, row_h)
        for n, row in enumerate(rows):
            if self.y + row_h > self.bottom:
                self.new_page()
                self.text(f"{title} (continued)", heading, gap=0.2)
                self._header(columns, row_h)
            if self.painter is not None:
                if n % 2:
                    self.painter.fillRect(QRectF(0, self.y, self.width, row_h), SHADE)
                self._cells(columns, [c.value(row) for c in columns], body, INK, row_h)
            self.y += row_h
        self.y += row_h * 0.6

    def _header(self, columns: Sequence[_Column], row_h: float) -> None:
        if self.painter is not None:
            self._cells(columns, [c.header for c in columns], self.font(8.5, bold=True),
                        GREY, row_h)
            self.painter.setPen(RULE)
            self.painter.drawLine(0, int(self.y + row_h), int(self.width), int(self.y + row_h))
        self.y += row_h

    def _cells(self, columns: Sequence[_Column], texts: Sequence[str], font: QFont,
               colour: QColor, row_h: float) -> None:
        assert self.painter is not None
        self.painter.setFont(font)
        self.painter.setPen(colour)
        metrics = QFontMetricsF(font, self.writer)
        pad = metrics.averageCharWidth() * 0.6
        x = 0.0
        for column, text in zip(columns, texts, strict=True):
            width = column.width * self.width
            align = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 2 * pad)
            self.painter.drawText(QRectF(x + pad, self.y, width - 2 * pad, row_h),
                                  int(align | Qt.AlignmentFlag.AlignVCenter), shown)
            x += width


def _count(value: int | None) -> str:
    return exact(value) if value is not None else "–"


def _partner(p: PartnerAsks) -> str:
    return f"{p.name} ({p.organisation})" if p.organisation else p.name


PARTNER_COLUMNS = [
    _Column("Partner", 0.36, _partner),
    _Column("Asked", 0.10, lambda p: _count(p.asked), True),
    _Column("Shared", 0.10, lambda p: _count(p.shared), True),
    _Column("Success", 0.12, lambda p: percent(p.success), True),
    _Column("Reach via them", 0.18, lambda p: _count(p.reach), True),
    _Column("Visits", 0.14, lambda p: _count(p.visits), True),
]
POST_COLUMNS = [
    _Column("Date", 0.14, lambda p: long_date(p.scheduled_on)),
    _Column("Post", 0.31, lambda p: p.title),
    _Column("Status", 0.11, lambda p: p.status),
    _Column("Own reach", 0.13, lambda p: _count(p.own_reach), True),
    _Column("Asks", 0.07, lambda p: _count(p.asks), True),
    _Column("Shared", 0.10, lambda p: _count(p.shared), True),
    _Column("Via partners", 0.14, lambda p: _count(p.partner_reach), True),
]


def key_figures(report: CampaignReport) -> list[tuple[str, str, str]]:
    """The report's headline figures as (caption, exact value, note) triples."""
    totals = report.totals
    per_hour = totals.reach_per_hour
    answered = report.asks - report.waiting
    return [
        ("Posts", f"{len(report.posts):,}", f"{report.published:,} published"),
        ("Own reach", exact(totals.own_reach), "by your published posts"),
        ("Reach through partners", exact(totals.partner_reach), "by partners' shares"),
        ("Leverage ratio", f"{totals.ratio:.2f}" if totals.ratio is not None else "–",
         "reach through partners ÷ own reach"),
        ("Asks", f"{report.asks:,}",
         f"{report.shared:,} of {answered:,} answered shared" if answered
         else "none answered yet" if report.asks else "none yet"),
        ("Reach per hour of asking",
         exact(round(per_hour)) if per_hour is not None else "–",
         f"{hours_text(totals.effort_minutes)} spent asking" if totals.effort_minutes
         else "no asks for published posts"),
        ("Visits", exact(report.visits), "through partners' tracked links"),
    ]


def _layout(flow: _Flow, report: CampaignReport, chart: QImage | None, source: str) -> None:
    facts = report.facts
    flow.text(facts.name, flow.font(20, bold=True), gap=0.1)
    flow.text(f"Campaign report · {date_span(facts.first, facts.last)} · {source}",
              flow.font(9), GREY, gap=0.8)
    if facts.goal:
        flow.text(f"Goal: {facts.goal}", flow.font(11), gap=0.8)
    flow.figures(key_figures(report))
    flow.y += flow.line_height(flow.small)
    flow.text("Reach of published posts per week", flow.font(11, bold=True), gap=0.2)
    if chart is None:
        flow.text("No published post of this campaign has results yet: once posts go out, "
                  "type in their reach and record partners' shares on their asks.",
                  flow.font(9), GREY, gap=1.0)
    else:
        flow.image(chart)
    flow.table("Top partners", PARTNER_COLUMNS, report.partners,
               "No partner was asked to share this campaign's posts.")
    flow.table("Posts", POST_COLUMNS, report.posts, "This campaign has no posts yet.")
    flow.finish_page()


def page_size() -> QPageSize:
    """Letter where the locale measures in inches (US), A4 elsewhere."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if imperial else QPageSize.PageSizeId.A4)


def write_campaign_pdf(path: Path, report: CampaignReport, chart: QImage | None, *,
                       source: str = "", made_on: date | None = None,
                       progress: Progress | None = None) -> int:
    """Write the campaign report to ``path`` as a PDF; return its number of pages.

    ``chart`` is :func:`pdf_chart`'s image. ``source`` names the workspace in the subtitle.
    ``progress(pages painted, pages)`` hears of every page; when it returns False the
    work stops with ExportCancelled. The PDF is made in memory, then written to a
    temporary file beside ``path`` that replaces it in one step, so a failure or a
    Cancel never leaves half a file. Raises ReportError when the file cannot be written.
    """
    made = made_on or date.today()
    footer = f"{report.facts.name} · made {long_date(made.isoformat())} with {APP_NAME}"
    source_text = f"from {source}" if source else f"made with {APP_NAME}"
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(page_size(), QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 16, 16, 14), QPageLayout.Unit.Millimeter))
    writer.setTitle(f"{report.facts.name} — campaign report")
    writer.setCreator(APP_NAME)
    dry = _Flow(writer, None, 0, footer)
    _layout(dry, report, chart, source_text)
    painter = QPainter(writer)
    flow = _Flow(writer, painter, dry.page, footer, progress)
    try:
        flow.report(0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _layout(flow, report, chart, source_text)
    finally:
        painter.end()
    del writer  # finishes the document
    flow.report(dry.page)
    try:
        with AtomicFiles() as files:
            files.open(path, binary=True).write(bytes(buffer.data().data()))
    except OSError as error:
        raise ReportError(f"{path}: cannot write the PDF there "
                          f"({error.strerror or error}).") from error
    return dry.page
