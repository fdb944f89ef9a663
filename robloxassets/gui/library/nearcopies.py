"""The Library page's duplicates: which images are the same picture as others, or as a
catalogued asset.

``NearCopyLinker`` is a helper the page owns, like ``CopyLinker``: after each scan it groups,
in the background, the scanned images (their perceptual hashes came with the scan) with the
catalogued files (hashed through the scan cache), and marks the rows: the grid's "⧉ N" badge
and "Has duplicates" filter, the details' near-copies, the warning before preparing a copy of
something already catalogued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject

from robloxassets.core.catalog.store import Catalog
from robloxassets.core.duplicates.catalogued import catalogue_candidates, load_catalogue
from robloxassets.core.duplicates.library import LibraryDuplicates, library_duplicates
from robloxassets.core.errors import UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import ImageInfo
from robloxassets.core.settings import duplicate_threshold
from robloxassets.gui.library.model import LibraryModel
from robloxassets.gui.page import PageContext
from robloxassets.gui.tasks import GeneratorWorker, SerialLookup


def lookup_duplicates(infos: list[ImageInfo], threshold: int,
                      open_catalog: Callable[[], Catalog], cache: ScanCache,
                      cancel: threading.Event) -> LibraryDuplicates:
    """Runs in the pool: the catalogue's files are hashed (from the scan cache when
    unchanged); a busy catalogue leaves only the Library's own copies."""
    catalogued = []
    try:
        catalog = open_catalog()
        try:
            entries = load_catalogue(catalog)
        finally:
            catalog.close()
        catalogued = catalogue_candidates(entries, cache, cancel)
    except UserError:
        pass
    return library_duplicates(infos, catalogued, threshold)


class NearCopyLinker(SerialLookup):
    """Marks the Library's rows with their near-copies. Signals: ``updated()`` once they are
    marked; ``problem(str, object)`` as ``Page``'s."""

    doing = "Looking for duplicates"

    def __init__(self, context: PageContext, model: LibraryModel, cache: ScanCache,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.cache = cache

    def _start(self) -> GeneratorWorker | None:
        infos = [r.info for r in self.model.rows if r.info is not None]
        if not infos:
            self.model.set_duplicates(LibraryDuplicates())
            self.updated.emit()
            return None
        return self.context.tasks.run_task(
            lookup_duplicates, infos, duplicate_threshold(self.context.settings),
            self.context.catalog.open_catalog, self.cache, pass_cancel=True,
            on_done=self._loaded, on_error=self._failed)

    def _loaded(self, found: LibraryDuplicates) -> None:
        self._finished()
        self.model.set_duplicates(found)
        self.updated.emit()
