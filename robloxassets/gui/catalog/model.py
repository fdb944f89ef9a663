"""The Catalogue table: a model over the catalogue's SQLite rows, fast at 100,000 entries.

Searching, filtering and sorting happen in SQL. A new query fetches only the first ``PAGE``
row IDs (what a keystroke must show at once); the rest arrive through ``fetchMore`` when the
view scrolls there. Entries are read in blocks around the rows the view asks for and kept in
a bounded cache; the number of matches is counted just after typing pauses.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from robloxassets.core.catalog.model import Entry, Status, format_wait, review_stage
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.style import review_tint, status_color

log = logging.getLogger(__name__)

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()



class Column(IntEnum):
    THUMB = 0
    NAME = 1
    DECAL = 2
    IMAGE = 3
    STATUS = 4
    REVIEW = 5
    TAGS = 6
    SIZE = 7
    UPDATED = 8


HEADERS = {
    Column.THUMB: "", Column.NAME: "Name", Column.DECAL: "Decal ID",
    Column.IMAGE: "Image ID", Column.STATUS: "Status", Column.REVIEW: "In review for",
    Column.TAGS: "Tags", Column.SIZE: "Size", Column.UPDATED: "Updated",
}
#: Column -> sort key of ``store.SORT_KEYS``: every column sorts, in SQL.
COLUMN_SORTS = {
    Column.THUMB: "file", Column.NAME: "name", Column.DECAL: "decal_id",
    Column.IMAGE: "image_id", Column.STATUS: "status", Column.REVIEW: "review",
    Column.TAGS: "tags", Column.SIZE: "size", Column.UPDATED: "updated",
}


class Role(IntEnum):
    """Data roles beyond Qt's own."""

    ENTRY = Qt.ItemDataRole.UserRole + 1         # the row's Entry (without history)
    ENTRY_ID = Qt.ItemDataRole.UserRole + 2      # its database row ID
    REVIEW_STAGE = Qt.ItemDataRole.UserRole + 3  # "", "slow" or "contact-support"


# Plain ints: data() runs for every cell and role on each repaint.
_ENTRY = int(Role.ENTRY)
_ENTRY_ID = int(Role.ENTRY_ID)
_REVIEW_STAGE = int(Role.REVIEW_STAGE)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_COLUMNS = frozenset({Column.DECAL, Column.IMAGE, Column.SIZE, Column.REVIEW})


@dataclass
class _RowView:
    """A cached row: the entry and what the table shows of it."""

    entry: Entry
    texts: list[str | None]
    stage: str
    tint: QColor | None


def status_dot(status: Status, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(status_color(status))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def short_time(iso: str) -> str:
    """``2024-05-01T12:00:00Z`` -> ``2024-05-01 12:00`` in local time, for the table."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class CatalogModel(QAbstractTableModel):
    """Rows of the catalogue matching a ``Query``; owns nothing but caches.

    Signals: ``count_changed(int)`` with the number of matching entries (it may follow a
    query by a moment when the first page is not everything); ``query_changed()``.
    """

    count_changed = Signal(int)
    query_changed = Signal()

    PAGE = 500
    BLOCK = 100
    CACHE = 3000
    COUNT_DELAY_MS = 150

    def __init__(self, catalog: Catalog, thumbnails: ThumbnailLoader | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.thumbnails = thumbnails
        self.query = Query()
        self._ids: list[int] = []
        self._complete = True
        self._cache: OrderedDict[int, _RowView] = OrderedDict()
        self._rows_by_id: dict[int, int] | None = None
        self._count: int | None = None
        self._dots = {status: status_dot(status) for status in Status}
        self._now = datetime.now(timezone.utc)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(self.COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count_now)
        if thumbnails is not None:
            thumbnails.loaded.connect(self._thumbnail_loaded)
        self.reload()

    # --- queries ---------------------------------------------------------------------------
    def set_query(self, query: Query) -> None:
        if query != self.query:
            self.query = query
            self.reload()
            self.query_changed.emit()

    def set_search(self, text: str) -> None:
        self.set_query(_replace(self.query, text=text))

    def set_status_filter(self, status: Status | None) -> None:
        self.set_query(_replace(self.query, status=status))

    def set_tag_filter(self, tag: str | None) -> None:
        self.set_query(_replace(self.query, tag=tag or None))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMN_SORTS.get(Column(column), "name")
        self.set_query(_replace(self.query, sort=key,
                                descending=order == Qt.SortOrder.DescendingOrder))

    def reload(self) -> None:
        """Run the query again (first page only) and forget cached rows."""
        self.beginResetModel()
        ids = self.catalog.ids(self.query, limit=self.PAGE + 1)
        self._complete = len(ids) <= self.PAGE
        self._ids = ids[:self.PAGE]
        self._cache.clear()
        self._rows_by_id = None
        self._now = datetime.now(timezone.utc)
        self.endResetModel()
        if self._complete:
            self._set_count(len(self._ids))
        else:
            self._count = None
            self._count_timer.start()

    def refresh(self) -> None:
        """Show changes made elsewhere: same query, rows read again, as many rows as before."""
        wanted = len(self._ids)
        self.reload()
        while not self._complete and len(self._ids) < wanted:
            self.fetchMore(QModelIndex())

    def stop(self) -> None:
        """Cancel the pending count (call before closing the catalogue under the model)."""
        self._count_timer.stop()

    def _count_now(self) -> None:
        self._set_count(self.catalog.count(self.query))

    def _set_count(self, count: int) -> None:
        self._count = count
        self.count_changed.emit(count)

    @property
    def match_count(self) -> int | None:
        """Entries matching the query; None while it is still being counted."""
        return self._count

    @property
    def complete(self) -> bool:
        return self._complete

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: ModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: ModelIndex = _ROOT) -> None:
        if parent.isValid() or self._complete:
            return
        ids = self.catalog.ids(self.query)
        if ids[:len(self._ids)] != self._ids:
            # Changed underneath (another window wrote): start from the new order.
            self.beginResetModel()
            self._ids, self._complete = ids, True
            self._cache.clear()
            self._rows_by_id = None
            self.endResetModel()
        else:
            self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
            self._ids, self._complete = ids, True
            self._rows_by_id = None
            self.endInsertRows()
        self._count_timer.stop()
        self._set_count(len(ids))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.THUMB:
            return "Preview of the local file (sorts by file path)"
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def entry(self, row: int) -> Entry | None:
        """The entry on ``row``, read with its neighbours when not cached."""
        view = self._view(row)
        return view.entry if view is not None else None

    def _view(self, row: int) -> _RowView | None:
        if not 0 <= row < len(self._ids):
            return None
        entry_id = self._ids[row]
        view = self._cache.get(entry_id)
        if view is None:
            start = max(0, row - self.BLOCK // 4)
            block = self._ids[start:start + self.BLOCK]
            found = self.catalog.entries_by_ids([i for i in block if i not in self._cache])
            for found_id, entry in found.items():
                self._cache[found_id] = self._make_view(entry)
            while len(self._cache) > self.CACHE:
                self._cache.popitem(last=False)
            view = self._cache.get(entry_id)
        else:
            self._cache.move_to_end(entry_id)
        return view

    def _make_view(self, entry: Entry) -> _RowView:
        """Everything the view asks of a row, worked out once (painting asks many times)."""
        stage = review_stage(entry.review_wait(self._now))
        texts = [self._display(entry, column) for column in Column]
        return _RowView(entry, texts, stage, review_tint(stage))

    def entry_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entry_id: int) -> int | None:
        if self._rows_by_id is None:
            self._rows_by_id = {value: row for row, value in enumerate(self._ids)}
        return self._rows_by_id.get(entry_id)

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        column = index.column()
        if role == _ENTRY_ID:
            return self.entry_id(index.row())
        view = self._view(index.row())
        if view is None:
            return None
        if role == _DISPLAY:
            return view.texts[column]
        if role == _DECORATION:
            if column == Column.THUMB and self.thumbnails is not None and view.entry.file_path:
                return self.thumbnails.get(view.entry.file_path)
            if column == Column.STATUS:
                return self._dots[view.entry.status]
            return None
        if role == _BACKGROUND:
            return view.tint
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_COLUMNS else None
        if role == _ENTRY:
            return view.entry
        if role == _REVIEW_STAGE:
            return view.stage
        if role == _TOOLTIP:
            return self._tooltip(view.entry, column)
        return None

    def _display(self, entry: Entry, column: int) -> str | None:
        if column == Column.NAME:
            return entry.name
        if column == Column.DECAL:
            return str(entry.decal_id) if entry.decal_id is not None else ""
        if column == Column.IMAGE:
            return str(entry.image_id) if entry.image_id is not None else ""
        if column == Column.STATUS:
            return entry.status.label
        if column == Column.REVIEW:
            wait = entry.review_wait(self._now)
            return format_wait(wait) if wait is not None else ""
        if column == Column.TAGS:
            return ", ".join(entry.tags)
        if column == Column.SIZE:
            return f"{entry.width} x {entry.height}" if entry.width and entry.height else ""
        if column == Column.UPDATED:
            return short_time(entry.updated)[:10]  # the date; the details show the time
        return None

    def _tooltip(self, entry: Entry, column: int) -> str | None:
        if column == Column.THUMB:
            if not entry.file_path:
                return "No local file recorded"
            if self.thumbnails is not None and self.thumbnails.failed(entry.file_path):
                return f"{entry.file_path}\n(not found or not an image)"
            return entry.file_path
        if column == Column.REVIEW:
            stage = review_stage(entry.review_wait(self._now))
            if stage == "slow":
                return "Waiting longer than usual: most reviews take under 20 minutes."
            if stage == "contact-support":
                return "Over a week in review: contact Roblox support (see the details panel)."
        if column == Column.NAME and entry.notes:
            return entry.notes
        return None

    def _thumbnail_loaded(self, path: str) -> None:
        rows = [row for entry_id, view in self._cache.items()
                if view.entry.file_path == path and (row := self.row_of(entry_id)) is not None]
        for row in rows:
            index = self.index(row, Column.THUMB)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _replace(query: Query, **changes: Any) -> Query:
    from dataclasses import replace

    return replace(query, **changes)
