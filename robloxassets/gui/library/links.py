"""The Library page's side of the catalogue: ID badges, Record asset ID, tagged copies.

A mixin of ``LibraryPage`` (it uses the page's model, details panel, banner and signals), kept
apart so the page module holds the grid and its folders only.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from robloxassets.core.catalog.links import CatalogLink, LibraryFile, TaggedFile
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.gui.library.jobs import link_files, lookup_catalog
from robloxassets.gui.tasks import GeneratorWorker

FileKey = tuple[str, int, int]  # path, bytes, mtime_ns: one version of a file


class LibraryCatalogLinks:
    """Catalogue links of the Library page (mixed into ``LibraryPage``)."""

    _tags_offered: set[FileKey]  # tagged files already offered for linking
    _tags_checked: set[FileKey]  # unlinked files whose PNG chunks were already read
    _tagged: list[TaggedFile]
    _links_worker: GeneratorWorker | None
    _links_again: bool  # refresh_links was called while a lookup ran
    _tag_keys: dict[str, FileKey]  # the version of each file last looked up, by path

    def refresh_links(self) -> None:
        """Look up every scanned image in the catalogue by content hash (in the background;
        files are hashed there when the catalogue has hashes to match)."""
        files = [LibraryFile(r.path, r.info.bytes, r.info.mtime_ns, r.info.sha256)
                 for r in self.model.rows if r.info and r.info.verdict is not Verdict.CORRUPT]
        if not files:
            return
        if self._links_worker is not None:
            # One lookup at a time: the next starts when this one's answer is in, so files
            # it read (hashes, PNG chunks) are not read again.
            self._links_again = True
            return
        # Each unlinked file's chunks are read once per session, not on every page switch.
        skip = frozenset(self._tags_offered | self._tags_checked)
        self._links_worker = self.context.tasks.run_task(
            lookup_catalog, files, self.cache, skip, pass_cancel=True,
            on_done=lambda result, sent=files: self._links_loaded(result, sent),
            on_error=self._links_failed)

    def _links_loaded(self, result: tuple[dict[str, CatalogLink], list[TaggedFile],
                                          dict[str, str]],
                      sent: list[LibraryFile]) -> None:
        self._links_worker = None
        self._links_followup()
        links, tagged, hashes = result
        self._tags_checked.update(f.key for f in sent if f.path not in links)
        self.model.set_hashes({f.key: hashes[f.path] for f in sent
                               if f.sha256 is None and f.path in hashes})
        self.model.set_catalog_links(links)
        shown = self.details.info
        if shown is not None:
            self.details.set_catalog(links.get(shown.path))
        self._tag_keys = {f.path: f.key for f in sent}
        fresh = [t for t in tagged if self._tag_keys.get(t.path) not in self._tags_offered]
        if not fresh:
            return
        self._tagged = fresh
        count = len(fresh)
        self.banner.show_message(
            f"{count} image{'s' if count != 1 else ''} carr{'y' if count != 1 else 'ies'} an "
            "asset ID written by \"Prepare for upload\" but "
            f"{'are' if count != 1 else 'is'} not linked in your catalogue.",
            [("Link to catalogue", self.link_tagged), ("Not now", self._skip_tagged)])

    def _links_followup(self) -> None:
        # Deferred to the next turn of the event loop: this answer is applied first.
        if self._links_again:
            self._links_again = False
            QTimer.singleShot(0, self.refresh_links)

    def _links_failed(self, exc: BaseException) -> None:
        self._links_worker = None
        self._links_followup()
        self.problem.emit("Looking up images in the catalogue", exc)

    def _skip_tagged(self) -> None:
        self._offered(self._tagged)
        self._tagged = []
        self.banner.dismiss()

    def _offered(self, tagged: list[TaggedFile]) -> None:
        self._tags_offered.update(self._tag_keys[t.path] for t in tagged
                                  if t.path in self._tag_keys)

    def link_tagged(self) -> None:
        tagged, self._tagged = self._tagged, []
        self._offered(tagged)
        self.banner.dismiss()
        self.context.tasks.run_task(link_files, tagged, on_done=self._tagged_linked,
                                    on_error=self._links_failed)

    def _tagged_linked(self, counts: tuple[int, int]) -> None:
        linked, added = counts
        self.message.emit(f"Linked {linked} image(s) to their entries and recorded {added} "
                          "new draft entr" + ("y" if added == 1 else "ies") + ".", 8000)
        self.refresh_links()

    def record_selection(self) -> None:
        """Record the selected image's asset ID, or show its entry if it has one."""
        infos = self.selected_infos()
        if len(infos) != 1:
            self.message.emit("Select one image to record its asset ID.", 4000)
            return
        info = infos[0]
        if info.verdict is Verdict.CORRUPT:
            self.message.emit("This file can't be read, so it can't be recorded.", 4000)
            return
        link = self.model.link_for_path(info.path)
        if link is not None:
            self.navigate.emit("catalog", link.asset_id)
            return
        window = self.window()
        catalogue = window.page("catalog") if hasattr(window, "page") else None
        if catalogue is None or not hasattr(catalogue, "record_file"):
            self.message.emit("The catalogue is not available.", 4000)
            return
        form = catalogue.record_file(info.path, info.sha256, info.width, info.height)
        if form is not None:
            form.accepted.connect(self.refresh_links)

    def catalogued_targets(self, infos: list[ImageInfo]) -> dict[str, CatalogLink]:
        """Targets of a prepare that are already catalogued, by path."""
        links = {i.path: self.model.link_for_path(i.path) for i in infos}
        return {path: link for path, link in links.items() if link is not None}

    def _confirm_catalogued(self, infos: list[ImageInfo]) -> list[ImageInfo] | None:
        """Warn before preparing images that already have an asset ID. None = cancelled."""
        known = self.catalogued_targets(infos)
        if not known:
            return infos
        names = ", ".join(f"{link.name} ({link.content_id})" for link in list(known.values())[:5])
        more = f" and {len(known) - 5} more" if len(known) > 5 else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Already in your catalogue",
                          f"{len(known)} of these images already have an asset ID: {names}{more}."
                          " Uploading them again would make duplicate assets; their copies will "
                          "carry the ID they have.", parent=self)
        prepare_all = box.addButton("Prepare all", QMessageBox.ButtonRole.AcceptRole)
        skip = box.addButton("Skip catalogued", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is prepare_all:
            return infos
        if box.clickedButton() is skip:
            return [i for i in infos if i.path not in known]
        return None

