"""The Duplicates page's details: the selected copy's facts, and its whole group side by side.

The panel is the window's one ``DetailsPanel`` style; the group strip (``GroupStrip``) sits
under the facts: every copy of the group as a small preview with its size, format, ID and
similarity, so the copies can be compared at a glance.
"""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.catalog.model import Status
from robloxassets.core.duplicates.groups import Group, Member
from robloxassets.core.images.rules import format_name
from robloxassets.core.printable import printable
from robloxassets.gui.details import DetailsPanel, Fact, PreviewFrame
from robloxassets.gui.duplicates.tree import catalogue_text, file_size, similarity_text

TILE_PX = 80


class _Tile(QFrame):
    clicked = Signal(str)

    def __init__(self, member: Member, first: bool, image: QImage | None, marked: bool,
                 current: bool) -> None:
        super().__init__()
        self.path = member.candidate.path
        self.setFrameShape(QFrame.Shape.StyledPanel if current else QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        preview = PreviewFrame()
        preview.setFixedSize(TILE_PX, TILE_PX)
        preview.set_image(image, "No preview")
        layout.addWidget(preview, 0, Qt.AlignmentFlag.AlignHCenter)
        c = member.candidate
        lines = [printable(os.path.basename(c.path)),
                 f"{c.width} × {c.height}" if c.width else "",
                 " · ".join(p for p in (format_name(c.format) if c.format else "",
                                        file_size(c.bytes) if c.bytes else "") if p),
                 catalogue_text(c), similarity_text(member, first),
                 "Marked to remove" if marked else ""]
        text = QLabel("\n".join(line for line in lines if line))
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text.setWordWrap(True)
        text.setFixedWidth(TILE_PX + 24)
        if marked:
            font = text.font()
            font.setStrikeOut(True)
            text.setFont(font)
        layout.addWidget(text)
        self.setToolTip(printable(c.path))

    def mousePressEvent(self, event: object) -> None:
        self.clicked.emit(self.path)


class GroupStrip(QScrollArea):
    """Every copy of a group side by side. Signal: ``chosen(path)`` when one is clicked."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.tiles: list[_Tile] = []

    def show_group(self, group: Group, thumbnails: dict[str, QImage], marks: set[str],
                   current: str | None) -> None:
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        self.tiles = []
        for index, member in enumerate(group.members):
            path = member.candidate.path
            tile = _Tile(member, index == 0, thumbnails.get(path), path in marks,
                         path == current)
            tile.clicked.connect(self.chosen)
            row.addWidget(tile, 0, Qt.AlignmentFlag.AlignTop)
            self.tiles.append(tile)
        row.addStretch(1)
        self.setWidget(inner)
        self.setFixedHeight(inner.sizeHint().height() + 16)


class DuplicateDetails(DetailsPanel):
    """The details panel of the Duplicates page (the page fills it through ``show``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Select an image to compare it with its copies.", parent)
        self.group_label = QLabel("Copies side by side")
        self.group_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.strip = GroupStrip()
        self.add_section(self.group_label)
        self.add_section(self.strip)

    def show_member(self, group: Group, member: Member, thumbnails: dict[str, QImage],
                    marks: set[str]) -> None:
        c = member.candidate
        first = group.members[0] is member
        self.preview.set_image(thumbnails.get(c.path), "No preview")
        self.caption.setText(printable(os.path.dirname(c.path)))
        self.title.setText(printable(os.path.basename(c.path)))
        if c.path in marks:
            headline = "Marked to remove. Move marked to trash when you are sure."
        elif first:
            headline = (f"The copy to keep of {len(group.members)}: "
                        + ("it is catalogued." if c.catalogued else "the most pixels."))
        else:
            keeper = os.path.basename(group.keeper.path)
            headline = f"{similarity_text(member, False)} of {keeper}."
        self.headline.setText(html.escape(printable(headline)))
        facts = [Fact("Size", f"{c.width} × {c.height} px" if c.width else "–"),
                 Fact("Format", format_name(c.format) if c.format else "–"),
                 Fact("File size", file_size(c.bytes) if c.bytes else "–"),
                 Fact("Similarity", similarity_text(member, first))]
        if c.catalogued:
            status = Status.parse(c.status or "draft").label
            facts.append(Fact("Asset ID", f"rbxassetid://{c.asset_id}" if c.asset_id else "–"))
            facts.append(Fact("Status", status))
            facts.append(Fact("Entry", printable(c.entry_name)))
        if c.sha256:
            facts.append(Fact("SHA-256", c.sha256[:16] + "…"))
        self.facts.show_facts(facts)
        self.strip.show_group(group, thumbnails, marks, c.path)
        self.show_details()
