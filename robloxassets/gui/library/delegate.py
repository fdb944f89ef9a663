"""Paints one Library grid cell: checkerboard, thumbnail, verdict badge, name and size line."""

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
from robloxassets.gui.style import VERDICT_GLYPHS, status_color, verdict_color

PADDING = 6
TEXT_LINES = 2


def size_line(info: ImageInfo | None) -> str:
    if info is None:
        return "Checking…"
    if info.width is None or info.height is None:
        return info.verdict.label
    text = f"{info.width} × {info.height}"
    if info.target_size and info.target_size != (info.width, info.height):
        text += f" → {info.target_size[0]} × {info.target_size[1]}"
    return text


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

        if info is not None:
            self._badge(painter, square, info.verdict, option.font)
        link: CatalogLink | None = index.data(Role.CATALOG)
        if link is not None:
            self._catalog_badge(painter, square, link, option.font)

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
        painter.setPen(verdict_color(verdict) if verdict not in (None, Verdict.OK)
                       else palette.color(QPalette.ColorRole.PlaceholderText))
        detail_rect = text_rect.translated(0, line)
        detail = painter.fontMetrics().elidedText(size_line(info), Qt.TextElideMode.ElideRight,
                                                  detail_rect.width())
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignHCenter, detail)
        painter.restore()

    def _badge(self, painter: QPainter, square: QRect, verdict: Verdict, font: QFont) -> None:
        diameter = max(16, min(24, self.thumb_size // 5))
        badge = QRectF(square.right() - diameter - 2, square.y() + 2, diameter, diameter)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5))
        painter.setBrush(verdict_color(verdict))
        painter.drawEllipse(badge)
        glyph_font = QFont(font)
        glyph_font.setBold(True)
        glyph_font.setPixelSize(int(diameter * 0.62))
        painter.setFont(glyph_font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, VERDICT_GLYPHS[verdict])

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
