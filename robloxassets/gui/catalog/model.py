"""The Catalogue table: a model over the catalogue's SQLite rows, fast at 100,000 entries.

Searching, filtering and sorting happen in SQL, on the window's reader thread
(``CatalogAccess.read``): the UI thread never waits for the database. A new query fetches
only the first ``PAGE`` row IDs with the entries of the first rows (what a keystroke must show
at once); the rows stay as they were until the answer is in, so typing never blanks the
table. The rest of the IDs arrive through ``fetchMore`` when the view scrolls there. Other
entries are read in blocks around the rows the view paints (empty until they arrive, a few
milliseconds) and kept in a bounded cache; the number of matches is counted just after typing
pauses. Answers to a query that was replaced meanwhile are dropped.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from robloxassets.core.catalog.model import Entry, Status, format_wait, review_stage
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.core.printable import printable
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader, ThumbnailSource
from robloxassets.gui.catalog_access import CatalogAccess
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
    Column.IMAGE: "Image ID", Column.STATUS: "Status", Column.REVIEW: "In review",
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
    NO_THUMBNAIL = Qt.ItemDataRole.UserRole + 4  # bool: nothing to show, draw the placeholder


# Plain ints: data() runs for every cell and role on each repaint.
_ENTRY = int(Role.ENTRY)
_ENTRY_ID = int(Role.ENTRY_ID)
_REVIEW_STAGE = int(Role.REVIEW_STAGE)
_NO_THUMBNAIL = int(Role.NO_THUMBNAIL)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_COLUMNS = frozenset({Column.DECAL, Column.IMAGE, Column.SIZE, Column.REVIEW})
# Worked out once: combining enum flags in Python costs more than the rest of flags().
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_SERVED = frozenset({_DISPLAY, _DECORATION, _BACKGROUND, _ALIGNMENT, _TOOLTIP, _ENTRY,
                     _ENTRY_ID, _REVIEW_STAGE, _NO_THUMBNAIL})


@dataclass
class _RowView:
    """A cached row: the entry and what the table shows of it."""

    entry: Entry
    texts: list[str | None]
    stage: str
    tint: QColor | None


def status_dot(status: Status, size: int = 10) -> QIcon:
    """The status colour as a dot. The same pixmap serves the selected state: Qt would
    otherwise tint it with the selection colour, and on a selected row the dot vanished."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(255, 255, 255, 200), 1.0))  # stays apart from any highlight
    painter.setBrush(status_color(status))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0))
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


def short_time(iso: str) -> str:
    """``2024-05-01T12:00:00Z`` -> ``2024-05-01 12:00`` in local time, for the table."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass
class _Rows:
    """One answer to a query: the first row IDs and the entries of the first rows."""

    ids: list[int]
    complete: bool
    entries: dict[int, Entry] = field(default_factory=dict)


def _first_rows(catalog: Catalog, query: Query, limit: int, block: int) -> _Rows:
    ids = catalog.ids(query, limit=limit + 1)
    rows = _Rows(ids[:limit], len(ids) <= limit)
    rows.entries = catalog.entries_by_ids(rows.ids[:block])
    return rows


class CatalogModel(QAbstractTableModel):
    """Rows of the catalogue matching a ``Query``; owns nothing but caches.

    Signals: ``loaded()`` when the rows of a new query, a refresh or a ``fetchMore`` are in;
    ``count_changed(int)`` with the number of matching entries (it may follow a query by a
    moment when the first page is not everything); ``query_changed()``;
    ``problem(str, object)`` when a read failed (as ``Page.problem``).
    """

    loaded = Signal()
    count_changed = Signal(int)
    query_changed = Signal()
    problem = Signal(str, object)

    PAGE = 500
    BLOCK = 100
    CACHE = 3000
    COUNT_DELAY_MS = 150

    def __init__(self, access: CatalogAccess, thumbnails: ThumbnailLoader | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.access = access
        self.thumbnails = thumbnails
        self.remote_thumbnails: ThumbnailSource | None = None  # see ``_thumbnail``
        self.query = Query()
        self._ids: list[int] = []
        self._complete = True
        self._cache: OrderedDict[int, _RowView] = OrderedDict()
        self._rows_by_id: dict[int, int] | None = None
        self._count: int | None = None
        self._dots = {status: status_dot(status) for status in Status}
        self._now = datetime.now(timezone.utc)
        # The newest load: answers carrying an older token are dropped (and a read still
        # queued for an older token is skipped on the reader thread).
        self._token = 0
        # Bumped whenever the cache is cleared, so blocks read before it are dropped.
        self._generation = 0
        self._loading = False
        self._fetching = False
        self._counting = False
        self._wanted: set[int] = set()   # entry IDs the view painted but are not cached
        self._reading: set[int] = set()  # entry IDs being read
        self._block_timer = QTimer(self)
        self._block_timer.setSingleShot(True)
        self._block_timer.setInterval(0)  # every row painted in one pass, then one read
        self._block_timer.timeout.connect(self._read_wanted)
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
            self.reload(clear=False)  # the same entries, another selection of them
            self.query_changed.emit()

    def set_search(self, text: str) -> None:
        self.set_query(replace(self.query, text=text))

    def set_status_filter(self, status: Status | None) -> None:
        self.set_query(replace(self.query, status=status))

    def set_tag_filter(self, tag: str | None) -> None:
        self.set_query(replace(self.query, tag=tag or None))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMN_SORTS.get(Column(column), "name")
        self.set_query(replace(self.query, sort=key,
                               descending=order == Qt.SortOrder.DescendingOrder))

    def reload(self, clear: bool = True, rows: int = 0) -> None:
        """Run the query again in the background: its first page (or ``rows`` rows), with the
        first entries. ``clear`` forgets cached entries (they may have changed)."""
        self._token += 1
        token, query = self._token, self.query
        limit = max(self.PAGE, rows)
        self._loading = True
        self._fetching = False
        self._count_timer.stop()

        def job(catalog: Catalog) -> _Rows | None:
            if token != self._token:
                return None  # replaced while queued (a faster typist than the reader)
            return _first_rows(catalog, query, limit, self.BLOCK)

        self.access.read(job, on_done=lambda result: self._loaded(token, result, clear),
                         on_error=lambda exc: self._failed(token, exc))

    def refresh(self) -> None:
        """Show changes made elsewhere: same query, rows read again, as many rows as before."""
        self.reload(clear=True, rows=len(self._ids))

    def _loaded(self, token: int, result: _Rows | None, clear: bool) -> None:
        if token != self._token or result is None:
            return
        self._loading = False
        self.beginResetModel()
        self._ids, self._complete = result.ids, result.complete
        if clear:
            self._forget_entries()
        self._rows_by_id = None
        self._now = datetime.now(timezone.utc)
        self._store(result.entries)
        self.endResetModel()
        if self._complete:
            self._set_count(len(self._ids))
        else:
            self._count = None
            self._count_timer.start()
        self.loaded.emit()

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._loading = self._fetching = self._counting = False
        self.problem.emit("Reading the catalogue", exc)
        self.loaded.emit()

    def stop(self) -> None:
        """Cancel pending work and drop answers still on their way (before closing)."""
        self._count_timer.stop()
        self._block_timer.stop()
        self._token += 1
        self._generation += 1
        self._loading = self._fetching = self._counting = False
        self._wanted.clear()
        self._reading.clear()

    def _count_now(self) -> None:
        token, query = self._token, self.query
        self._counting = True

        def job(catalog: Catalog) -> int | None:
            return catalog.count(query) if token == self._token else None

        self.access.read(job, on_done=lambda count: self._counted(token, count),
                         on_error=lambda exc: self._failed(token, exc))

    def _counted(self, token: int, count: int | None) -> None:
        if token == self._token and count is not None:
            self._counting = False
            self._set_count(count)

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

    @property
    def loading(self) -> bool:
        """Rows of a new query, a refresh or ``fetchMore`` are on their way."""
        return self._loading or self._fetching

    @property
    def settled(self) -> bool:
        """No read of this model is on its way (rows, entries or the count)."""
        return not (self._loading or self._fetching or self._counting or self._wanted
                    or self._reading or self._count_timer.isActive()
                    or self._block_timer.isActive())

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: ModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: ModelIndex = _ROOT) -> None:
        """Read every remaining row ID of the query in the background (``loaded`` follows)."""
        if parent.isValid() or self._complete or self._fetching or self._loading:
            return
        self._fetching = True
        token, query = self._token, self.query

        def job(catalog: Catalog) -> list[int] | None:
            return catalog.ids(query) if token == self._token else None

        self.access.read(job, on_done=lambda ids: self._fetched(token, ids),
                         on_error=lambda exc: self._failed(token, exc))

    def _fetched(self, token: int, ids: list[int] | None) -> None:
        if token != self._token or ids is None:
            return
        self._fetching = False
        if ids[:len(self._ids)] != self._ids:
            # Changed underneath (another window wrote): start from the new order.
            self.beginResetModel()
            self._ids, self._complete = ids, True
            self._forget_entries()
            self._rows_by_id = None
            self.endResetModel()
        elif len(ids) > len(self._ids):
            self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
            self._ids, self._complete = ids, True
            self._rows_by_id = None
            self.endInsertRows()
        else:
            self._complete = True
        self._count_timer.stop()
        self._counting = False
        self._set_count(len(ids))
        self.loaded.emit()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.THUMB:
            return "Preview of the local file (sorts by file path)"
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.REVIEW:
            return "How long the asset has been waiting for moderation"
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def entry(self, row: int) -> Entry | None:
        """The entry on ``row`` if it is read already (else None, and it is read now)."""
        view = self._view(row)
        return view.entry if view is not None else None

    def cached_entry(self, entry_id: int) -> Entry | None:
        view = self._cache.get(entry_id)
        return view.entry if view is not None else None

    def entries_for(self, ids: list[int], then: Callable[[list[Entry]], None]) -> None:
        """Call ``then`` with the entries of ``ids`` (in that order): at once when they are
        all cached, else once they are read."""
        cached = [self.cached_entry(i) for i in ids]
        if all(e is not None for e in cached):
            then([e for e in cached if e is not None])
            return

        def done(found: dict[int, Entry]) -> None:
            then([found[i] for i in ids if i in found])

        self.access.read(lambda catalog: catalog.entries_by_ids(ids), on_done=done,
                         on_error=lambda exc: self.problem.emit("Reading the catalogue", exc))

    def _view(self, row: int, touch: bool = True) -> _RowView | None:
        if not 0 <= row < len(self._ids):
            return None
        entry_id = self._ids[row]
        view = self._cache.get(entry_id)
        if view is not None:
            if touch:
                self._cache.move_to_end(entry_id)
            return view
        self._want(row)
        return None

    def _want(self, row: int) -> None:
        """Ask for the block of entries around ``row`` (read after this paint)."""
        entry_id = self._ids[row]
        if entry_id in self._wanted or entry_id in self._reading:
            return  # its block is asked for already (a paint asks every cell and role)
        start = max(0, row - self.BLOCK // 4)
        block = self._ids[start:start + self.BLOCK]
        fresh = [i for i in block if i not in self._cache and i not in self._reading]
        if fresh:
            self._wanted.update(fresh)
            if not self._block_timer.isActive():
                self._block_timer.start()

    def _read_wanted(self) -> None:
        ids = sorted(self._wanted)
        self._wanted.clear()
        if not ids:
            return
        self._reading.update(ids)
        generation = self._generation
        self.access.read(lambda catalog: catalog.entries_by_ids(ids),
                         on_done=lambda found: self._block_read(generation, ids, found),
                         on_error=lambda exc: self._block_failed(generation, ids, exc))

    def _block_read(self, generation: int, ids: list[int], found: dict[int, Entry]) -> None:
        self._reading.difference_update(ids)
        if generation != self._generation:
            return
        self._store(found)
        rows = [row for i in found if (row := self.row_of(i)) is not None]
        self._rows_changed(rows)

    def _block_failed(self, generation: int, ids: list[int], exc: BaseException) -> None:
        self._reading.difference_update(ids)
        if generation == self._generation:
            self.problem.emit("Reading the catalogue", exc)

    def _store(self, entries: dict[int, Entry]) -> None:
        for entry_id, entry in entries.items():
            self._cache[entry_id] = self._make_view(entry)
        while len(self._cache) > self.CACHE:
            self._cache.popitem(last=False)

    def _forget_entries(self) -> None:
        self._cache.clear()
        self._generation += 1
        self._wanted.clear()
        self._reading.clear()

    def _rows_changed(self, rows: Iterable[int]) -> None:
        """One dataChanged per run of adjacent rows."""
        ordered = sorted(set(rows))
        last = self.columnCount() - 1
        start = 0
        for i in range(1, len(ordered) + 1):
            if i == len(ordered) or ordered[i] != ordered[i - 1] + 1:
                self.dataChanged.emit(self.index(ordered[start], 0),
                                      self.index(ordered[i - 1], last))
                start = i

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
        # Runs for every cell and role on each repaint (about a thousand calls a screen):
        # roles this model has nothing for leave first, and a row is marked as recently
        # used once per repaint (on its first cell's text), not on every call.
        role = int(role)
        if role not in _SERVED or not index.isValid():
            return None
        column = index.column()
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_COLUMNS else None
        if role == _ENTRY_ID:
            return self.entry_id(index.row())
        if role == _NO_THUMBNAIL:
            view = self._view(index.row(), touch=False)
            return view is not None and column == Column.THUMB and self._no_thumbnail(
                view.entry)
        view = self._view(index.row(), touch=role == _DISPLAY and column == 0)
        if view is None:
            return None
        if role == _DISPLAY:
            return view.texts[column]
        if role == _DECORATION:
            if column == Column.THUMB:
                return self._thumbnail(view.entry)
            if column == Column.STATUS:
                return self._dots[view.entry.status]
            return None
        if role == _BACKGROUND:
            return view.tint
        if role == _ENTRY:
            return view.entry
        if role == _REVIEW_STAGE:
            return view.stage
        return self._tooltip(view.entry, column)  # _TOOLTIP, the last role served

    def _display(self, entry: Entry, column: int) -> str | None:
        if column == Column.NAME:
            # Escaped as on the command line: an ESC or a right-to-left override in a name
            # (imported or typed) can't disguise it ("x\u202egpj.exe" shown as "xexe.jpg").
            return printable(entry.name)
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
            return printable(", ".join(entry.tags))
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
        if column == Column.TAGS and entry.tags:
            return ", ".join(entry.tags)  # in full, when the column cuts them
        return None

    def _thumbnail_source(self, entry: Entry) -> tuple[ThumbnailSource | None, str]:
        """Where a row's thumbnail comes from, and its key there: the local file, read in
        the background. Hook for entries without one: ``remote_thumbnails`` (None until the
        upload work brings one, see ``set_remote_thumbnails``) is a ``ThumbnailSource``
        keyed by the asset's content ID that fetches Roblox's own thumbnail."""
        if entry.file_path:
            return self.thumbnails, entry.file_path
        if entry.asset_id is not None:
            return self.remote_thumbnails, entry.content_id
        return None, ""

    def set_remote_thumbnails(self, source: ThumbnailSource) -> None:
        """Thumbnails for entries without a local file (Roblox's, by content ID)."""
        self.remote_thumbnails = source
        source.loaded.connect(self._thumbnail_loaded)

    def _thumbnail(self, entry: Entry) -> QPixmap | None:
        source, key = self._thumbnail_source(entry)
        return source.get(key) if source is not None and key else None

    def _no_thumbnail(self, entry: Entry) -> bool:
        """Nothing to show, now or later: the cell shows a placeholder instead."""
        source, key = self._thumbnail_source(entry)
        return source is None or not key or source.failed(key)

    def _thumbnail_loaded(self, key: str) -> None:
        rows = [row for entry_id, view in self._cache.items()
                if self._thumbnail_source(view.entry)[1] == key
                and (row := self.row_of(entry_id)) is not None]
        for row in rows:
            index = self.index(row, Column.THUMB)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
