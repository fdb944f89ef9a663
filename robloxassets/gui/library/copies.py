"""The Library page's prepared copies: which images are copies, and of which originals.

``CopyLinker`` is a helper the page owns: after each scan it reads, in the background, the
provenance chunk of the Library's PNGs (each file version once per session) and hashes the
originals that could match (``core.images.copies.link_copies``), then marks the rows: an
original with an upload-ready copy is *prepared* (it no longer needs work), a copy knows its
original.
"""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import QObject

from robloxassets.core.catalog.links import LibraryFile
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.copies import CopyLinks, FileKey, link_copies
from robloxassets.core.images.info import Verdict
from robloxassets.core.images.provenance import Provenance
from robloxassets.gui.library.model import LibraryModel
from robloxassets.gui.page import PageContext
from robloxassets.gui.tasks import GeneratorWorker, SerialLookup


def lookup_copies(files: list[LibraryFile], known: dict[FileKey, Provenance | None],
                  cache: ScanCache, cancel: threading.Event) -> CopyLinks:
    """Runs in the pool: ``link_copies`` on the Library's files."""
    return link_copies(files, known, cache, cancel)


class CopyLinker(SerialLookup):
    """Links prepared copies and their originals in the Library's model.

    Signals: ``updated()`` once the rows are marked (the page refreshes its details and
    actions); ``problem(str, object)`` as ``Page``'s.
    """

    doing = "Looking for prepared copies"

    def __init__(self, context: PageContext, model: LibraryModel, cache: ScanCache,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.cache = cache
        self._known: dict[FileKey, Provenance | None] = {}  # provenance read, per version

    def _start(self) -> GeneratorWorker | None:
        """Look the scanned images over again (in the background; one lookup at a time)."""
        files = [LibraryFile(r.path, r.info.bytes, r.info.mtime_ns, r.info.sha256)
                 for r in self.model.rows if r.info and r.info.verdict is not Verdict.CORRUPT]
        if not files:
            self.model.set_copies(CopyLinks())
            self.updated.emit()
            return None
        return self.context.tasks.run_task(
            lookup_copies, files, dict(self._known), self.cache, pass_cancel=True,
            on_done=partial(self._loaded, sent=files), on_error=self._failed)

    def _loaded(self, links: CopyLinks, sent: list[LibraryFile]) -> None:
        self._finished()
        self._known.update(links.read)
        self.model.set_hashes({f.key: links.hashes[f.path] for f in sent
                               if f.sha256 is None and f.path in links.hashes})
        self.model.set_copies(links)
        self.updated.emit()
