"""The Catalogue page's details panel: the selected entry's preview, facts, moderation wait
and history, with its actions as buttons."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.catalog.codegen import FACES
from robloxassets.core.catalog.model import (
    SUPPORT_URL,
    Entry,
    format_wait,
    review_stage,
)
from robloxassets.gui.catalog.model import short_time, status_dot
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.checker import checkerboard
from robloxassets.gui.style import REVIEW_COLORS

PREVIEW = 220


def on_checkerboard(image: QPixmap) -> QPixmap:
    canvas = checkerboard(image.size())
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, image)
    painter.end()
    return canvas


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class CatalogDetails(QWidget):
    """Shows one entry (or how many are selected). Buttons run the page's actions.

    Signals: ``snippet_requested(str)`` with the chosen face for the Luau snippet.
    """

    snippet_requested = Signal(str)

    def __init__(self, thumbnails: ThumbnailLoader, actions: dict[str, QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(280)
        self.thumbnails = thumbnails
        self.entry: Entry | None = None
        thumbnails.loaded.connect(self._thumbnail_loaded)

        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(PREVIEW)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = _selectable(QLabel())
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.status_icon = QLabel()
        self.status = QLabel()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon)
        status_row.addWidget(self.status, 1)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        self.advice.setOpenExternalLinks(True)

        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._values: dict[str, QLabel] = {}
        for label in ("Decal ID", "Image ID", "Tags", "Size", "File", "SHA-256", "Creator",
                      "Created", "Updated"):
            value = _selectable(QLabel())
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self._values[label] = value
            self.facts.addRow(label, value)
        self.text_block = _selectable(QLabel())
        self.history = _selectable(QLabel())
        self.history.setTextFormat(Qt.TextFormat.PlainText)

        self.face_combo = QComboBox()
        self.face_combo.addItems(FACES)
        self.face_combo.setToolTip("The face of the part the Decal goes on")
        snippet = QPushButton("Copy Luau snippet")
        snippet.setToolTip("Copy Luau that puts this image on the chosen face of a part")
        snippet.clicked.connect(lambda: self.snippet_requested.emit(self.face_combo.currentText()))
        self.buttons: list[QToolButton] = []

        def button(name: str) -> QToolButton:
            tool = QToolButton()
            tool.setDefaultAction(actions[name])
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            tool.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons.append(tool)
            return tool

        grid = QVBoxLayout()
        row1 = QHBoxLayout()
        row1.addWidget(button("copy"))
        row1.addWidget(button("edit"))
        row2 = QHBoxLayout()
        row2.addWidget(self.face_combo)
        row2.addWidget(snippet, 1)
        row3 = QHBoxLayout()
        row3.addWidget(button("page"))
        row3.addWidget(button("folder"))
        for row in (row1, row2, row3):
            grid.addLayout(row)

        self.entry_box = QWidget()
        box = QVBoxLayout(self.entry_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.preview)
        box.addWidget(self.name)
        box.addLayout(status_row)
        box.addWidget(self.advice)
        box.addLayout(grid)
        box.addLayout(self.facts)
        box.addWidget(self.text_block)
        history_title = QLabel("Status history")
        history_title.setFont(_bold(history_title.font()))
        box.addWidget(history_title)
        box.addWidget(self.history)
        box.addStretch(1)

        self.placeholder = QLabel("Select an entry to see its details.")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.placeholder)
        inner_layout.addWidget(self.entry_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.show_entry(None)

    def show_entry(self, entry: Entry | None, selected: int = 0) -> None:
        """Show ``entry``; with none, say how many entries are selected (0: a hint)."""
        self.entry = entry
        self.entry_box.setVisible(entry is not None)
        self.placeholder.setVisible(entry is None)
        if entry is None:
            self.placeholder.setText(
                f"{selected:,} entries selected. Set their status or tags from the toolbar "
                "or the right-click menu." if selected > 1
                else "Select an entry to see its details.")
            return
        self._show_preview()
        self.name.setText(entry.name)
        self.status_icon.setPixmap(status_dot(entry.status, 12).pixmap(12, 12))
        wait = entry.review_wait(datetime.now(timezone.utc))
        status = entry.status.label
        if wait is not None:
            status += f" · waiting {format_wait(wait)}"
        self.status.setText(status)
        self._show_advice(entry, review_stage(wait))
        values = {
            "Decal ID": str(entry.decal_id) if entry.decal_id is not None else "—",
            "Image ID": str(entry.image_id) if entry.image_id is not None
            else "— (scripts need it: record it when you have it)",
            "Tags": ", ".join(entry.tags) or "—",
            "Size": f"{entry.width} x {entry.height} pixels" if entry.width else "—",
            "File": entry.file_path or "—",
            "SHA-256": f"{entry.sha256[:16]}…" if entry.sha256 else "—",
            "Creator": f"{entry.creator_type.capitalize()} {entry.creator_id}"
            if entry.creator_type else "—",
            "Created": short_time(entry.created),
            "Updated": short_time(entry.updated),
        }
        for key, value in values.items():
            self._values[key].setText(value)
        self._values["File"].setToolTip(entry.file_path)
        self._values["SHA-256"].setToolTip(entry.sha256 or "")
        parts = []
        if entry.description:
            parts.append(entry.description)
        if entry.notes:
            parts.append("Notes: " + entry.notes)
        self.text_block.setText("\n\n".join(parts))
        self.text_block.setVisible(bool(parts))
        self.history.setText("\n".join(f"{short_time(c.at)}   {c.status.label}"
                                       for c in reversed(entry.history)) or "—")

    def _show_advice(self, entry: Entry, stage: str) -> None:
        if stage == "contact-support":
            link = ""
            if entry.file_path:
                url = QUrl.fromLocalFile(entry.file_path).toString()
                link = f" Attach <a href='{url}'>a copy of the image</a>."
            self.advice.setText(
                "Over a week in review without a decision. Roblox's advice is to "
                f"<a href='{SUPPORT_URL}'>contact Roblox support</a> about this asset."
                + link)
            self._accent(REVIEW_COLORS["contact-support"])
        elif stage == "slow":
            self.advice.setText("Waiting longer than usual: most reviews finish within 20 "
                                "minutes, some take over a day. After a week, contact support.")
            self._accent(REVIEW_COLORS["slow"])
        else:
            self.advice.hide()
            return
        self.advice.show()

    def _accent(self, color: QColor) -> None:
        self.advice.setStyleSheet(
            f"QLabel {{ border: 1px solid palette(mid); border-left: 4px solid {color.name()}; "
            "padding: 6px; }")

    def _show_preview(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if not entry.file_path:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No local file recorded")
            return
        pixmap = self.thumbnails.get(entry.file_path)
        if pixmap is not None:
            self.preview.setPixmap(on_checkerboard(pixmap))
        elif self.thumbnails.failed(entry.file_path):
            self.preview.setPixmap(QPixmap())
            self.preview.setText("The file can't be shown\n(moved, deleted or not an image)")
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("Loading preview…")

    def _thumbnail_loaded(self, path: str) -> None:
        if self.entry is not None and self.entry.file_path == path:
            self._show_preview()


def _bold(font: QFont) -> QFont:
    font.setWeight(QFont.Weight.DemiBold)
    return font
