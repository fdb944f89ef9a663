"""The Duplicates page's background job: scan, hash, group, and read the thumbnails.

Runs on the task pool (never the UI thread): the scan cache answers for files the Library has
already scanned, so a search over an open library reads headers and cached hashes only.
QImages are made here (QImage is safe off the UI thread; QPixmap is not).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from robloxassets.core.catalog.store import Catalog
from robloxassets.core.duplicates.catalogued import catalogue_candidates, load_catalogue
from robloxassets.core.duplicates.collect import merge, scan_candidates
from robloxassets.core.duplicates.groups import Group, find_groups
from robloxassets.core.errors import UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.scan import FolderProblem
from robloxassets.core.images.thumbnails import THUMB_SIZE
from robloxassets.gui.qimage import rgba_qimage

#: The side of the thumbnails the page keeps (the tree's icons and the details' previews).
PREVIEW_PX = 160


@dataclass
class DuplicatesResult:
    groups: list[Group]
    threshold: int
    compared: int = 0
    catalogued: int = 0
    unreadable: list[str] = field(default_factory=list)
    problems: list[FolderProblem] = field(default_factory=list)
    thumbnails: dict[str, QImage] = field(default_factory=dict)
    catalogue_note: str = ""


def find_duplicates(folders: Sequence[str], threshold: int,
                    open_catalog: Callable[[], Catalog] | None,
                    cancel: threading.Event | None = None) -> DuplicatesResult:
    cache = ScanCache()
    collected = scan_candidates(folders, cache, cancel)
    candidates = collected.candidates
    catalogued = []
    note = ""
    if open_catalog is not None:
        try:
            catalog = open_catalog()
            try:
                entries = load_catalogue(catalog)
            finally:
                catalog.close()
            catalogued = catalogue_candidates(entries, cache, cancel)
        except UserError as exc:  # busy or unreadable: the library alone is still useful
            note = exc.message
    groups = find_groups(merge(candidates, catalogued), threshold)
    result = DuplicatesResult(groups, threshold, len(candidates), len(catalogued),
                              [i.path for i in collected.unreadable], collected.problems,
                              catalogue_note=note)
    for group in groups:
        if cancel is not None and cancel.is_set():
            break
        for member in group.members:
            c = member.candidate
            thumb = cache.thumbnail(c.path, c.bytes, c.mtime_ns, THUMB_SIZE) if c.mtime_ns \
                else None
            if thumb is not None:
                image = rgba_qimage(thumb.rgba, thumb.width, thumb.height)
                result.thumbnails[c.path] = image.scaled(
                    PREVIEW_PX, PREVIEW_PX, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation)
    return result
