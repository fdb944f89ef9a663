"""The Duplicates page's list: one parent row per group, one child row per copy.

A ``QTreeWidget`` is enough here: groups are few (tens to hundreds) compared with a Library's
10,000 cells. Columns: the image (thumbnail and name), size, format, file size, catalogue ID
and status, similarity to the group's first copy, and the user's mark (Keep / Marked).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from robloxassets.core.catalog.model import Status
from robloxassets.core.duplicates.groups import Candidate, Group, Member
from robloxassets.core.images.rules import format_name
from robloxassets.core.printable import printable
from robloxassets.gui.style import status_color

# Format and file size share a column, and a mark shows in the similarity column, so the
# names keep their room at 800 px.
COLUMNS = ("Image", "Size", "File", "Catalogue", "Similarity")
ICON_PX = 48
#: Item data: the Member of a child row, the group's number on a parent row.
MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2


def similarity_text(member: Member, first: bool) -> str:
    if first:
        return "Kept by default" if member.candidate.catalogued else "Best copy"
    if member.exact:
        return "Exact copy"
    if member.distance == 0:
        return "Same picture"
    return f"Near-copy · {member.distance} bit{'' if member.distance == 1 else 's'}"


def file_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1 << 20:
        return f"{n / 1024:,.0f} KB"
    return f"{n / 1048576:,.1f} MB"


def catalogue_text(c: Candidate) -> str:
    if not c.catalogued:
        return ""
    status = Status.parse(c.status or "draft").label
    return f"{c.asset_id} · {status}" if c.asset_id else status


class GroupTree(QTreeWidget):
    """The groups of the last search; ``marks`` holds the paths the user marked to remove."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(list(COLUMNS))
        self.setIconSize(QSize(ICON_PX, ICON_PX))
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(40)
        self.setMinimumWidth(480)
        self.marks: set[str] = set()

    def show_groups(self, groups: list[Group], thumbnails: dict[str, QImage]) -> None:
        self.clear()
        for number, group in enumerate(groups, 1):
            kind = "exact copies" if group.all_exact else "copies"
            parent = QTreeWidgetItem([f"Group {number} · {len(group.members)} {kind}"])
            parent.setData(0, GROUP_ROLE, number - 1)
            parent.setFirstColumnSpanned(True)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.addTopLevelItem(parent)
            for index, member in enumerate(group.members):
                parent.addChild(self._row(member, index == 0, thumbnails))
            parent.setExpanded(True)
            parent.setFirstColumnSpanned(True)
        self.refresh_marks()

    def _row(self, member: Member, first: bool, thumbnails: dict[str, QImage]) -> QTreeWidgetItem:
        c = member.candidate
        size = f"{c.width} × {c.height}" if c.width else "–"
        fmt = format_name(c.format) if c.format else "–"
        item = QTreeWidgetItem([printable(os.path.basename(c.path) or c.path), size,
                                f"{fmt} · {file_size(c.bytes)}" if c.bytes else fmt,
                                catalogue_text(c), similarity_text(member, first)])
        item.setToolTip(0, printable(c.path))
        item.setToolTip(4, "How many of the 64 bits of the pictures' fingerprints differ "
                           "(0 = the same picture)")
        item.setData(0, MEMBER_ROLE, member)
        for column in (1,):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                  | Qt.AlignmentFlag.AlignVCenter)
        image = thumbnails.get(c.path)
        if image is not None:
            item.setIcon(0, QIcon(QPixmap.fromImage(image)))
        if c.catalogued:
            item.setForeground(3, QBrush(status_color(Status.parse(c.status or "draft"))))
        return item

    def member_items(self) -> list[QTreeWidgetItem]:
        out = []
        for group_item in self.group_items():
            for i in range(group_item.childCount()):
                child = group_item.child(i)
                if child is not None:
                    out.append(child)
        return out

    def refresh_marks(self) -> None:
        for child in self.member_items():
            member: Member = child.data(0, MEMBER_ROLE)
            marked = member.candidate.path in self.marks
            parent = child.parent()
            first = parent is not None and parent.indexOfChild(child) == 0
            child.setText(4, "Marked to remove" if marked else similarity_text(member, first))
            font = child.font(0)
            font.setStrikeOut(marked)
            child.setFont(0, font)

    def group_items(self) -> list[QTreeWidgetItem]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in items if item is not None]

    def current_member(self) -> Member | None:
        item = self.currentItem()
        if item is None or not item.isSelected():
            return None
        member = item.data(0, MEMBER_ROLE)
        return member if isinstance(member, Member) else None

    def current_group_index(self) -> int | None:
        item = self.currentItem()
        if item is None:
            return None
        parent = item.parent() or item
        number = parent.data(0, GROUP_ROLE)
        return number if isinstance(number, int) else None

    def select_path(self, path: str) -> bool:
        for child in self.member_items():
            if child.data(0, MEMBER_ROLE).candidate.path == path:
                self.setCurrentItem(child)
                return True
        return False
