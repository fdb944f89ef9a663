"""The Catalogue page's table view: thumbnails centred on a checkerboard (a placeholder where
there is none), sortable columns sized for what they hold."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from robloxassets.gui import icons
from robloxassets.gui.catalog.model import CatalogModel, Column, Role
from robloxassets.gui.checker import checkerboard

THUMB = 40
ROW_HEIGHT = THUMB + 6
#: The widest text each column usually holds: widths come from the font, so a date or an ID
#: is never cut ("2026-12-0") whatever the font and its size.
SAMPLES = {
    Column.NAME: "Red brick wall", Column.DECAL: "00000000000", Column.IMAGE: "00000000000",
    Column.STATUS: "In review", Column.REVIEW: "999 days", Column.SIZE: "4096 x 4096",
    Column.UPDATED: "0000-00-00",
}
#: Tags take the room left, but never less than this many characters' width: below that the
#: table scrolls sideways instead of cutting tags to "lo…".
TAG_CHARS = 10
#: Shown only when the table has room, the first to step aside first: the details panel
#: shows them too.
OPTIONAL_COLUMNS = (Column.UPDATED, Column.SIZE)
CELL_PADDING = 16  # the style's cell margins


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
            if index.data(Role.NO_THUMBNAIL):
                self._placeholder(painter, option)
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

    def _placeholder(self, painter: QPainter, option: QStyleOptionViewItem) -> None:
        """No image to show (no local file, or it can't be read): a faint picture frame."""
        side = THUMB - 8
        rect = QRect(option.rect.x() + (option.rect.width() - side) // 2,
                     option.rect.y() + (option.rect.height() - side) // 2, side, side)
        color = option.palette.color(QPalette.ColorRole.PlaceholderText)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(color, 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setOpacity(0.6)
        icons.icon("sample").paint(painter, rect.adjusted(8, 8, -8, -8))
        painter.restore()

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
        self.setColumnWidth(Column.THUMB, THUMB + 12)
        for column, width in self.column_widths().items():
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.THUMB, QHeaderView.ResizeMode.Fixed)
        self.setItemDelegateForColumn(Column.THUMB, ThumbnailDelegate(self))
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self._hidden: list[Column] | None = None
        self._fit_columns()

    def column_widths(self) -> dict[Column, int]:
        """Each column's width from the font: its widest usual text or its header."""
        metrics = self.fontMetrics()
        header = self.horizontalHeader().fontMetrics()
        model = self.model()
        widths = {}
        for column, sample in SAMPLES.items():
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            extra = 16 if column == Column.STATUS else 0  # the status dot
            widths[column] = max(metrics.horizontalAdvance(sample) + extra,
                                 header.horizontalAdvance(title)) + CELL_PADDING
        return widths

    def tags_minimum(self) -> int:
        return self.fontMetrics().averageCharWidth() * TAG_CHARS + CELL_PADDING

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Tags take the room left. When the table is narrow (the window beside Studio), the
        columns the details panel repeats (date, then size) step aside first; then the table
        scrolls sideways rather than cut the tags short."""
        header = self.horizontalHeader()
        # Columns as wide as they are now (the user may have widened one), hidden ones as
        # wide as they would be.
        widths = {column: width if header.isSectionHidden(column) else header.sectionSize(column)
                  for column, width in self.column_widths().items()}
        room = self.viewport().width() - self.tags_minimum()
        shown = THUMB + 12 + sum(widths.values())
        hidden: list[Column] = []
        for column in OPTIONAL_COLUMNS:
            if shown <= room:
                break
            hidden.append(column)
            shown -= widths[column]
        if hidden != self._hidden:
            self._hidden = hidden
            for column in OPTIONAL_COLUMNS:
                header.setSectionHidden(column, column in hidden)
        room += self.tags_minimum()
        if shown + self.tags_minimum() > room:
            header.setSectionResizeMode(Column.TAGS, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(Column.TAGS, self.tags_minimum())
        else:
            header.setSectionResizeMode(Column.TAGS, QHeaderView.ResizeMode.Stretch)
