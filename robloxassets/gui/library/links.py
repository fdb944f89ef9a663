"""The Library page's side of the catalogue: ID badges and the tagged copies it offers to link.

``CatalogLinker`` is a helper the page owns: it looks every scanned image up in the
catalogue in the background, puts the links on the grid's model and the details panel, and
offers to link PNGs that carry an asset ID but are not catalogued yet.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal

from robloxassets.core.catalog.links import CatalogLink, LibraryFile, TaggedFile, link_tagged
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import Verdict
from robloxassets.gui.library.details import LibraryDetails
from robloxassets.gui.library.jobs import lookup_catalog
from robloxassets.gui.library.model import LibraryModel
from robloxassets.gui.page import PageContext
from robloxassets.gui.tasks import GeneratorWorker, SerialLookup
from robloxassets.gui.widgets import Banner

FileKey = tuple[str, int, int]  # path, bytes, mtime_ns: one version of a file


class CatalogLinker(SerialLookup):
    """Catalogue links of the Library's images.

    Looks up again when asked (``refresh``: after a scan, when the page is shown) and
    whenever the catalogue changed through the window (``CatalogAccess.changed``).

    Signals: ``message(str, int)`` and ``problem(str, object)``, as ``Page``'s; ``updated()``
    once new links are on the model (the page's actions follow them).
    """

    message = Signal(str, int)
    doing = "Looking up images in the catalogue"

    def __init__(self, context: PageContext, model: LibraryModel, cache: ScanCache,
                 details: LibraryDetails, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.cache = cache
        self.details = details
        self.banner = banner
        self._offered: set[FileKey] = set()  # tagged files already offered for linking
        self._checked: set[FileKey] = set()  # unlinked files whose PNG chunks were read
        self._keys: dict[str, FileKey] = {}  # the version of each file last looked up
        self._tagged: list[TaggedFile] = []
        context.catalog.changed.connect(self.refresh)

    def _start(self) -> GeneratorWorker | None:
        """Look up every scanned image in the catalogue by content hash (in the background,
        one lookup at a time; files are hashed there when the catalogue has hashes to
        match)."""
        files = [LibraryFile(r.path, r.info.bytes, r.info.mtime_ns, r.info.sha256)
                 for r in self.model.rows if r.info and r.info.verdict is not Verdict.CORRUPT]
        if not files:
            return None
        # Each unlinked file's chunks are read once per session, not on every page switch.
        skip = frozenset(self._offered | self._checked)
        return self.context.tasks.run_task(
            lookup_catalog, self.context.catalog.open_catalog, files, self.cache, skip,
            pass_cancel=True, on_done=partial(self._loaded, sent=files),
            on_error=self._failed)

    def _loaded(self, result: tuple[dict[str, CatalogLink], list[TaggedFile], dict[str, str]],
                sent: list[LibraryFile]) -> None:
        self._finished()
        links, tagged, hashes = result
        self._checked.update(f.key for f in sent if f.path not in links)
        self.model.set_hashes({f.key: hashes[f.path] for f in sent
                               if f.sha256 is None and f.path in hashes})
        self.model.set_catalog_links(links)
        shown = self.details.info
        if shown is not None:
            self.details.set_catalog(links.get(shown.path))
        self.updated.emit()
        self._keys = {f.path: f.key for f in sent}
        fresh = [t for t in tagged if self._keys.get(t.path) not in self._offered]
        if not fresh or self.context.catalog.read_only:
            return  # linking writes: offered again once the catalogue can be changed
        self._tagged = fresh
        count = len(fresh)
        self.banner.show_message(
            f"{count} image{'s' if count != 1 else ''} carr{'y' if count != 1 else 'ies'} an "
            "asset ID written by \"Prepare for upload\" but "
            f"{'are' if count != 1 else 'is'} not linked in your catalogue.",
            [("Link to catalogue", self.link_tagged), ("Not now", self._skip_tagged)])

    def _skip_tagged(self) -> None:
        self._mark_offered(self._tagged)
        self._tagged = []
        self.banner.dismiss()

    def _mark_offered(self, tagged: list[TaggedFile]) -> None:
        self._offered.update(self._keys[t.path] for t in tagged if t.path in self._keys)

    def link_tagged(self) -> None:
        """Link the offered files to their entries (new draft entries for unknown IDs)."""
        tagged, self._tagged = self._tagged, []
        self._mark_offered(tagged)
        self.banner.dismiss()
        # link_tagged skips what is already linked, so it is safe to run again after a wait.
        self.context.catalog.write(lambda catalog: link_tagged(catalog, tagged),
                                   on_done=self._linked,
                                   on_error=lambda exc: self.problem.emit(
                                       "Linking images to the catalogue", exc))

    def _linked(self, counts: tuple[int, int]) -> None:
        linked, added = counts
        # The catalogue changed, so the links are looked up again (``changed``).
        self.message.emit(f"Linked {linked} image(s) to their entries and recorded {added} "
                          "new draft entr" + ("y" if added == 1 else "ies") + ".", 8000)

