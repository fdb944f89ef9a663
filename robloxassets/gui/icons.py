"""Icons from ``resources/icons``: SVGs drawn in ``currentColor``, tinted to the palette.

Tinting at load time keeps one set of files readable in both light and dark themes.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from robloxassets.core.resources import read_bytes

_SIZES = (16, 24, 32, 48)


def _render(svg: bytes, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg))
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@lru_cache(maxsize=128)
def _icon(name: str, color: str) -> QIcon:
    svg = read_bytes("icons", f"{name}.svg").replace(b"currentColor", color.encode())
    app = QApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_render(svg, size, max(ratio, 1.0)))
        disabled = svg.replace(color.encode(), b"#888888")
        icon.addPixmap(_render(disabled, size, max(ratio, 1.0)), QIcon.Mode.Disabled)
    return icon


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in the palette's text colour."""
    app = QApplication.instance()
    color = QColor("#444444")
    if isinstance(app, QApplication):
        color = app.palette().color(QPalette.ColorRole.WindowText)
    return _icon(name, color.name())


def app_icon() -> QIcon:
    svg = read_bytes("icons", "app.svg")
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addPixmap(_render(svg, size, 1.0))
    return icon


def clear_cache() -> None:
    """Forget tinted icons, e.g. after the palette switched between light and dark."""
    _icon.cache_clear()
