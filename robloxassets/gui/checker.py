"""The neutral checkerboard drawn behind transparent images, in the palette's own tones."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QBrush, QGuiApplication, QPainter, QPalette, QPixmap


def checker_brush(palette: QPalette | None = None, cell: int = 8) -> QBrush:
    """A checkerboard brush from the palette, so transparency shows in light and dark."""
    palette = palette or QGuiApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    other = base.darker(112) if base.lightness() > 128 else base.lighter(135)
    tile = QPixmap(cell * 2, cell * 2)
    tile.fill(base)
    painter = QPainter(tile)
    painter.fillRect(0, 0, cell, cell, other)
    painter.fillRect(cell, cell, cell, cell, other)
    painter.end()
    return QBrush(tile)


def checkerboard(size: QSize, cell: int = 8, palette: QPalette | None = None) -> QPixmap:
    """A pixmap of ``size`` filled with the checkerboard."""
    pixmap = QPixmap(size)
    painter = QPainter(pixmap)
    painter.fillRect(pixmap.rect(), checker_brush(palette, cell))
    painter.end()
    return pixmap
