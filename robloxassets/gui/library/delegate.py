"""Paints one Library grid cell: checkerboard, thumbnail, verdict badge, catalogue and
prepared-copy marks, name and size line (what the image becomes is always shown)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from robloxassets.core.catalog.links import CatalogLink
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.gui.checker import checker_brush
from robloxassets.gui.library.model import Role
from robloxassets.gui.style import (
    BLUE,
    GREEN,
    SLATE,
    VERDICT_GLYPHS,
    status_color,
    verdict_color,
)

PADDING = 6
TEXT_LINES = 2


def size_lines(info: ImageInfo | None) -> list[str]:
    """The cell's size line, longest first: the cell shows the first that fits. What the
    image becomes (the target size) is in every one; the original size goes first."""
    if info is None:
        return ["Checking…"]
    if info.width is None or info.height is None:
        return [info.verdict.label]
    size = f"{info.width} × {info.height}"
    target = info.target_size
    if not target or target == (info.width, info.height):
        return [size, f"{info.width}×{info.height}"]
    return [f"{size} → {target[0]} × {target[1]}", f"→ {target[0]} × {target[1]}",
            f"→{target[0]}×{target[1]}"]


def size_line(info: ImageInfo | None) -> str:
    return size_lines(info)[0]


def fitting_size_line(info: ImageInfo | None, metrics: QFontMetrics, width: int) -> str:
    """The longest size line that fits ``width``; the shortest one, elided, when none does."""
    lines = size_lines(info)
    for line in lines:
        if metrics.horizontalAdvance(line) <= width:
            return line
    return metrics.elidedText(lines[-1], Qt.TextElideMode.ElideRight, width)


class LibraryDelegate(QStyledItemDelegate):
    """Draws cells of ``thumb_size`` logical pixels; change it with ``set_thumb_size``."""

    def __init__(self, parent: QWidget | None = None, thumb_size: int = 128) -> None:
        super().__init__(parent)
        self.thumb_size = thumb_size
        self._checker: QBrush | None = None
        self._checker_key: int | None = None

    def set_thumb_size(self, size: int) -> None:
        self.thumb_size = size

    def cell_size(self, option_font: QFont) -> QSize:
        line = QFontMetrics(option_font).height()
        return QSize(self.thumb_size + 2 * PADDING,
                     self.thumb_size + 2 * PADDING + TEXT_LINES * (line + 2) + 4)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return self.cell_size(option.font)

    def _brush(self, palette: QPalette) -> QBrush:
        key = palette.color(QPalette.ColorRole.Base).rgba()
        if self._checker is None or self._checker_key != key:
            self._checker = checker_brush(palette)
            self._checker_key = key
        return self._checker

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = option.palette
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            fill = QColor(highlight)
            fill.setAlpha(60)
            painter.setPen(QPen(highlight, 2))
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 6, 6)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            hover = QColor(palette.color(QPalette.ColorRole.Highlight))
            hover.setAlpha(25)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(hover)
            painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 6, 6)

        size = self.thumb_size
        square = QRect(rect.x() + (rect.width() - size) // 2, rect.y() + PADDING, size, size)
        image = index.data(Role.THUMBNAIL)
        info: ImageInfo | None = index.data(Role.INFO)
        if isinstance(image, QImage) and not image.isNull():
            scaled = image.size().scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(square.x() + (size - scaled.width()) // 2,
                           square.y() + (size - scaled.height()) // 2,
                           scaled.width(), scaled.height())
            if image.hasAlphaChannel():
                painter.fillRect(target, self._brush(palette))
            painter.drawImage(target, image)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._brush(palette))
            painter.drawRoundedRect(QRectF(square), 4, 4)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            glyph = "…" if info is None else ("✕" if info.verdict is Verdict.CORRUPT else "")
            font = QFont(option.font)
            font.setPointSizeF(font.pointSizeF() * 2)
            painter.setFont(font)
            painter.drawText(square, Qt.AlignmentFlag.AlignCenter, glyph)

        prepared = bool(index.data(Role.PREPARED))
        if info is not None:
            self._badge(painter, square, info.verdict, option.font, prepared)
        link: CatalogLink | None = index.data(Role.CATALOG)
        if link is not None:
            self._catalog_badge(painter, square, link, option.font)
        duplicates = index.data(Role.DUPLICATES)
        if duplicates:
            self._duplicates_badge(painter, square, int(duplicates), option.font)
        if prepared:
            self._corner_pill(painter, square, "Prepared", GREEN, option.font)
        elif index.data(Role.COPY):
            self._corner_pill(painter, square, "Copy", SLATE, option.font)

        painter.setFont(option.font)
        metrics = painter.fontMetrics()
        # A little headroom: fallback fonts (e.g. CJK names) run taller than the UI font.
        line = metrics.height() + 2
        text_rect = QRect(rect.x() + 2, square.bottom() + 4, rect.width() - 4, line)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        name = metrics.elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                  Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter, name)
        small = QFont(option.font)
        small.setPointSizeF(max(small.pointSizeF() * 0.85, 6.0))
        painter.setFont(small)
        verdict = info.verdict if info is not None else None
        if prepared:
            painter.setPen(GREEN)
        else:
            painter.setPen(verdict_color(verdict) if verdict not in (None, Verdict.OK)
                           else palette.color(QPalette.ColorRole.PlaceholderText))
        detail_rect = text_rect.translated(0, line)
        detail = fitting_size_line(info, painter.fontMetrics(), detail_rect.width())
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignHCenter, detail)
        painter.restore()

    def _badge(self, painter: QPainter, square: QRect, verdict: Verdict, font: QFont,
               prepared: bool = False) -> None:
        """The verdict in a corner; an original with an upload-ready copy shows a green tick
        (it needs no more work)."""
        diameter = max(16, min(24, self.thumb_size // 5))
        badge = QRectF(square.right() - diameter - 2, square.y() + 2, diameter, diameter)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5))
        painter.setBrush(GREEN if prepared else verdict_color(verdict))
        painter.drawEllipse(badge)
        glyph_font = QFont(font)
        glyph_font.setBold(True)
        glyph_font.setPixelSize(int(diameter * 0.62))
        painter.setFont(glyph_font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter,
                         VERDICT_GLYPHS[Verdict.OK if prepared else verdict])

    def _catalog_badge(self, painter: QPainter, square: QRect, link: CatalogLink,
                       font: QFont) -> None:
        small = QFont(font)
        small.setBold(True)
        small.setPixelSize(max(9, min(12, self.thumb_size // 11)))
        painter.setFont(small)
        text = f"ID {link.asset_id}"
        metrics = painter.fontMetrics()
        width = min(metrics.horizontalAdvance(text) + 10, square.width() - 4)
        height = metrics.height() + 4
        pill = QRectF(square.x() + 2, square.bottom() - height - 1, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_color(link.status))
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 6))

    def _duplicates_badge(self, painter: QPainter, square: QRect, count: int,
                          font: QFont) -> None:
        """Top-left: two overlapping frames and how many other open images are the same
        picture. Drawn, not a glyph: UI fonts often lack one for "copies"."""
        small = QFont(font)
        small.setBold(True)
        small.setPixelSize(max(9, min(12, self.thumb_size // 11)))
        painter.setFont(small)
        text = str(count)
        metrics = painter.fontMetrics()
        height = metrics.height() + 4
        mark = height * 0.55
        width = metrics.horizontalAdvance(text) + mark + 14
        pill = QRectF(square.x() + 2, square.y() + 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BLUE)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        left, top = pill.x() + 6, pill.y() + (height - mark) / 2
        back = QRectF(left + mark * 0.3, top - mark * 0.15, mark * 0.8, mark * 0.8)
        front = QRectF(left, top + mark * 0.25, mark * 0.8, mark * 0.8)
        painter.drawRect(back)
        painter.setBrush(BLUE)
        painter.drawRect(front)
        painter.setPen(QColor("white"))
        text_rect = QRectF(left + mark + 2, pill.y(), width - mark - 10, height)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, text)

    def _corner_pill(self, painter: QPainter, square: QRect, text: str, color: QColor,
                     font: QFont) -> None:
        """A small label in the thumbnail's bottom-right corner: "Prepared" on an original
        with an upload-ready copy, "Copy" on a prepared copy."""
        small = QFont(font)
        small.setBold(True)
        small.setPixelSize(max(9, min(12, self.thumb_size // 11)))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        width = min(metrics.horizontalAdvance(text) + 10, square.width() // 2)
        height = metrics.height() + 4
        pill = QRectF(square.right() - width - 1, square.bottom() - height - 1, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 6))
