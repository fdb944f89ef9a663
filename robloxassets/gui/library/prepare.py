"""The Library page's "Prepare for upload": targets, the dialog, the background job, the summary.

A mixin of ``LibraryPage`` (it uses the page's model, banner, progress and signals), kept
apart so the page module holds the grid and its folders only.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from robloxassets.core.catalog.links import TAG_KEY, CatalogLink
from robloxassets.core.images.fit import FitResult, fit_many
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.gui.library.jobs import remember_copies
from robloxassets.gui.library.prepare_dialog import PrepareDialog
from robloxassets.gui.tasks import GeneratorWorker


class LibraryPrepare:
    """"Prepare for upload" of the Library page (mixed into ``LibraryPage``)."""

    _prepare_worker: GeneratorWorker | None
    _prepare_results: list[FitResult]
    _prepare_links: dict[str, CatalogLink]
    _prepare_problems: list[FitResult]
    last_prepare_summary: str

    def prepare_targets(self) -> list[ImageInfo]:
        """The selection, or every image that needs work; unreadable files are left out."""
        chosen = self.selected_infos()
        if not chosen:
            chosen = [i for i in self.model.infos() if i.verdict.needs_work]
        return [i for i in chosen if i.verdict is not Verdict.CORRUPT]

    def prepare_selection(self) -> None:
        if self._prepare_worker is not None:
            self.message.emit("Already preparing images; wait for it or cancel it.", 4000)
            return
        targets = self.prepare_targets()
        if not targets:
            self.message.emit("Nothing to prepare: every image is ready to upload as it is.",
                              5000)
            return
        confirmed = self._confirm_catalogued(targets)
        if not confirmed:
            return
        targets = confirmed
        settings = self.context.settings
        dialog = PrepareDialog(len(targets), settings.get("library.output_folder"),
                               settings.get("library.max_side"), self)
        if dialog.exec() != PrepareDialog.DialogCode.Accepted:
            return
        settings.set("library.output_folder", dialog.folder)
        settings.set("library.max_side", dialog.max_side.value())
        self.start_prepare([i.path for i in targets], dialog.folder, dialog.max_side.value(),
                           dialog.overwrite.isChecked())

    def start_prepare(self, paths: list[str], out_dir: str, max_side: int,
                      overwrite: bool) -> GeneratorWorker:
        """Run ``fit_many`` in the background with progress and cancel (tests call this)."""
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as exc:
            self.message.emit(f"Cannot use the output folder {out_dir}: {exc.strerror}", 10000)
            raise
        self._prepare_results: list[FitResult] = []
        self._prepare_total = len(paths)
        self._prepare_out = out_dir
        # Copies of catalogued images carry their asset ID in a PNG text chunk.
        self._prepare_links = {p: link for p in paths
                               if (link := self.model.link_for_path(p)) is not None}
        texts = {p: {TAG_KEY: link.tag.text()}
                 for p, link in self._prepare_links.items()}
        worker = GeneratorWorker(fit_many, paths, out_dir, max_side=max_side,
                                 overwrite=overwrite, png_text_for=texts.get, pass_cancel=True)
        worker.signals.yielded.connect(self._prepare_progress)
        worker.signals.finished.connect(self._prepare_finished)
        self._prepare_worker = worker
        self.context.progress.start("Preparing for upload", len(paths), worker.abort)
        self.context.tasks.start(worker, on_error=self._prepare_failed)
        return worker

    def _prepare_progress(self, result: FitResult) -> None:
        self._prepare_results.append(result)
        self.context.progress.update(len(self._prepare_results))

    def _prepare_failed(self, exc: BaseException) -> None:
        self.problem.emit("Preparing for upload", exc)

    def _prepare_finished(self) -> None:
        worker = self._prepare_worker
        self._prepare_worker = None
        self.context.progress.finish()
        results = self._prepare_results
        written = [r for r in results if r.status == "written"]
        skipped = [r for r in results if r.status == "skipped"]
        failed = [r for r in results if r.status == "failed"]
        cancelled = worker is not None and worker.aborted and \
            len(results) < self._prepare_total
        head = (f"Cancelled after {len(results)} of {self._prepare_total} images. "
                if cancelled else "Prepared for upload: ")
        text = f"{head}{len(written)} written, {len(skipped)} skipped, {len(failed)} failed."
        self.last_prepare_summary = text
        self._prepare_problems = skipped + failed
        actions = [("Open folder", self._open_prepare_folder)]
        if self._prepare_problems:
            actions.insert(0, ("Show details", self._show_prepare_details))
        self.banner.show_message(text, actions)
        self.message.emit(text, 8000)
        copies = [(link.entry_id, r.output) for r in written
                  if r.output and (link := self._prepare_links.get(r.source)) is not None
                  and link.entry_id is not None]
        if copies:
            self.context.tasks.run_task(remember_copies, copies,
                                        on_done=lambda _count: self.refresh_links())
        if written:
            self.open_paths([self._prepare_out])

    def _open_prepare_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self._prepare_out))

    def _show_prepare_details(self) -> None:
        results = self._prepare_problems
        box = QMessageBox(QMessageBox.Icon.Information, "Prepare for upload",
                          f"{len(results)} image(s) were not written.", parent=self)
        box.setDetailedText("\n".join(f"{os.path.basename(r.source)}: {r.status} - {r.message}"
                                      for r in results))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.open()
