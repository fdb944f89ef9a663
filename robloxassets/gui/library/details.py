"""The Library's details panel: a big before/after preview, the facts, the verdict, actions."""

from __future__ import annotations

import html
import os
from functools import partial

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.catalog.links import CatalogLink
from robloxassets.core.errors import UserError
from robloxassets.core.images import decode
from robloxassets.core.images.fit import render_upload_ready
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.thumbnails import make_thumbnail
from robloxassets.gui import icons, problems
from robloxassets.gui.checker import checker_brush
from robloxassets.gui.qimage import pil_qimage, rgba_qimage
from robloxassets.gui.style import status_color, verdict_color
from robloxassets.gui.tasks import TaskRunner

PREVIEW_SIZE = 300


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} bytes"


def load_preview(path: str, max_side: int) -> tuple[QImage, QImage, tuple[int, int]]:
    """(original, upload-ready, upload-ready size), both scaled for display. Runs in the pool.

    The original goes through the scanner's thumbnail path: reduced decoding, colour modes
    converted, orientation applied after shrinking, and the shared decode budget, so selecting
    a huge image during a scan can't double the memory peak.
    """
    with open(path, "rb") as handle:
        original, too_big = decode.open_image(handle)
        if too_big:
            raise UserError("the image has too many pixels to open safely")
        before = make_thumbnail(original, PREVIEW_SIZE * 2, decode.orientation(original))
    ready = render_upload_ready(path, max_side)
    ready_size = ready.size
    ready.thumbnail((PREVIEW_SIZE * 2, PREVIEW_SIZE * 2))
    return rgba_qimage(before.rgba, before.width, before.height), pil_qimage(ready), ready_size


class PreviewLabel(QLabel):
    """Shows a QImage fitted into the label, over a checkerboard where it is transparent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(200, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._image: QImage | None = None

    def set_image(self, image: QImage | None, text: str = "") -> None:
        self._image = image
        self.setText(text if image is None else "")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(PREVIEW_SIZE, PREVIEW_SIZE)

    def paintEvent(self, event) -> None:
        if self._image is None or self._image.isNull():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = self.contentsRect()
        size = self._image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        # Never blow a small image up past 2x: blur would misrepresent what Roblox shows.
        if size.width() > self._image.width() * 2:
            size = self._image.size() * 2
        x = area.x() + (area.width() - size.width()) // 2
        y = area.y() + (area.height() - size.height()) // 2
        target = QRect(x, y, size.width(), size.height())
        if self._image.hasAlphaChannel():
            painter.fillRect(target, checker_brush(self.palette(), 10))
        painter.drawImage(target, self._image)
        painter.end()


class LibraryDetails(QScrollArea):
    """Details of the selected image. Signals: ``prepare_requested()``,
    ``record_requested()``, ``reveal_requested()`` for the page's actions."""

    prepare_requested = Signal()
    record_requested = Signal()
    reveal_requested = Signal()

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.max_side = 1024
        self.info: ImageInfo | None = None
        self.link: CatalogLink | None = None
        self._record_available = True
        self._token = 0
        self._before: QImage | None = None
        self._after: QImage | None = None
        self._after_size: tuple[int, int] | None = None
        self.setWidgetResizable(True)
        self.setMinimumWidth(300)
        body = QWidget()
        layout = QVBoxLayout(body)

        toggle_row = QHBoxLayout()
        self.before_button = QToolButton()
        self.before_button.setText("Original")
        self.after_button = QToolButton()
        self.after_button.setText("Upload-ready")
        group = QButtonGroup(self)
        for toggle in (self.before_button, self.after_button):
            toggle.setCheckable(True)
            toggle.setAutoRaise(True)
            group.addButton(toggle)
            toggle_row.addWidget(toggle)
        self.after_button.setChecked(True)
        group.buttonToggled.connect(self._show_preview)
        toggle_row.addStretch(1)
        layout.addLayout(toggle_row)

        self.preview = PreviewLabel()
        layout.addWidget(self.preview)
        self.preview_caption = QLabel()
        self.preview_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.preview_caption)

        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.verdict_label)

        self.facts_box = QWidget()
        self.form = QFormLayout(self.facts_box)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.facts: dict[str, QLabel] = {}
        for key in ("Catalogue", "Name", "Folder", "Format", "Size", "Colour", "Transparency",
                    "File size", "Frames"):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            self.form.addRow(f"{key}:", value)
        layout.addWidget(self.facts_box)

        self.prepare_button = QPushButton(icons.icon("prepare"), "Prepare for upload…")
        self.prepare_button.clicked.connect(self.prepare_requested)
        self.record_button = QPushButton(icons.icon("catalog"), "Record asset ID…")
        self.record_button.clicked.connect(self.record_requested)
        self.reveal_button = QPushButton(icons.icon("folder"), "Show in folder")
        self.reveal_button.clicked.connect(self.reveal_requested)
        for button in (self.prepare_button, self.record_button, self.reveal_button):
            layout.addWidget(button)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_info(None)

    def set_catalog(self, link: CatalogLink | None) -> None:
        """Show whether the shown image is catalogued (found by its content hash)."""
        self.link = link
        label = self.facts["Catalogue"]
        if link is None:
            label.setText("Not recorded yet")
            self.record_button.setText("Record asset ID…")
            return
        color = status_color(link.status).name()
        status = link.status.label.lower()
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(f"{html.escape(link.name)} · {link.content_id} · "
                      f"<span style='color:{color}'>{status}</span>")
        self.record_button.setText("Show in catalogue")

    def set_record_available(self, available: bool) -> None:
        self._record_available = available
        self.record_button.setVisible(available and self.info is not None)

    def show_selection_count(self, count: int) -> None:
        """Several images selected: no single image's facts, but the actions still apply."""
        self.show_info(None)
        self.preview.set_image(None, f"{count:,} images selected.")
        self.prepare_button.setVisible(True)
        self.prepare_button.setEnabled(True)

    def show_info(self, info: ImageInfo | None, thumbnail: QImage | None = None,
                  link: CatalogLink | None = None) -> None:
        self._token += 1
        self.info = info
        self.set_catalog(link)
        self._before = self._after = None
        self._after_size = None
        for button in (self.prepare_button, self.record_button, self.reveal_button):
            button.setEnabled(info is not None)
        for widget in (self.facts_box, self.before_button, self.after_button,
                       self.reveal_button, self.record_button):
            widget.setVisible(info is not None)
        self.record_button.setVisible(info is not None and self._record_available)
        self.prepare_button.setVisible(info is not None)
        if info is None:
            for value in self.facts.values():
                value.clear()
            self.preview.set_image(None, "Select an image to see its details.")
            self.preview_caption.clear()
            self.verdict_label.clear()
            return
        self._fill_facts(info)
        self._before = thumbnail
        self._show_preview()
        if info.verdict is Verdict.CORRUPT:
            self.prepare_button.setEnabled(False)
            self.record_button.setEnabled(False)
            self.preview.set_image(None, "This file cannot be read.")
            self.preview_caption.clear()
            return
        self.tasks.run_task(load_preview, info.path, self.max_side,
                            on_done=partial(self._preview_loaded, self._token),
                            on_error=partial(self._preview_failed, self._token))

    def _fill_facts(self, info: ImageInfo) -> None:
        color = verdict_color(info.verdict).name()
        self.verdict_label.setText(
            f"<span style='color:{color}; font-weight:600'>{info.verdict.label}</span><br>"
            f"{info.message}")
        facts = self.facts
        facts["Name"].setText(os.path.basename(info.path))
        facts["Folder"].setText(os.path.dirname(info.path))
        facts["Format"].setText(info.format or "unknown")
        facts["Size"].setText(f"{info.width} × {info.height} px" if info.width else "unknown")
        facts["Colour"].setText(info.mode or "unknown")
        facts["Transparency"].setText("yes" if info.has_alpha else "no")
        facts["File size"].setText(human_bytes(info.bytes))
        facts["Frames"].setText(f"{info.frames} (only the first is used)" if info.animated
                                else "1")

    def _preview_loaded(self, token: int, result: tuple[QImage, QImage, tuple[int, int]]) -> None:
        if token != self._token:
            return
        self._before, self._after, self._after_size = result
        self._show_preview()

    def _preview_failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._after = None
        problems.log_bug("Making the upload-ready preview", exc)
        self.preview_caption.setText(f"No upload-ready preview: {problems.describe(exc)}")

    def _show_preview(self, *_: object) -> None:
        info = self.info
        if info is None:
            return
        if self.after_button.isChecked():
            image = self._after
            size = self._after_size
            caption = (f"Upload-ready: {size[0]} × {size[1]} px, PNG" if size
                       else "Preparing preview…")
        else:
            image = self._before
            caption = f"Original: {info.width} × {info.height} px" if info.width else ""
        self.preview.set_image(image, "" if image is not None else "Loading…")
        self.preview_caption.setText(caption)
