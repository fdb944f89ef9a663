"""The Catalogue page's details panel (the shared ``DetailsPanel``): the selected entry's
preview, facts, moderation wait and history, with its actions as buttons."""

from __future__ import annotations

import html
from datetime import datetime, timezone

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolButton, QWidget

from robloxassets.core.catalog.codegen import FACES
from robloxassets.core.catalog.model import (
    SUPPORT_URL,
    Entry,
    format_wait,
    review_stage,
)
from robloxassets.core.printable import printable
from robloxassets.gui import icons
from robloxassets.gui.catalog.model import short_time
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader, ThumbnailSource
from robloxassets.gui.details import DetailsPanel, Fact
from robloxassets.gui.style import REVIEW_COLORS, status_color

PREVIEW = 220
NO_FILE = "No local file recorded"


class CatalogDetails(DetailsPanel):
    """Shows one entry (or how many are selected): the shared details panel with the entry's
    preview, status, facts, notes and status history. Its buttons are the page's actions.

    Signals: ``snippet_requested(str)`` with the chosen face for the Luau snippet.
    """

    snippet_requested = Signal(str)

    def __init__(self, thumbnails: ThumbnailLoader, actions: dict[str, QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__("Select an entry to see its details.", parent)
        self.thumbnails = thumbnails
        self.remote: ThumbnailSource | None = None
        self.entry: Entry | None = None
        thumbnails.loaded.connect(self._thumbnail_loaded)

        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        self.advice.setOpenExternalLinks(True)
        self.text_block = QLabel()
        self.text_block.setWordWrap(True)
        self.text_block.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_title = QLabel("Status history")
        font = self.history_title.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.history_title.setFont(font)
        self.history = QLabel()
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.advice, self.text_block, self.history_title, self.history):
            self.add_section(widget)

        self.face_combo = QComboBox()
        self.face_combo.addItems(FACES)
        self.face_combo.setToolTip("The face of the part the Decal goes on")
        self.snippet_button = QToolButton()
        self.snippet_button.setText("Copy Luau snippet")
        self.snippet_button.setIcon(icons.icon("code"))
        self.snippet_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.snippet_button.setSizePolicy(QSizePolicy.Policy.Expanding,
                                          QSizePolicy.Policy.Fixed)
        self.snippet_button.setToolTip("Copy Luau that puts this image on the chosen face of "
                                       "a part")
        self.snippet_button.clicked.connect(
            lambda: self.snippet_requested.emit(self.face_combo.currentText()))
        self.buttons.add_action(actions["copy"])
        self.buttons.add_action(actions["edit"])
        self.buttons.add_widget(self.face_combo)
        self.buttons.add_widget(self.snippet_button)
        self.buttons.add_action(actions["page"])
        self.buttons.add_action(actions["folder"])
        self.show_entry(None)

    def show_entry(self, entry: Entry | None, selected: int = 0) -> None:
        """Show ``entry``; with none, say how many entries are selected (0: a hint)."""
        self.entry = entry
        if entry is None:
            self.show_placeholder(
                f"{selected:,} entries selected. Set their status or tags from the toolbar "
                "or the right-click menu." if selected > 1
                else "Select an entry to see its details.")
            return
        self.show_details()
        self._show_preview()
        self.title.setText(printable(entry.name))
        wait = entry.review_wait(datetime.now(timezone.utc))
        status = entry.status.label
        if wait is not None:
            status += f" · waiting {format_wait(wait)}"
        color = status_color(entry.status).name()
        self.headline.setText(f"<span style='color:{color}'>●</span> "
                              f"<span style='font-weight:600'>{html.escape(status)}</span>")
        self._show_advice(entry, review_stage(wait))
        self.facts.show_facts([
            Fact("Decal ID", str(entry.decal_id) if entry.decal_id is not None else "—"),
            Fact("Image ID", str(entry.image_id) if entry.image_id is not None
                 else "— (scripts need it: record it when you have it)"),
            Fact("Tags", ", ".join(entry.tags) or "—"),
            Fact("Size", f"{entry.width} × {entry.height} px" if entry.width else "—"),
            Fact("File", entry.file_path or "—", entry.file_path or ""),
            Fact("SHA-256", f"{entry.sha256[:16]}…" if entry.sha256 else "—",
                 entry.sha256 or ""),
            Fact("Creator", f"{entry.creator_type.capitalize()} {entry.creator_id}"
                 if entry.creator_type else "—"),
            Fact("Created", short_time(entry.created)),
            Fact("Updated", short_time(entry.updated)),
        ])
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
            self._show_remote(entry)
            return
        pixmap = self.thumbnails.get(entry.file_path)
        if pixmap is not None:
            self.preview.set_image(pixmap)
        elif self.thumbnails.failed(entry.file_path):
            self.preview.set_image(None, "The file can't be shown\n(moved, deleted or not an "
                                   "image)")
        else:
            self.preview.set_image(None, "Loading preview…")

    def set_remote(self, source: ThumbnailSource) -> None:
        """Roblox's own pictures (by content ID) for entries without a local file."""
        self.remote = source
        source.loaded.connect(self._remote_loaded)

    def _show_remote(self, entry: Entry) -> None:
        key = entry.content_id
        if self.remote is None or not key:
            self.preview.set_image(None, NO_FILE)
            return
        pixmap = self.remote.get(key)
        if pixmap is not None:
            self.preview.set_image(pixmap)
        elif self.remote.failed(key):
            self.preview.set_image(None, f"{NO_FILE}, and Roblox has no picture of it to show "
                                   "yet (in review, or blocked)")
        else:
            self.preview.set_image(None, "Loading Roblox's picture…")

    def _remote_loaded(self, key: str) -> None:
        if self.entry is not None and not self.entry.file_path \
                and self.entry.content_id == key:
            self._show_preview()

    def _thumbnail_loaded(self, path: str) -> None:
        if self.entry is not None and self.entry.file_path == path:
            self._show_preview()

