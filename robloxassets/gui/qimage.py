"""Turning core's RGBA pixels (thumbnails, Pillow images) into QImages, safe in any thread."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def rgba_qimage(rgba: bytes, width: int, height: int) -> QImage:
    """A QImage of straight-alpha RGBA rows, as premultiplied ARGB (what QPainter draws
    fastest). The conversion copies the pixels, so the result no longer points into ``rgba``."""
    image = QImage(rgba, width, height, width * 4, QImage.Format.Format_RGBA8888)
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def pil_qimage(image: Image.Image) -> QImage:
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    return rgba_qimage(rgba.tobytes("raw", "RGBA"), rgba.width, rgba.height)
