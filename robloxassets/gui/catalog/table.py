"""The Catalogue page's table view: thumbnails centred on a checkerboard, sortable columns."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from robloxassets.gui.catalog.model import CatalogModel, Column
from robloxassets.gui.checker import checkerboard

THUMB = 40
ROW_HEIGHT = THUMB + 6
WIDTHS = {
    Column.THUMB: THUMB + 12, Column.NAME: 140, Column.DECAL: 86, Column.IMAGE: 90,
    Column.STATUS: 92, Column.REVIEW: 90, Column.TAGS: 100, Column.SIZE: 90, Column.UPDATED: 82,
}


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a row's thumbnail centred in its cell, over a checkerboard for transparency."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._boards: dict[tuple[int, int], QPixmap] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        option.icon = option.icon.__class__()  # the cell background only, no icon
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        if not isinstance(pixmap, QPixmap) or pixmap.isNull():
            return
        size = pixmap.deviceIndependentSize().toSize()
        x = option.rect.x() + (option.rect.width() - size.width()) // 2
        y = option.rect.y() + (option.rect.height() - size.height()) // 2
        key = (size.width(), size.height())
        board = self._boards.get(key)
        if board is None:
            board = self._boards[key] = checkerboard(size, 5)
        painter.drawPixmap(x, y, board)
        painter.drawPixmap(x, y, pixmap)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(THUMB + 12, ROW_HEIGHT)


class CatalogTable(QTableView):
    """The table of entries: whole-row extended selection, every column sortable (in SQL)."""

    def __init__(self, model: CatalogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setMinimumSectionSize(36)
        for column, width in WIDTHS.items():
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.THUMB, QHeaderView.ResizeMode.Fixed)
        # Tags take the room left: names stay readable and the table fits beside the details.
        header.setSectionResizeMode(Column.TAGS, QHeaderView.ResizeMode.Stretch)
        self.setItemDelegateForColumn(Column.THUMB, ThumbnailDelegate(self))
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
