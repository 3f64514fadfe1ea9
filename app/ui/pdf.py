"""The PDF report, drawn by Qt from the same report model as every other format; and export_to,
the one call that writes any format, PDF included, for the window and the command line."""

from __future__ import annotations

import logging
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QMarginsF,
    QMessageLogContext,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
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
    QTextDocument,
)

from app.domain.validate import ValidationError
from app.export import Report, render_print_html, write_report
from app.files import check_target, write_atomically

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

    QTextDocument and QPdfWriter need a QGuiApplication for fonts, never a screen. The command
    line therefore always starts Qt on the offscreen platform, whatever DISPLAY and
    QT_QPA_PLATFORM say: an unreachable X server, or an empty QT_QPA_PLATFORM, would otherwise
    make Qt abort the process (exit 134) with a message about xcb libraries. Qt's own warnings
    are kept off the terminal, so that a failure is the command line's one line.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    qInstallMessageHandler(_quiet_qt)
    # -platform on the command line wins over QT_QPA_PLATFORM, set or empty.
    app = QGuiApplication([*(sys.argv[:1] or ["claimdesk"]), "-platform", "offscreen"])
    global _OWN_APP
    _OWN_APP = app  # kept alive for the life of the process
    return app


def _quiet_qt(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages in a command-line PDF export go to the log, not to the terminal."""
    logging.getLogger("claimdesk.qt").debug("%s: %s", kind.name, message)


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
    path = check_target(Path(path))  # a bad place is refused before the drawing, not after
    # Drawn into memory, then written by the one atomic writer: QPdfWriter reports no write
    # errors, so drawing straight to a file on a full disk "succeeded" with a 0-byte file.
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = _draw(report, buffer, path.name, size_id, progress)
    buffer.close()
    write_atomically(path, bytes(buffer.data().data()))
    return pages


def _draw(
    report: Report, target: QBuffer, name: str, size_id: QPageSize.PageSizeId, progress: Progress | None
) -> int:
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    # The whole sheet is ours: margins are applied while drawing, so the footer can sit in one.
    writer.setPageLayout(
        QPageLayout(QPageSize(size_id), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    # Every page's footer carries the title: a draft says so on each page, not just the first.
    kind = "Draft fact-check" if report.draft else "Fact-check"
    title = f"{kind}: {report.article.title or 'Untitled article'}"
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

    docs = []
    for html in html_chunks(render_print_html(report, links=False)):
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setUndoRedoEnabled(False)
        # Lay out with the PDF's own metrics, so what is measured is what is drawn.
        doc.documentLayout().setPaintDevice(writer)
        doc.setHtml(html)
        docs.append(doc)
    cuts = page_cuts(docs, body.width(), body.height())
    starts = page_starts(docs, cuts)
    stack = _stack(docs)
    pages = len(cuts) - 1

    painter = QPainter()
    if not painter.begin(writer):
        raise ValidationError(f"Cannot write {name}: the PDF could not be started.")
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
            page_rect = QRectF(0, starts[index], body.width(), cuts[index + 1] - starts[index])
            for doc, offset, height in stack:  # the documents this page shows a part of
                if offset >= page_rect.bottom() or offset + height <= page_rect.top():
                    continue
                clip = page_rect.translated(0, -offset)
                painter.save()
                painter.translate(left, top - clip.top())
                painter.setClipRect(clip)
                context.clip = clip
                doc.documentLayout().draw(painter, context)
                painter.restore()
            _footer(painter, metrics, footer_font, title, index + 1, pages,
                    QRectF(left, footer_y, body.width(), 0))
            if progress is not None:
                progress(index + 1, pages)
    finally:
        painter.end()
    return pages


CLAIM_MARK = "<!--claim-->"
CLAIMS_PER_DOCUMENT = 200


def html_chunks(html: str, per: int = CLAIMS_PER_DOCUMENT) -> list[str]:
    """The print HTML as documents of `per` claims each (the first with everything before the
    claims, the last with everything after), each with the whole <head> and its styles. Qt's HTML
    import and layout of one document grow faster than its length (a 5,000-claim report took 4.5×
    the time of a 2,000-claim one per claim); documents of a few hundred claims keep it linear."""
    head, body_tag, body = html.partition("<body>")
    parts = body.split(CLAIM_MARK)
    if not body_tag or len(parts) <= per + 1:
        return [html]
    first, claims = parts[0], parts[1:]
    chunks = []
    for start in range(0, len(claims), per):
        text = (first if start == 0 else "") + "".join(claims[start:start + per])
        last = start + per >= len(claims)
        chunks.append(head + body_tag + text + ("" if last else "</body></html>"))
    return chunks


def _stack(docs: Sequence[QTextDocument]) -> list[tuple[QTextDocument, float, float]]:
    """Documents one below the other: each with its top and its height (laid out already)."""
    out, top = [], 0.0
    for doc in docs:
        height = doc.documentLayout().documentSize().height()
        out.append((doc, top, height))
        top += height
    return out


def page_cuts(doc: QTextDocument | Sequence[QTextDocument], width: float, page_height: float) -> list[float]:
    """Where each page starts in the laid-out document, and where the last one ends.

    The document is laid out once as one long page, then cut between lines: never through a
    line (nor through lines side by side in table cells), and never inside a group the template
    marks as one. QTextDocument has no keep-with-next, so the template marks groups with named
    anchors: "keep-start" opens one, "keep-end" closes it with the first line of the block after
    it, and "keep-line" does both (a label and the first line of what it labels). A claim's
    number, quote and verdict label, or a "Sources" label, then never sit alone at the foot of a
    page. A group taller than a page breaks where it must.

    Cutting here, rather than letting Qt paginate and adding page breaks to the document, costs
    one layout: each break added to a laid-out document relays out everything after it.
    """
    docs = [doc] if isinstance(doc, QTextDocument) else list(doc)
    for each in docs:
        each.setTextWidth(width)  # no page height: one long page
    stack = _stack(docs)
    bottom = sum(height for _, _, height in stack)
    bands: list[tuple[float, float]] = []
    groups: list[tuple[float, float]] = []
    group_top: float | None = None
    closing = False
    for each, offset, _height in stack:
        layout = each.documentLayout()
        block = each.begin()
        while block.isValid():
            lines = block.layout()
            count = lines.lineCount()
            # An empty block holds no ink, and the one Qt keeps after each table reports a place
            # above the table: it must not join the table's lines into one band.
            if count and block.length() > 1:
                origin = offset + layout.blockBoundingRect(block).top() - lines.boundingRect().top()
                first = lines.lineAt(0)
                first_top = origin + first.y()
                if closing:  # what a label labels: the next block with text
                    groups.append((group_top or 0.0, first_top + first.height()))
                    group_top, closing = None, False
                marker = _marker(block)
                if marker in ("keep-start", "keep-line") and group_top is None:
                    group_top = first_top
                if marker in ("keep-end", "keep-line") and group_top is not None:
                    closing = True
                for i in range(count):
                    line = lines.lineAt(i)
                    bands.append((origin + line.y(), origin + line.y() + line.height()))
            block = block.next()

    # Lines that overlap (table cells side by side) make one band a cut must not enter.
    bands.sort()
    merged: list[list[float]] = []
    for band_top, band_bottom in bands:
        if merged and band_top < merged[-1][1] - 0.01:
            merged[-1][1] = max(merged[-1][1], band_bottom)
        else:
            merged.append([band_top, band_bottom])
    bottom = max([bottom, *(b for _, b in merged[-1:])])
    band_tops = [band[0] for band in merged]
    group_tops = [g[0] for g in groups]

    def above(y: float, page_top: float) -> float:
        # Halfway up the gap over the line at y: a cell's fill or a highlight that reaches a
        # little past its line is then not left as a sliver at the foot of the page.
        i = bisect_right(band_tops, y - 0.01) - 1
        previous = merged[i][1] if i >= 0 else page_top
        return max((max(previous, page_top) + y) / 2, min(y, page_top + 1))

    cuts = [0.0]
    index = 0
    while cuts[-1] + page_height < bottom - 0.5:
        page_top = cuts[-1]
        limit = page_top + page_height
        while index < len(merged) and merged[index][1] <= limit:
            index += 1
        if index == len(merged):
            break
        cut = merged[index][0]
        if cut <= page_top + 1:  # one line taller than a page: cut through it
            cut = limit
        else:
            # The group the cut would split, if any, moves to the next page whole.
            g = bisect_right(group_tops, cut) - 1
            if g >= 0:
                g_top, g_end = groups[g]
                if page_top + 1 < g_top < cut < g_end and g_end - g_top <= page_height:
                    cut = g_top
            # Halfway up a gap that straddles the foot of the page is past it: stop at the foot.
            cut = min(above(cut, page_top), limit)
        cuts.append(cut)
    cuts.append(max(bottom, cuts[-1] + 1))
    return cuts


def page_starts(doc: QTextDocument | Sequence[QTextDocument], cuts: list[float]) -> list[float]:
    """Where each page's drawing starts: at its cut, or past a rule that would open the page.

    A rule separates what is above it from what is below; at the top of a page it separates
    nothing and reads as a stray line, so a page that would begin with one begins after it.
    """
    bands: list[tuple[float, float, bool]] = []
    for each, offset, _height in _stack([doc] if isinstance(doc, QTextDocument) else list(doc)):
        layout = each.documentLayout()
        block = each.begin()
        while block.isValid():
            lines = block.layout()
            if lines.lineCount() and block.length() > 1:
                origin = offset + layout.blockBoundingRect(block).top() - lines.boundingRect().top()
                is_rule = _marker(block) == "keep-start"
                for i in range(lines.lineCount()):
                    line = lines.lineAt(i)
                    bands.append((origin + line.y(), origin + line.y() + line.height(), is_rule))
            block = block.next()
    bands.sort()
    tops = [band[0] for band in bands]
    starts = [cuts[0]]
    for cut, end in pairwise(cuts[1:]):
        start = cut
        i = bisect_left(tops, cut - 0.01)
        if i < len(bands) and bands[i][2]:
            rule_bottom = bands[i][1]
            following = tops[i + 1] if i + 1 < len(bands) else end
            start = min(max(rule_bottom + 1, (rule_bottom + following) / 2), end)
        starts.append(start)
    return starts


def _marker(block: QTextBlock) -> str | None:
    it = block.begin()
    if it.atEnd():
        return None
    names = it.fragment().charFormat().anchorNames()
    return names[0] if names else None


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
