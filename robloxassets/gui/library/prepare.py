"""The Library page's "Prepare for upload": the dialog, the background job, the summary.

``Preparer`` is a helper the page owns; the page hands it the images to prepare.
"""

from __future__ import annotations

import logging
import os
from collections import Counter

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from robloxassets.core.catalog.links import TAG_KEY, CatalogLink, record_prepared
from robloxassets.core.duplicates.catalogued import CatalogMatch
from robloxassets.core.images.fit import FitResult, fit_many
from robloxassets.core.images.info import ImageInfo
from robloxassets.gui import desktop
from robloxassets.gui.library.model import LibraryModel
from robloxassets.gui.library.prepare_dialog import PrepareDialog
from robloxassets.gui.page import PageContext
from robloxassets.gui.tasks import GeneratorWorker
from robloxassets.gui.widgets import Banner

log = logging.getLogger(__name__)


def nothing_to_prepare(selected: bool, unreadable: int) -> str:
    """Why Prepare has nothing to do, in the user's terms."""
    if selected and unreadable == 1:
        return ("This file can't be read, so there is nothing to prepare: replace it with a "
                "good copy.")
    if selected and unreadable:
        return (f"None of the {unreadable:,} selected files can be read, so there is nothing "
                "to prepare: replace them with good copies.")
    return ("Nothing to prepare: every image is ready to upload as it is or already has an "
            "upload-ready copy.")


def summary_counts(results: list[FitResult]) -> str:
    """"3 written, 2 up to date, 1 failed": only what happened."""
    counts = Counter(r.status for r in results)
    words = {"written": "written", "up-to-date": "up to date", "skipped": "skipped",
             "failed": "failed"}
    parts = [f"{counts[key]:,} {word}" for key, word in words.items() if counts[key]]
    return ", ".join(parts) or "nothing done"


class Preparer(QObject):
    """Writes upload-ready copies with progress and cancel, one batch at a time.

    Copies of catalogued images carry their asset ID in a PNG text chunk, and their entries
    remember the copy's hash (a catalogue write, so the Library's badges follow).

    Signals: ``message(str, int)`` and ``problem(str, object)``, as ``Page``'s;
    ``written(str)`` with the output folder once copies were written or found up to date
    there (the page opens it).
    """

    message = Signal(str, int)
    problem = Signal(str, object)
    written = Signal(str)

    def __init__(self, context: PageContext, model: LibraryModel, banner: Banner,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.banner = banner
        self.widget = parent  # dialogs open over it
        self.worker: GeneratorWorker | None = None
        self.last_summary = ""
        self._results: list[FitResult] = []
        self._problems: list[FitResult] = []
        self._links: dict[str, CatalogLink] = {}
        self._total = 0
        self._out = ""

    def ask(self, targets: list[ImageInfo], *, selected: bool = False, unreadable: int = 0,
            prepared: int = 0) -> None:
        """Confirm catalogued images, ask where to, then start (the toolbar's Prepare).

        ``targets``: the readable images to prepare; ``selected``: they are the selection
        (not every image that needs work); ``unreadable``: files of the selection left out
        because they can't be read; ``prepared``: targets that already have a copy.
        """
        if self.worker is not None:
            self.message.emit("Already preparing images; wait for it or cancel it.", 4000)
            return
        if not targets:
            self.message.emit(nothing_to_prepare(selected, unreadable), 6000)
            return
        confirmed = self._confirm_catalogued(targets)
        if not confirmed:
            return
        confirmed = self._confirm_near_copies(confirmed)
        if not confirmed:
            return
        settings = self.context.settings
        dialog = PrepareDialog(len(confirmed), settings.get("library.output_folder"),
                               settings.get("library.max_side"), self.widget,
                               selected=len(targets) + unreadable if selected else 0,
                               unreadable=unreadable, prepared=prepared)
        if dialog.exec() != PrepareDialog.DialogCode.Accepted:
            return
        settings.set("library.output_folder", dialog.folder)
        settings.set("library.max_side", dialog.max_side.value())
        self.start([i.path for i in confirmed], dialog.folder, dialog.max_side.value(),
                   dialog.overwrite.isChecked())

    def _confirm_catalogued(self, infos: list[ImageInfo]) -> list[ImageInfo] | None:
        """Warn before preparing images that already have an asset ID. None = cancelled."""
        known = self.model.links_for([i.path for i in infos])
        if not known:
            return infos
        names = ", ".join(f"{link.name} ({link.content_id})" for link in list(known.values())[:5])
        more = f" and {len(known) - 5} more" if len(known) > 5 else ""
        if len(infos) == 1:
            head = "This image already has an asset ID"
        elif len(known) == 1:
            head = f"1 of these {len(infos):,} images already has an asset ID"
        else:
            head = f"{len(known):,} of these {len(infos):,} images already have an asset ID"
        box = QMessageBox(QMessageBox.Icon.Question, "Already in your catalogue",
                          f"{head}: {names}{more}. Uploading again would make a duplicate "
                          "asset; a copy carries the ID its image has.", parent=self.widget)
        prepare_all = box.addButton("Prepare all", QMessageBox.ButtonRole.AcceptRole)
        skip = box.addButton("Skip catalogued", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is prepare_all:
            return infos
        if box.clickedButton() is skip:
            return [i for i in infos if i.path not in known]
        return None

    def near_copy_warnings(self, infos: list[ImageInfo]) -> dict[str, CatalogMatch]:
        """Images that are near-copies of another catalogued asset (not their own entry,
        which ``_confirm_catalogued`` covers): the closest match of each, by path."""
        out: dict[str, CatalogMatch] = {}
        for info in infos:
            row = self.model.row(info.path)
            if row is None:
                continue
            own = row.catalog.entry_id if row.catalog is not None else None
            matches = [m for m in row.catalogued_copies if m.entry_id != own]
            if matches:
                out[info.path] = matches[0]
        return out

    def _confirm_near_copies(self, infos: list[ImageInfo]) -> list[ImageInfo] | None:
        """Warn before preparing near-copies of catalogued assets (a rejected one is likely
        to be rejected again). None = cancelled."""
        found = self.near_copy_warnings(infos)
        if not found:
            return infos
        lines = [f"{os.path.basename(path)}: {match.describe()}"
                 for path, match in list(found.items())[:4]]
        more = f"\n… and {len(found) - 4} more" if len(found) > 4 else ""
        head = ("This image looks like one already in your catalogue." if len(infos) == 1
                else f"{len(found):,} of these {len(infos):,} images look like ones already "
                     "in your catalogue.")
        box = QMessageBox(QMessageBox.Icon.Warning, "Near-copies of catalogued assets",
                          head + "\n\n" + "\n".join(lines) + more, parent=self.widget)
        prepare_all = box.addButton("Prepare anyway", QMessageBox.ButtonRole.AcceptRole)
        skip = box.addButton("Skip near-copies", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is prepare_all:
            return infos
        if box.clickedButton() is skip:
            return [i for i in infos if i.path not in found] or None
        return None

    def start(self, paths: list[str], out_dir: str, max_side: int,
              overwrite: bool) -> GeneratorWorker:
        """Run ``fit_many`` in the background with progress and cancel (tests call this)."""
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as exc:
            self.message.emit(f"Cannot use the output folder {out_dir}: {exc.strerror}", 10000)
            raise
        self._results = []
        self._total = len(paths)
        self._out = out_dir
        # Copies of catalogued images carry their asset ID in a PNG text chunk.
        self._links = self.model.links_for(paths)
        texts = {p: {TAG_KEY: link.tag.text()} for p, link in self._links.items()}
        worker = GeneratorWorker(fit_many, paths, out_dir, max_side=max_side,
                                 overwrite=overwrite, png_text_for=texts.get, pass_cancel=True)
        worker.signals.yielded.connect(self._progress)
        worker.signals.finished.connect(self._finished)
        self.worker = worker
        self.context.progress.start("Preparing for upload", len(paths), worker.abort)
        self.context.tasks.start(worker, on_error=self._failed)
        return worker

    def _progress(self, result: FitResult) -> None:
        self._results.append(result)
        self.context.progress.update(len(self._results))

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit("Preparing for upload", exc)

    def _finished(self) -> None:
        worker = self.worker
        self.worker = None
        self.context.progress.finish()
        results = self._results
        written = [r for r in results if r.status == "written"]
        failed = [r for r in results if r.status in ("skipped", "failed")]
        cancelled = worker is not None and worker.aborted and len(results) < self._total
        text = (f"Cancelled after {len(results):,} of {self._total:,} images: "
                if cancelled else "Prepared for upload: ") + summary_counts(results) + "."
        refused = next((r for r in failed if r.disk_error), None)
        if refused is not None:
            # The disk's fault (full, read-only), not the images': say so and what to do
            # here, not only behind Show details.
            text += f" {refused.message}"
        self.last_summary = text
        self._problems = failed
        actions = [("Open folder", self._open_folder)]
        if self._problems:
            actions.insert(0, ("Show details", self._show_details))
        self.banner.show_message(text, actions)
        self.message.emit(text, 8000)
        copies = [(link.entry_id, r.output) for r in written
                  if r.output and (link := self._links.get(r.source)) is not None
                  and link.entry_id is not None]
        if copies and self.context.catalog.read_only:
            # The copies carry their asset IDs, so the Library offers to link them once
            # the catalogue can be changed again.
            log.info("Prepared copies not remembered: the catalogue can only be read")
        elif copies:
            # record_prepared skips copies already remembered: safe to run again after a wait.
            self.context.catalog.write(
                lambda catalog: record_prepared(catalog, copies),
                on_error=lambda exc: self.problem.emit("Remembering the prepared copies", exc))
        if written or any(r.status == "up-to-date" for r in results):
            self.written.emit(self._out)

    def _open_folder(self) -> None:
        problem = desktop.open_local(self._out)
        if problem:
            self.message.emit(problem, 10000)

    def _show_details(self) -> None:
        results = self._problems
        were = "images were" if len(results) != 1 else "image was"
        box = QMessageBox(QMessageBox.Icon.Information, "Prepare for upload",
                          f"{len(results):,} {were} not written.", parent=self.widget)
        box.setDetailedText("\n".join(f"{os.path.basename(r.source)}: {r.status} - {r.message}"
                                      for r in results))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.open()

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.abort()
