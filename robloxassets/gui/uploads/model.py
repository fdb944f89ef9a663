"""The Uploads page's list: one row per upload, newest first, like a download manager's.

Rows are ``UploadItem`` values as core wrote them; the page replaces a row whenever the
runner reports it (``update``), so no row is ever read from SQLite here. Each row has one
obvious action (``primary_action``): retry, rename, decide, cancel or copy its ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from robloxassets.core.catalog.model import format_wait
from robloxassets.core.cloud.assets import AssetType
from robloxassets.core.cloud.errors import Kind
from robloxassets.core.upload.model import State, UploadItem
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Column(IntEnum):
    THUMB = 0
    NAME = 1
    STATE = 2
    ASSET_ID = 3
    REVIEW = 4
    ACTION = 5


HEADERS = {Column.THUMB: "", Column.NAME: "Name", Column.STATE: "State",
           Column.ASSET_ID: "Asset ID", Column.REVIEW: "In review", Column.ACTION: ""}

ITEM_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: 0..1 while the item is on its way (queued, preparing, sending); None otherwise.
PROGRESS_ROLE = int(Qt.ItemDataRole.UserRole) + 2

#: The one obvious action of a row, by key: its label (the page maps keys to slots).
ACTION_LABELS = {"retry": "Retry", "rename": "Rename…", "decide": "Decide…",
                 "cancel": "Cancel", "copy": "Copy ID", "catalog": "In catalogue"}
MODERATED = (Kind.NAME_MODERATED.value, Kind.DESCRIPTION_MODERATED.value)


def primary_action(item: UploadItem) -> str:
    """The key of the row's obvious action ("" for none: it is on its way)."""
    state = item.state
    if state is State.NEEDS_DECISION:
        return "decide"
    if state is State.FAILED:
        return "rename" if item.error_kind in MODERATED else "retry"
    if state is State.QUEUED and not item.prepared:
        return "cancel"
    if state in (State.IN_REVIEW, State.APPROVED):
        return "copy" if item.asset_id else ""
    if state is State.REJECTED:
        return "catalog"
    return ""


def progress_of(item: UploadItem) -> float | None:
    """How far along its way an item is, for the thin bar under its state."""
    if item.state is State.QUEUED:
        return 0.5 if item.prepared else 0.05
    if item.state is State.PREPARING:
        return 0.25
    if item.state is State.SENDING:
        return 0.9 if item.operation_path else 0.7
    return None


def asset_text(item: UploadItem) -> str:
    if item.asset_id is None:
        return ""
    if item.asset_type is AssetType.DECAL:
        return f"{item.image_id} (decal {item.asset_id})" if item.image_id else \
            f"decal {item.asset_id}"
    return str(item.asset_id)


class UploadsModel(QAbstractTableModel):
    """Upload rows by item ID. ``thumbnails`` loads the source files' thumbnails."""

    def __init__(self, thumbnails: ThumbnailLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self.items: list[UploadItem] = []
        self._rows: dict[int, int] = {}
        self._by_path: dict[str, list[int]] = {}
        self.now = datetime.now(timezone.utc)
        thumbnails.loaded.connect(self._thumbnail_loaded)

    # --- changing -----------------------------------------------------------------------------
    def set_items(self, items: Iterable[UploadItem]) -> None:
        self.beginResetModel()
        self.items = sorted(items, key=lambda i: i.id, reverse=True)
        self._reindex()
        self.endResetModel()

    def update(self, item: UploadItem) -> None:
        """Replace the item's row, or add it at the top (newest first)."""
        row = self._rows.get(item.id)
        if row is None:
            # New items come with the highest IDs: the top, or just below newer ones.
            at = next((r for r, i in enumerate(self.items) if i.id < item.id), len(self.items))
            self.beginInsertRows(_ROOT, at, at)
            self.items.insert(at, item)
            self._reindex()
            self.endInsertRows()
            return
        self.items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def update_many(self, items: Iterable[UploadItem]) -> None:
        """Replace rows in place; new items make one reset rather than an insert each."""
        fresh = []
        changed: list[int] = []
        for item in items:
            row = self._rows.get(item.id)
            if row is None:
                fresh.append(item)
            else:
                self.items[row] = item
                changed.append(row)
        if fresh:
            self.set_items({**{i.id: i for i in self.items}, **{i.id: i for i in fresh}}
                           .values())
            return
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0),
                                  self.index(max(changed), len(Column) - 1))

    def remove(self, ids: Iterable[int]) -> None:
        for item_id in sorted(set(ids), key=lambda i: -(self._rows.get(i, -1))):
            row = self._rows.get(item_id)
            if row is None:
                continue
            self.beginRemoveRows(_ROOT, row, row)
            del self.items[row]
            self._reindex()
            self.endRemoveRows()

    def tick(self) -> None:
        """Time passes: the "in review" column says so."""
        self.now = datetime.now(timezone.utc)
        if self.items:
            self.dataChanged.emit(self.index(0, Column.REVIEW),
                                  self.index(len(self.items) - 1, Column.REVIEW),
                                  [Qt.ItemDataRole.DisplayRole])

    def _reindex(self) -> None:
        self._rows = {item.id: row for row, item in enumerate(self.items)}
        self._by_path = {}
        for row, item in enumerate(self.items):
            self._by_path.setdefault(item.source_path, []).append(row)

    # --- reading ------------------------------------------------------------------------------
    def item(self, row: int) -> UploadItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def get(self, item_id: int) -> UploadItem | None:
        row = self._rows.get(item_id)
        return self.items[row] if row is not None else None

    def row_of(self, item_id: int) -> int | None:
        return self._rows.get(item_id)

    def counts(self) -> dict[State, int]:
        counts = dict.fromkeys(State, 0)
        for item in self.items:
            counts[item.state] += 1
        return counts

    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(Column(section), "") if 0 <= section < len(Column) else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row())
        if item is None:
            return None
        column = index.column()
        if role == ITEM_ROLE:
            return item
        if role == PROGRESS_ROLE:
            return progress_of(item)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.THUMB:
            return self.thumbnails.get(item.source_path)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.ASSET_ID,
                                                                    Column.REVIEW):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: UploadItem, column: int) -> str | None:
        if column == Column.NAME:
            return item.name
        if column == Column.STATE:
            return item.state.label
        if column == Column.ASSET_ID:
            return asset_text(item)
        if column == Column.REVIEW:
            wait = item.review_wait(self.now)
            return format_wait(wait) if wait is not None else ""
        if column == Column.ACTION:
            return ACTION_LABELS.get(primary_action(item), "")
        return None

    def _tooltip(self, item: UploadItem, column: int) -> str | None:
        if column in (Column.NAME, Column.THUMB):
            return item.source_path
        if column == Column.STATE and item.error:
            return item.error
        return None

    def _thumbnail_loaded(self, path: str) -> None:
        for row in self._by_path.get(path, ()):
            index = self.index(row, Column.THUMB)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def names(self) -> list[str]:
        return [item.name for item in self.items]


#: The state filter: key -> (label, states shown; None = all).
FILTERS: dict[str, tuple[str, frozenset[State] | None]] = {
    "all": ("All uploads", None),
    "active": ("On their way", frozenset({State.QUEUED, State.PREPARING, State.SENDING})),
    "attention": ("Need attention", frozenset({State.FAILED, State.NEEDS_DECISION})),
    "review": ("In review", frozenset({State.IN_REVIEW})),
    "finished": ("Approved or rejected", frozenset({State.APPROVED, State.REJECTED})),
}


class UploadsFilter(QSortFilterProxyModel):
    """Rows whose name or file contains the search text, in the chosen states."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.states: frozenset[State] | None = None

    def set_filter(self, text: str, states: frozenset[State] | None) -> None:
        self.text = text.strip().casefold()
        self.states = states
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        item = model.item(source_row) if isinstance(model, UploadsModel) else None
        if item is None:
            return False
        if self.states is not None and item.state not in self.states:
            return False
        return not self.text or self.text in item.name.casefold() \
            or self.text in Path(item.source_path).name.casefold()
