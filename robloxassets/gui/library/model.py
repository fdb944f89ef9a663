"""The Library grid's data: one row per image file, with its scan result and thumbnail.

``LibraryModel`` is a flat list model (not one widget per image) so 10,000 images stay
smooth. Rows start as *pending* (listed, not yet scanned) and fill in as scan results arrive
in batches. Thumbnails live in a bounded memory cache; a row whose thumbnail was evicted asks
for it again through ``thumbnail_needed`` when it is painted.

Rows are grouped by folder (folders in name order) and sorted within each folder, so the
prepared copies in an output folder sit together instead of among their originals of the same
name. ``copies`` links an original to its prepared copies and a copy to its original (by
content: see ``robloxassets.core.images.copies``).

``LibraryFilterProxy`` filters by verdict group (an original with an upload-ready copy no
longer "needs work"), by folder and by a name search; sorting happens in the source model with
Python's sort (far faster than a proxy's per-pair callbacks at this size).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage

from robloxassets.core.catalog.links import CatalogLink
from robloxassets.core.duplicates.catalogued import CatalogMatch
from robloxassets.core.duplicates.library import LibraryDuplicates, OpenCopy
from robloxassets.core.images.copies import CopyLinks
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.provenance import Provenance
from robloxassets.core.printable import printable
from robloxassets.gui.library.thumbcache import ThumbnailMemoryCache

ModelIndex = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    PATH = Qt.ItemDataRole.UserRole + 1
    INFO = Qt.ItemDataRole.UserRole + 2       # ImageInfo or None while pending
    THUMBNAIL = Qt.ItemDataRole.UserRole + 3  # QImage or None (not loaded / unreadable)
    VERDICT = Qt.ItemDataRole.UserRole + 4    # Verdict or None while pending
    PENDING = Qt.ItemDataRole.UserRole + 5    # bool: listed, scan result not in yet
    CATALOG = Qt.ItemDataRole.UserRole + 6    # CatalogLink or None
    PREPARED = Qt.ItemDataRole.UserRole + 7   # bool: an original with an upload-ready copy
    COPY = Qt.ItemDataRole.UserRole + 8       # bool: a prepared copy of another image
    DUPLICATES = Qt.ItemDataRole.UserRole + 9  # int: open images that are copies of it


@dataclass(slots=True)
class LibraryRow:
    path: str
    name: str
    folder: str = ""
    info: ImageInfo | None = None
    has_thumbnail: bool = True
    catalog: CatalogLink | None = None
    #: A prepared copy: what it carries about its original, and the original's path when
    #: that is open in the Library too.
    copy_of: Provenance | None = None
    source: str | None = None
    #: An original: the paths of its prepared copies open in the Library.
    copies: tuple[str, ...] = ()
    #: An original with a copy that is ready to upload (set by ``set_copies``).
    prepared: bool = False
    #: Other open images that are the same picture (exact or near-copies), closest first,
    #: and the catalogued assets it is a copy of (set by ``set_duplicates``).
    near: tuple[OpenCopy, ...] = ()
    catalogued_copies: tuple[CatalogMatch, ...] = ()

    @property
    def needs_work(self) -> bool:
        """Scanned, Roblox would not take it as it is, and it has no upload-ready copy."""
        return self.info is not None and self.info.verdict.needs_work and not self.prepared


SORT_KEYS = {
    "name": lambda r: (r.name.casefold(), r.path),
    "size": lambda r: (r.info.bytes if r.info else -1, r.name.casefold()),
    "date": lambda r: (r.info.mtime_ns if r.info else -1, r.name.casefold()),
}


class LibraryModel(QAbstractListModel):
    """Rows of images. Signals: ``thumbnail_needed(str)`` (a path whose thumbnail should be
    read back from the disk cache), ``counts_changed()`` (totals for the status bar)."""

    thumbnail_needed = Signal(object)  # a path: str, which may hold lone surrogates
    counts_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[LibraryRow] = []
        self._index: dict[str, int] = {}
        self.thumbnails = ThumbnailMemoryCache()
        self.sort_key = "name"
        self.descending = False
        self._requested: set[str] = set()

    # --- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return printable(row.name)
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = printable(row.path)
            return shown if row.info is None else f"{shown}\n{row.info.message}"
        if role == Role.PATH:
            return row.path
        if role == Role.INFO:
            return row.info
        if role == Role.VERDICT:
            return row.info.verdict if row.info else None
        if role == Role.PENDING:
            return row.info is None
        if role == Role.CATALOG:
            return row.catalog
        if role == Role.PREPARED:
            return row.prepared
        if role == Role.COPY:
            return row.copy_of is not None
        if role == Role.DUPLICATES:
            return len(row.near)
        if role == Role.THUMBNAIL:
            image = self.thumbnails.get(row.path)
            if image is None and row.info is not None and row.has_thumbnail \
                    and row.path not in self._requested:
                self._requested.add(row.path)
                self.thumbnail_needed.emit(row.path)
            return image
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemIsDragEnabled

    # --- filling --------------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self._index = {}
        self._requested.clear()
        self.thumbnails.clear()
        self.endResetModel()
        self.counts_changed.emit()

    def add_paths(self, paths: list[str]) -> None:
        """Add pending rows for paths not in the model yet, keeping the sort order."""
        new = [p for p in dict.fromkeys(paths) if p not in self._index]
        if not new:
            return
        rows = [LibraryRow(p, os.path.basename(p), os.path.dirname(p)) for p in new]
        if not self.rows:
            self.beginResetModel()
            self.rows = rows
            self._sort_rows()
            self.endResetModel()
        else:
            # Appending then re-sorting keeps this one layout change, not N inserts.
            self.layoutAboutToBeChanged.emit()
            old_paths = [r.path for r in self.rows]
            self.rows.extend(rows)
            self._sort_rows()
            self._remap_persistent(old_paths)
            self.layoutChanged.emit()
        self.counts_changed.emit()

    def remove_paths(self, paths: list[str]) -> None:
        gone = {p for p in paths if p in self._index}
        if not gone:
            return
        # Remove from the bottom up so earlier row numbers stay valid.
        for row in sorted((self._index[p] for p in gone), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
        for path in gone:
            self.thumbnails.discard(path)
            self._requested.discard(path)
        self._rebuild_index()
        self.counts_changed.emit()

    def update_items(self, items: list[tuple[ImageInfo, QImage | None, bool]]) -> None:
        """Apply scan results: (info, thumbnail or None, whether a thumbnail exists)."""
        touched: list[int] = []
        unknown = [info.path for info, _, _ in items if info.path not in self._index]
        if unknown:
            self.add_paths(unknown)
        for info, image, has_thumb in items:
            row_no = self._index[info.path]
            row = self.rows[row_no]
            row.info = info
            row.has_thumbnail = has_thumb
            self._requested.discard(info.path)
            if image is not None:
                self.thumbnails.put(info.path, image)
            else:
                self.thumbnails.discard(info.path)
            touched.append(row_no)
        self._emit_changed(touched)
        self.counts_changed.emit()

    def set_thumbnail(self, path: str, image: QImage | None) -> None:
        """A thumbnail read back from the disk cache (None: it was not there)."""
        row_no = self._index.get(path)
        if row_no is None:
            return
        self._requested.discard(path)
        if image is None:
            self.rows[row_no].has_thumbnail = False
        else:
            self.thumbnails.put(path, image)
        index = self.index(row_no)
        self.dataChanged.emit(index, index, [Role.THUMBNAIL])

    def drop_thumbnails(self) -> None:
        """Forget the in-memory thumbnails; painted rows read them back from the disk cache."""
        self.thumbnails.clear()
        self._requested.clear()
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1),
                                  [Role.THUMBNAIL])

    def set_hashes(self, hashes: dict[tuple[str, int, int], str]) -> None:
        """Remember content hashes worked out in the background, for rows still showing that
        version of the file ((path, bytes, mtime_ns) keys). Nothing visible changes."""
        for (path, size, mtime_ns), digest in hashes.items():
            row_no = self._index.get(path)
            if row_no is None:
                continue
            info = self.rows[row_no].info
            if info is not None and (info.bytes, info.mtime_ns) == (size, mtime_ns):
                self.rows[row_no].info = replace(info, sha256=digest)

    def set_catalog_links(self, links: dict[str, CatalogLink]) -> None:
        """Catalogue badges by path; rows not in ``links`` lose theirs."""
        changed = []
        for i, row in enumerate(self.rows):
            link = links.get(row.path)
            if link != row.catalog:
                row.catalog = link
                changed.append(i)
        self._emit_changed(changed, [Role.CATALOG])

    def set_copies(self, copies: CopyLinks) -> None:
        """Which rows are prepared copies (and of what) and which originals have copies; an
        original is *prepared* when one of its copies is ready to upload as it is."""
        changed = []
        for i, row in enumerate(self.rows):
            copy_of = copies.provenance.get(row.path)
            source = copies.source_of.get(row.path)
            own = tuple(copies.copies_of.get(row.path, ()))
            prepared = any(self._ready(path) for path in own)
            if (copy_of, source, own, prepared) != (row.copy_of, row.source, row.copies,
                                                    row.prepared):
                row.copy_of, row.source, row.copies, row.prepared = (copy_of, source, own,
                                                                     prepared)
                changed.append(i)
        # No roles given: the filter proxy must look again ("Needs work" depends on it).
        self._emit_changed(changed)
        if changed:
            self.counts_changed.emit()

    def set_duplicates(self, found: LibraryDuplicates) -> None:
        """Each row's near-copies among the open images and among catalogued assets."""
        changed = []
        for i, row in enumerate(self.rows):
            near = found.near.get(row.path, ())
            catalogued = found.catalogued.get(row.path, ())
            if (near, catalogued) != (row.near, row.catalogued_copies):
                row.near, row.catalogued_copies = near, catalogued
                changed.append(i)
        # No roles given: the "Has duplicates" filter must look again.
        self._emit_changed(changed)

    def _ready(self, path: str) -> bool:
        row_no = self._index.get(path)
        info = self.rows[row_no].info if row_no is not None else None
        return info is not None and info.verdict is Verdict.OK

    def row(self, path: str) -> LibraryRow | None:
        row_no = self._index.get(path)
        return self.rows[row_no] if row_no is not None else None

    def best_copy(self, path: str) -> LibraryRow | None:
        """The prepared copy to show for the original ``path``: one ready to upload, the
        newest first."""
        row = self.row(path)
        if row is None:
            return None
        copies = [r for p in row.copies if (r := self.row(p)) is not None and r.info]
        ready = [r for r in copies if r.info and r.info.verdict is Verdict.OK] or copies
        return max(ready, key=lambda r: r.info.mtime_ns if r.info else 0, default=None)

    def folders(self) -> list[tuple[str, int, int]]:
        """(folder, images, prepared copies) of every folder with images, in grid order."""
        counts: dict[str, list[int]] = {}
        for row in self.rows:
            entry = counts.setdefault(row.folder, [0, 0])
            entry[0] += 1
            entry[1] += row.copy_of is not None
        return [(folder, n, c) for folder, (n, c) in counts.items()]

    def _emit_changed(self, rows: list[int], roles: list[int] | None = None) -> None:
        """One dataChanged per run of adjacent rows: a single min..max range would make the
        filter proxy re-check every row in between."""
        if not rows:
            return
        rows = sorted(rows)
        start = prev = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            if roles is None:
                self.dataChanged.emit(self.index(start), self.index(prev))
            else:
                self.dataChanged.emit(self.index(start), self.index(prev), roles)
            if row is not None:
                start = prev = row

    # --- queries --------------------------------------------------------------------------
    def row_at(self, index: QModelIndex) -> LibraryRow | None:
        """The row of one of this model's indexes. Pages use this, not ``Role.PATH``: a
        path that isn't UTF-8 (lone surrogates) does not survive Qt's strings."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.rows[index.row()]

    def row_for_path(self, path: str) -> int | None:
        return self._index.get(path)

    def link_for_path(self, path: str) -> CatalogLink | None:
        row = self._index.get(path)
        return self.rows[row].catalog if row is not None else None

    def links_for(self, paths: list[str]) -> dict[str, CatalogLink]:
        """The catalogue links of those of ``paths`` that are catalogued, by path."""
        links = {p: self.link_for_path(p) for p in paths}
        return {p: link for p, link in links.items() if link is not None}

    def paths(self) -> list[str]:
        return [r.path for r in self.rows]

    def infos(self) -> list[ImageInfo]:
        return [r.info for r in self.rows if r.info is not None]

    def counts(self) -> tuple[int, int, int]:
        """(images, scanned, needing work); an original with an upload-ready copy doesn't
        need work any more."""
        scanned = sum(1 for r in self.rows if r.info is not None)
        return len(self.rows), scanned, sum(1 for r in self.rows if r.needs_work)

    # --- sorting --------------------------------------------------------------------------
    def sort_by(self, key: str, descending: bool = False) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}")
        self.sort_key, self.descending = key, descending
        self.layoutAboutToBeChanged.emit()
        old_paths = [r.path for r in self.rows]
        self._sort_rows()
        self._remap_persistent(old_paths)
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        # Two stable sorts: by the key (either way), then by folder (always A to Z), so each
        # folder's images stay together in the chosen order.
        self.rows.sort(key=SORT_KEYS[self.sort_key], reverse=self.descending)
        self.rows.sort(key=_folder_key)
        self._rebuild_index()

    def _rebuild_index(self) -> None:
        self._index = {r.path: i for i, r in enumerate(self.rows)}

    def _remap_persistent(self, old_paths: list[str]) -> None:
        old = self.persistentIndexList()
        if not old:
            return
        new = [self.index(self._index[old_paths[i.row()]]) if i.row() < len(old_paths)
               and old_paths[i.row()] in self._index else QModelIndex() for i in old]
        self.changePersistentIndexList(old, new)


def _folder_key(row: LibraryRow) -> tuple[str, str]:
    return row.folder.casefold(), row.folder


FILTERS: dict[str, tuple[str, frozenset[Verdict] | None]] = {
    "all": ("All images", None),
    "needs-work": ("Needs work", frozenset(v for v in Verdict if v.needs_work)),
    "prepared": ("Prepared", None),
    "copies": ("Prepared copies", None),
    "duplicates": ("Has duplicates", None),
    "ok": ("Ready to upload", frozenset({Verdict.OK})),
    "downscale": ("Will be downscaled", frozenset({Verdict.DOWNSCALE})),
    "unsupported": ("Convert format", frozenset({Verdict.UNSUPPORTED})),
    "too-big": ("Too big", frozenset({Verdict.TOO_LARGE_FILE, Verdict.TOO_MANY_PIXELS})),
    "corrupt": ("Corrupt or unreadable", frozenset({Verdict.CORRUPT})),
}


class LibraryFilterProxy(QSortFilterProxyModel):
    """Shows rows whose verdict is in the chosen group and whose name contains the search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._verdicts: frozenset[Verdict] | None = None
        self._filter_key = "all"
        self._text = ""
        self._folder: str | None = None

    @property
    def filter_key(self) -> str:
        return self._filter_key

    def set_verdict_filter(self, key: str) -> None:
        if key not in FILTERS:
            raise ValueError(f"unknown filter {key!r}")
        with self._filter_change():
            self._filter_key = key
            self._verdicts = FILTERS[key][1]

    def set_text(self, text: str) -> None:
        with self._filter_change():
            self._text = text.strip().casefold()

    @property
    def folder(self) -> str | None:
        return self._folder

    def set_folder(self, folder: str | None) -> None:
        """Only images directly in ``folder`` (None: every folder)."""
        with self._filter_change():
            self._folder = folder

    @contextlib.contextmanager
    def _filter_change(self) -> Iterator[None]:
        # Qt 6.9 replaced invalidateRowsFilter() with begin/endFilterChange(); keep both.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            yield
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            yield
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, LibraryModel) or source_row >= len(model.rows):
            return False
        row = model.rows[source_row]
        if self._folder is not None and row.folder != self._folder:
            return False
        if self._text and self._text not in row.name.casefold():
            return False
        key = self._filter_key
        if key == "needs-work":
            return row.needs_work
        if key == "prepared":
            return row.prepared
        if key == "copies":
            return row.copy_of is not None
        if key == "duplicates":
            return bool(row.near)
        if self._verdicts is None:
            return True
        return row.info is not None and row.info.verdict in self._verdicts
