"""The PDF report, drawn by Qt from the same report model as every other format; and export_to,
the one call that writes any format, PDF included, for the window and the command line."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from app.domain.validate import ValidationError
from app.export import Report, render_print_html, write_report

PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}

# Layout units: at 96 dots per inch a CSS pixel is a device pixel, and points convert as in a
# browser. The PDF is vector, so this sets units, not image quality.
RESOLUTION = 96
MARGINS_MM = {"left": 18.0, "top": 16.0, "right": 18.0, "bottom": 20.0}
FOOTER_GAP_MM = 7.0  # from the text's bottom edge to the footer's baseline
FOOTER_FONT = ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial")
FOOTER_POINTS = 7.5
FOOTER_INK = "#8a8d93"
RULE_INK = "#e2e2e0"

Progress = Callable[[int, int], None]
"""Called with (pages drawn, pages in all) after each page."""


def ensure_gui_app() -> QGuiApplication:
    """The running Qt application, or a new offscreen one for the command line.

    QTextDocument and QPdfWriter need a QGuiApplication for fonts. Without a display (a server,
    CI, ssh), Qt's default platform would fail to start, so offscreen is chosen then, unless the
    user already chose a platform.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and "QT_QPA_PLATFORM" not in os.environ
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication(sys.argv[:1] or ["claimdesk"])
    global _OWN_APP
    _OWN_APP = app  # kept alive for the life of the process
    return app


_OWN_APP: QGuiApplication | None = None


def report_document(report: Report, *, links: bool = False, margin: float = 0) -> QTextDocument:
    """The report as a QTextDocument: what the PDF prints and the export dialog previews."""
    doc = QTextDocument()
    doc.setDocumentMargin(margin)
    doc.setUndoRedoEnabled(False)
    doc.setHtml(render_print_html(report, links=links))
    return doc


def write_pdf(
    report: Report,
    path: Path,
    *,
    page_size: str = "A4",
    progress: Progress | None = None,
) -> int:
    """Write the report as a PDF of A4 or Letter pages; returns the number of pages.

    Pages are drawn one by one, so each gets a "Page N of M" footer. The file appears only when
    complete: it is written beside the target and renamed.
    """
    size_id = PAGE_SIZES.get(page_size)
    if size_id is None:
        raise ValueError(f"Unknown page size {page_size!r}; choose one of: {', '.join(PAGE_SIZES)}")
    ensure_gui_app()
    path = Path(path).expanduser()
    tmp = _temporary_beside(path)
    try:
        pages = _draw(report, tmp, size_id, progress)
        # mkstemp made the file private (0600); give it the mode a new file would have.
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return pages


def _draw(report: Report, target: Path, size_id: QPageSize.PageSizeId, progress: Progress | None) -> int:
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION)
    # The whole sheet is ours: margins are applied while drawing, so the footer can sit in one.
    writer.setPageLayout(
        QPageLayout(QPageSize(size_id), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    title = f"Fact-check: {report.article.title or 'Untitled article'}"
    writer.setTitle(title)
    writer.setCreator("Claimdesk")
    if report.article.outlet:
        writer.setAuthor(report.article.outlet)

    mm = RESOLUTION / 25.4
    left, top = MARGINS_MM["left"] * mm, MARGINS_MM["top"] * mm
    body = QSizeF(
        writer.width() - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm,
        writer.height() - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm,
    )

    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setUndoRedoEnabled(False)
    # Lay out with the PDF's own metrics, so what is measured is what is drawn.
    doc.documentLayout().setPaintDevice(writer)
    doc.setPageSize(body)
    doc.setHtml(render_print_html(report, links=False))
    keep_together(doc, body.height())
    pages = doc.pageCount()

    painter = QPainter()
    if not painter.begin(writer):
        raise ValidationError(f"Cannot write {target.name}: the PDF could not be started.")
    try:
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, QColor("#1b1b1b"))
        footer_font = QFont()
        footer_font.setFamilies(list(FOOTER_FONT))
        footer_font.setPointSizeF(FOOTER_POINTS)
        metrics = QFontMetricsF(footer_font, writer)
        footer_y = top + body.height() + FOOTER_GAP_MM * mm
        for index in range(pages):
            if index:
                writer.newPage()
            page_rect = QRectF(0, index * body.height(), body.width(), body.height())
            painter.save()
            painter.translate(left, top - page_rect.top())
            painter.setClipRect(page_rect)
            context.clip = page_rect
            doc.documentLayout().draw(painter, context)
            painter.restore()
            _footer(painter, metrics, footer_font, title, index + 1, pages,
                    QRectF(left, footer_y, body.width(), 0))
            if progress is not None:
                progress(index + 1, pages)
    finally:
        painter.end()
    return pages


def keep_together(doc: QTextDocument, page_height: float) -> int:
    """Move each group the template marks to the next page when a page break would split it.

    QTextDocument has no keep-with-next, so the template marks groups with named anchors:
    "keep-start" opens one, "keep-end" closes it with the first line of the block after it, and
    "keep-line" does both (a label and the first line of what it labels). A claim's number,
    verdict and quote, or a "Sources" label, then never sit alone at the foot of a page. A group
    taller than a page is left to break. Returns the number of page breaks added.
    """
    layout = doc.documentLayout()
    # Qt lays out lazily, and a break added to a half-laid-out document leaves stale positions
    # behind it (blocks drawn nowhere): finish the layout first, then it updates correctly.
    layout.documentSize()
    added = 0
    start = None
    block = doc.begin()
    while block.isValid():
        marker = _marker(block)
        if marker in ("keep-start", "keep-line") and start is None:
            start = block
        if marker in ("keep-end", "keep-line") and start is not None:
            end = _first_line_bottom(layout, block.next())
            top = layout.blockBoundingRect(start).top()
            if end is not None and end - top < page_height and (
                int(top // page_height) != int((end - 0.5) // page_height)
            ):
                _break_before(start)
                added += 1
            start = None
        block = block.next()
    return added


def _marker(block: QTextBlock) -> str | None:
    it = block.begin()
    if it.atEnd():
        return None
    names = it.fragment().charFormat().anchorNames()
    return names[0] if names else None


def _first_line_bottom(layout: QAbstractTextDocumentLayout, block: QTextBlock) -> float | None:
    # Qt leaves an empty block after a table; what a label labels is the first one with text.
    for _ in range(4):
        if not block.isValid():
            return None
        if block.length() > 1:
            rect = layout.blockBoundingRect(block)
            lines = block.layout()
            first = lines.lineAt(0) if lines.lineCount() else None
            height = first.y() + first.height() if first is not None else rect.height()
            return rect.top() + height
        block = block.next()
    return None


def _break_before(block: QTextBlock) -> None:
    cursor = QTextCursor(block)
    table = cursor.currentTable()
    if table is not None:  # a rule: the break goes before the whole table
        frame = table.format()
        frame.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        table.setFormat(frame)
    else:
        fmt = QTextBlockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.mergeBlockFormat(fmt)


def _footer(
    painter: QPainter,
    metrics: QFontMetricsF,
    font: QFont,
    title: str,
    page: int,
    pages: int,
    line: QRectF,
) -> None:
    """A hairline, the report's title on the left and "Page N of M" on the right."""
    painter.save()
    painter.setPen(QPen(QColor(RULE_INK), 0.75))
    rule_y = line.top() - metrics.ascent() - metrics.descent()
    painter.drawLine(QPointF(line.left(), rule_y), QPointF(line.right(), rule_y))
    painter.setFont(font)
    painter.setPen(QColor(FOOTER_INK))
    number = page_label(page, pages)
    number_width = metrics.horizontalAdvance(number)
    painter.drawText(QPointF(line.right() - number_width, line.top()), number)
    room = line.width() - number_width - 24
    shown = metrics.elidedText(" ".join(title.split()), Qt.TextElideMode.ElideRight, room)
    painter.drawText(QPointF(line.left(), line.top()), shown)
    painter.restore()


def page_label(page: int, pages: int) -> str:
    """The footer's page number, counted over the whole report."""
    return f"Page {page} of {pages}"


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # overwriting keeps the old file's permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _temporary_beside(path: Path) -> Path:
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; name the file to write.")
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise ValidationError(f"Cannot write {path}: the folder {path.parent} does not exist.") from None
    except PermissionError:
        raise ValidationError(f"Cannot write {path}: permission denied.") from None
    os.close(fd)
    return Path(name)


def export_to(
    path: Path,
    fmt: str,
    report: Report,
    *,
    page_size: str = "A4",
    report_url: str = "",
    organisation: str = "",
    progress: Progress | None = None,
) -> Path:
    """Write report as fmt (any of app.export.FORMATS, PDF included) to path, atomically.

    report_url and organisation are for "claimreview"; page_size and progress for "pdf".
    Raises ValidationError (a one-line message for the user) when it cannot.
    """
    path = Path(path).expanduser()
    if fmt == "pdf":
        write_pdf(report, path, page_size=page_size, progress=progress)
    else:
        write_report(report, fmt, path, report_url=report_url, organisation=organisation)
        if progress is not None:
            progress(1, 1)
    return path
