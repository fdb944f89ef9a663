"""The Library page: folders of decal images as a thumbnail grid with Roblox's verdicts."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path
from typing import cast

from PySide6.QtCore import QFileSystemWatcher, QItemSelection, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.errors import UserError
from robloxassets.core.images import workers
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.rules import is_image_path
from robloxassets.core.images.samples import sample_library
from robloxassets.core.images.scan import FolderProblem, Scanner
from robloxassets.core.images.thumbnails import THUMB_SIZE
from robloxassets.core.printable import printable
from robloxassets.core.upload.queue import read_only_refusal
from robloxassets.gui import desktop, icons
from robloxassets.gui.actions import make_action
from robloxassets.gui.details import Fact
from robloxassets.gui.library.copies import CopyLinker
from robloxassets.gui.library.delegate import LibraryDelegate
from robloxassets.gui.library.details import LibraryDetails, Selection
from robloxassets.gui.library.folder_notes import FolderNote, is_under
from robloxassets.gui.library.jobs import (
    ScanRow,
    changed_under,
    load_thumbnails,
    scan_job,
    scan_paths,
)
from robloxassets.gui.library.links import CatalogLinker
from robloxassets.gui.library.model import (
    FILTERS,
    LibraryFilterProxy,
    LibraryModel,
    LibraryRow,
    Role,
)
from robloxassets.gui.library.nearcopies import NearCopyLinker
from robloxassets.gui.library.prepare import Preparer
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.requests import RecordFile, UploadFiles
from robloxassets.gui.tasks import GeneratorWorker
from robloxassets.gui.widgets import (
    Banner,
    Button,
    EmptyState,
    SearchBox,
    elastic_combo,
    image_file_filter,
    refit_combo,
)

log = logging.getLogger(__name__)

WATCH_LIMIT = 4000  # folders; inotify watches are a per-user budget shared with other apps
SORTS = (("name", "Name"), ("size", "File size"), ("date", "Date modified"))
RECORD_TEXT = "&Record asset ID…"
SHOW_ENTRY_TEXT = "Show in &catalogue"
UPLOAD_TIP = "Upload the selected images to Roblox through Open Cloud (Ctrl+U)"
RECORD_TIP = "Record the asset ID of the selected image in the catalogue, or show its entry " \
             "(Ctrl+R)"
PRUNE_DELAY_MS = 10_000  # the scan cache's once-a-session clean-up waits for start-up to settle


class LibraryPage(Page):
    """Owns the grid model and the scan and watch machinery; its helpers ``links``
    (catalogue badges, tagged copies) and ``preparer`` ("Prepare for upload")."""

    page_id = "library"
    title = "Library"
    icon_name = "library"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        settings = context.settings
        self.roots: list[str] = []
        self.cache = ScanCache()
        self.scanner = Scanner(self.cache, thumb_size=THUMB_SIZE)
        workers.start_early()  # the first big scan then finds its worker processes ready
        self._scans: set[GeneratorWorker] = set()
        self._scan_total = 0
        self._scan_done = 0
        self._thumb_wanted: set[str] = set()

        self.model = LibraryModel(self)
        self.proxy = LibraryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.model.thumbnail_needed.connect(self._want_thumbnail)
        self.model.counts_changed.connect(self._counts_changed)

        self._build_actions()
        self._build_ui(settings.get("library.thumb_size"))
        self._cached_px = self.display_px()
        # The panel's buttons are the toolbar's actions: both are always enabled alike.
        self.details = LibraryDetails(context.tasks,
                                      [self.act_prepare, self.act_upload, self.act_record,
                                       self.act_reveal])
        self.details.max_side = settings.get("library.max_side")
        self.links = CatalogLinker(context, self.model, self.cache, self.details, self.banner,
                                   self)
        self.copies = CopyLinker(context, self.model, self.cache, self)
        self.near_copies = NearCopyLinker(context, self.model, self.cache, self)
        self.preparer = Preparer(context, self.model, self.banner, self)
        self.links.message.connect(self.message)
        self.preparer.message.connect(self.message)
        for problem in (self.links.problem, self.copies.problem, self.preparer.problem,
                        self.near_copies.problem):
            problem.connect(self.problem)
        self.links.updated.connect(self._update_actions)
        context.catalog.read_only_changed.connect(self._read_only_changed)
        self.copies.updated.connect(self._copies_updated)
        self.near_copies.updated.connect(self._copies_updated)
        self.preparer.written.connect(self._prepared)

        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._directory_changed)
        self._changed_dirs: set[str] = set()
        self._watch_timer = QTimer(self, singleShot=True, interval=400)
        self._watch_timer.timeout.connect(self._rescan_changed)
        self._thumb_timer = QTimer(self, singleShot=True, interval=0)
        self._thumb_timer.timeout.connect(self._load_wanted_thumbnails)

        sort_keys = [key for key, _ in SORTS]
        sort_key = settings.get("library.sort")
        self.sort_combo.setCurrentIndex(sort_keys.index(sort_key) if sort_key in sort_keys else 0)
        filter_key = settings.get("library.filter")
        self.filter_combo.setCurrentIndex(
            list(FILTERS).index(filter_key) if filter_key in FILTERS else 0)
        saved = [f for f in settings.get("library.folders") if isinstance(f, str)]
        existing = [f for f in saved if os.path.exists(f)]
        if existing:
            # Restoring last session's folders: defer so the window shows first.
            QTimer.singleShot(0, lambda: self.open_paths(existing))
        if len(existing) < len(saved):
            missing = ", ".join(f for f in saved if f not in existing)
            QTimer.singleShot(0, lambda: self.banner.show_message(
                f"Some folders from last time are gone and were not opened: {missing}"))
        # Once a session, after start-up has settled: entries of files deleted while the app
        # was closed leave the scan cache (it would otherwise only ever grow).
        self._prune_timer = QTimer(self, singleShot=True, interval=PRUNE_DELAY_MS)
        self._prune_timer.timeout.connect(self._prune_cache)
        self._prune_timer.start()
        self._update_view()

    def _prune_cache(self) -> None:
        self.context.tasks.run_task(self.cache.prune_missing, pass_cancel=True)

    # --- UI -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_open = make_action(self, "&Open folder…", self.choose_folder,
                                    shortcut=QKeySequence.StandardKey.Open, icon="open-folder",
                                    tip="Open a folder of images (Ctrl+O)")
        self.act_open_files = make_action(self, "Add &images…", self.choose_files,
                                          shortcut="Ctrl+Shift+O")
        self.act_sample = make_action(self, "Open &sample library", self.open_sample_library,
                                      icon="sample",
                                      tip="Open the sample decals that come with the app")
        self.act_close = make_action(self, "&Close all folders", self.close_all)
        self.act_prepare = make_action(self, "&Prepare for upload…", self.prepare_selection,
                                       shortcut="Ctrl+P", icon="prepare",
                                       tip="Write upload-ready copies of the selection, or of "
                                       "every image that needs work (Ctrl+P)")
        self.act_reveal = make_action(self, "Show in &folder", self.reveal_selection,
                                      shortcut="Ctrl+Shift+R", icon="folder")
        self.act_record = make_action(self, RECORD_TEXT, self.record_selection,
                                      shortcut="Ctrl+R", icon="catalog",
                                      tip=RECORD_TIP)
        self.act_upload = make_action(self, "&Upload…", self.upload_selection,
                                      shortcut="Ctrl+U", icon="upload",
                                      tip=UPLOAD_TIP)
        self.act_select_work = make_action(self, "Select images that need &work",
                                           self.select_needing_work, shortcut="Ctrl+Shift+A")
        # Nothing is selected yet.
        self.act_reveal.setEnabled(False)
        self.act_record.setEnabled(False)
        self.act_upload.setEnabled(False)

    def _build_ui(self, thumb_size: int) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        bar = QHBoxLayout()
        self.search = SearchBox("Filter by name")
        self.search.textChanged.connect(self._filter_text)
        self.search.setMaximumWidth(280)
        self.filter_combo = QComboBox()
        for key, (label, _) in FILTERS.items():
            self.filter_combo.addItem(label, key)
        self.filter_combo.setToolTip("Show only images with this verdict")
        self.filter_combo.currentIndexChanged.connect(self._filter_verdict)
        # Shown once there is more than one folder: prepared copies live in their own.
        self.folder_combo = QComboBox()
        self.folder_combo.setToolTip("Show only the images in one folder")
        self.folder_combo.addItem("All folders", None)
        self.folder_combo.currentIndexChanged.connect(self._filter_folder)
        self.folder_combo.hide()
        self._folders: list[tuple[str, int, int]] = []
        self.sort_combo = QComboBox()
        for key, label in SORTS:
            self.sort_combo.addItem(f"Sort by {label.lower()}", key)
        self.sort_combo.setToolTip("Sort each folder's images")
        self.sort_combo.currentIndexChanged.connect(self._sort)
        for combo in (self.filter_combo, self.folder_combo, self.sort_combo):
            elastic_combo(combo, min_chars=6)  # all of them fit an 800 px window
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(64, 256)
        self.size_slider.setSingleStep(16)
        self.size_slider.setPageStep(32)
        self.size_slider.setValue(thumb_size)
        self.size_slider.setMinimumWidth(50)
        self.size_slider.setMaximumWidth(100)
        self.size_slider.setToolTip("Thumbnail size")
        self.size_slider.valueChanged.connect(self._thumb_size_changed)
        bar.addWidget(self.search, 2)
        for combo in (self.filter_combo, self.folder_combo, self.sort_combo):
            bar.addWidget(combo, 1)
        # Stretch 0: the search and the combos grow to their full width first; only what is
        # left goes between them and the slider.
        bar.addStretch(0)
        # Small and large thumbnails on either side of the slider say what it does.
        for side in (12, 18):
            size_icon = QLabel()
            size_icon.setPixmap(icons.icon("sample").pixmap(QSize(side, side)))
            size_icon.setToolTip("Thumbnail size")
            bar.addWidget(size_icon)
            if side == 12:
                bar.addWidget(self.size_slider)
        layout.addLayout(bar)

        self.banner = Banner()
        layout.addWidget(self.banner)
        self.folder_note = FolderNote(self.refresh)
        layout.addWidget(self.folder_note)

        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "library", "Your decal library",
            "Open a folder of images to check them against Roblox's upload rules: size, "
            "format and file limits. Prepare upload-ready copies in one go; your originals are "
            "never changed. You can also drop folders or images on this window.",
            [Button("Open a folder…", self.choose_folder, "open-folder", primary=True),
             Button("Open the sample library", self.open_sample_library, "sample")])
        self.no_match = EmptyState("search", "No images match",
                                   "Nothing in the open folders matches this filter.",
                                   [Button("Show all images", self.reset_filters)])

        self.view = QListView()
        self.view.setObjectName("libraryGrid")
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(True)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(500)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSpacing(4)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.delegate = LibraryDelegate(self.view, thumb_size)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.proxy)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(self._open_external)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for act in (self.act_prepare, self.act_record, self.act_reveal):
            self.view.addAction(act)
        self._apply_grid_size()
        for widget in (self.empty, self.no_match, self.view):
            self.stack.addWidget(widget)
        layout.addWidget(self.stack, 1)

    def _apply_grid_size(self) -> None:
        self.view.setGridSize(self.delegate.cell_size(self.view.font()) + QSize(6, 6))

    def _update_view(self) -> None:
        if not self.model.rows:
            self.stack.setCurrentWidget(self.empty)
        elif self.proxy.rowCount() == 0:
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.view)
        has_rows = bool(self.model.rows)
        for widget in (self.search, self.filter_combo, self.folder_combo, self.sort_combo,
                       self.size_slider):
            widget.setEnabled(has_rows)
        self.act_close.setEnabled(bool(self.roots))
        self._update_actions()

    def display_path(self, path: str) -> str:
        """``path`` as the user knows it: from the open folder it is in (``out/wall.png``),
        escaped as on the command line (bytes that aren't UTF-8, control characters)."""
        for root in sorted(self.roots, key=len, reverse=True):
            if is_under(path, root):
                base = os.path.dirname(root.rstrip(os.sep)) or root
                return printable(os.path.relpath(path, base))
        return printable(path)

    def _update_folders(self) -> None:
        """The folder filter's items: every folder with images, and its counts."""
        folders = self.model.folders()
        if folders == self._folders:
            return
        self._folders = folders
        current = self.proxy.folder
        combo = self.folder_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All folders", None)
        for folder, count, copies in folders:
            name = self.display_path(folder) if folder else folder
            kind = ("prepared copies" if copies == count
                    else f"{count:,} image{'s' if count != 1 else ''}")
            # The item's data is the folder's place in the list, not the folder: a path
            # that isn't UTF-8 would not come back from Qt as it went in.
            combo.addItem(f"{name} ({kind})", combo.count() - 1)
            combo.setItemData(combo.count() - 1, printable(folder), Qt.ItemDataRole.ToolTipRole)
        paths = [folder for folder, _, _ in folders]
        index = (paths.index(current) + 1 if current in paths else -1) \
            if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        refit_combo(combo)
        combo.setVisible(len(folders) > 1)
        if current is not None and index < 0:
            self._filter_folder(0)  # that folder is gone: show them all again

    # --- Page hooks ---------------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        # The sample library is offered by the empty state and the File menu, not here:
        # once the user has folders of their own it is not what they come for.
        return [self.act_open, None, self.act_prepare, self.act_upload, self.act_record,
                self.act_reveal]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        return {
            "File": [self.act_open, self.act_open_files, self.act_sample, self.act_close],
            "Edit": [self.act_select_work],
            "Tools": [self.act_prepare, self.act_upload, self.act_record, self.act_reveal],
        }

    def details_widget(self) -> QWidget | None:
        return self.details

    def summary(self) -> str:
        total, scanned, needing = self.model.counts()
        if not total:
            return "No folder open"
        text = f"{total:,} image{'s' if total != 1 else ''} · {needing:,} need work"
        unread = self.folder_note.count
        if unread:
            text += f" · {unread:,} folder{'s' if unread != 1 else ''} not read"
        if scanned < total:
            text += f" · checking {scanned:,} of {total:,}"
        return text

    def focus_search(self) -> bool:
        return self.search.focus()

    def copy_selection(self) -> bool:
        """Ctrl+C: the asset IDs of catalogued images (``rbxassetid://N``), else file paths."""
        paths = self.selected_paths()
        if not paths:
            return False
        links = [self.model.link_for_path(p) for p in paths]
        plural = "s" if len(paths) > 1 else ""
        if all(links):
            QApplication.clipboard().setText("\n".join(link.content_id for link in links if link))
            self.message.emit(f"Copied {len(paths)} asset ID{plural}.", 3000)
        else:
            QApplication.clipboard().setText("\n".join(paths))
            self.message.emit(f"Copied {len(paths)} file path{plural} (not catalogued yet).",
                              3000)
        return True

    def activate(self, argument: object = None) -> None:
        # The catalogue may have changed from the command line.
        self.links.refresh()
        if self.model.rows:
            self.near_copies.refresh()

    def refresh(self) -> None:
        """F5: re-check every open folder (cached results are reused where files are unchanged)."""
        if self.roots:
            self._start_scan(list(self.roots))

    def open_paths(self, paths: list[str]) -> bool:
        chosen = [os.path.abspath(p) for p in paths if p]
        missing = [p for p in chosen if not os.path.exists(p)]
        usable = [p for p in chosen if os.path.exists(p)
                  and (os.path.isdir(p) or is_image_path(p))]
        ignored = [p for p in chosen if p not in usable and p not in missing]
        # One message for every path left out: a second would replace the first.
        said = ([f"Not found: {', '.join(map(printable, missing))}"] if missing else []) + (
            [f"Not an image or folder, ignored: {', '.join(map(printable, ignored))}"]
            if ignored else [])
        if said:
            self.message.emit(". ".join(said), 8000)
        # Once each, and not a file or folder inside another one given with it (a file and
        # its folder on one command line were listed twice, and counted as each other's copy).
        usable = list(dict.fromkeys(usable))
        usable = [p for p in usable if not any(q != p and is_under(p, q) for q in usable)]
        new = [p for p in usable if not any(is_under(p, r) for r in self.roots)]
        if not new:
            return bool(usable)
        # A new folder that contains open ones replaces them.
        self.roots = [r for r in self.roots if not any(is_under(r, n) for n in new)] + new
        self._remember_roots()
        self._start_scan(new)
        self._update_view()
        return True

    def save_state(self) -> None:
        settings = self.context.settings
        self._remember_roots()
        settings.set("library.thumb_size", self.size_slider.value())
        settings.set("library.sort", self.sort_combo.currentData())
        settings.set("library.filter", self.filter_combo.currentData())

    def shutdown(self) -> None:
        for worker in list(self._scans):
            worker.abort()
        self.preparer.shutdown()
        self.links.shutdown()
        self.copies.shutdown()
        self.near_copies.shutdown()

    # --- opening ----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        start = self.roots[-1] if self.roots else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of images", start)
        if folder:
            self.open_paths([folder])

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add images", str(Path.home()),
                                                image_file_filter())
        if files:
            self.open_paths(files)

    def open_sample_library(self) -> None:
        try:
            folder = sample_library()
        except UserError as exc:
            self.message.emit(exc.message, 10000)
            return
        self.open_paths([str(folder)])

    def close_all(self) -> None:
        for worker in list(self._scans):
            worker.abort()
        self._scans.clear()
        self.context.progress.finish()
        dirs = self.watcher.directories()
        if dirs:
            self.watcher.removePaths(dirs)
        self.roots = []
        self._remember_roots()
        self.folder_note.clear()
        self.model.clear()
        self.details.show_info(None)
        self._update_view()

    def _remember_roots(self) -> None:
        self.context.settings.set("library.folders", list(self.roots))

    # --- scanning ---------------------------------------------------------------------------
    def _start_scan(self, roots: list[str]) -> None:
        self.folder_note.scanning(roots)
        worker = GeneratorWorker(scan_job, roots, self.scanner, self.display_px(),
                                 pass_cancel=True)
        self._run_scan(worker)

    def _run_scan(self, worker: GeneratorWorker) -> None:
        worker.signals.yielded.connect(self._scan_progress)
        worker.signals.finished.connect(self._scan_finished)
        self._scans.add(worker)
        self.context.tasks.start(worker, on_error=self._scan_failed)
        self.context.progress.start("Checking images", self._scan_total - self._scan_done,
                                    self.cancel_scans)

    def cancel_scans(self) -> None:
        for worker in list(self._scans):
            worker.abort()
        self.message.emit("Stopped checking images; the grid shows what was checked so far.",
                          6000)

    def _scan_progress(self, event: tuple[str, object]) -> None:
        # scan_job yields ("found", [path, ...]), ("problems", [FolderProblem, ...]) and
        # ("scanned", [ScanRow, ...]).
        kind, payload = event
        if kind == "found":
            paths = cast("list[str]", payload)
            self._scan_total += len(paths)
            self.model.add_paths(paths)
            self._watch([os.path.dirname(p) for p in paths])
        elif kind == "problems":
            self.folder_note.add(cast("list[FolderProblem]", payload))
            self.summary_changed.emit(self.summary())
        elif kind == "scanned":
            rows = cast("list[ScanRow]", payload)
            self._scan_done += len(rows)
            self.model.update_items(rows)
            self._refresh_selected_details({info.path for info, _, _ in rows})
        self.context.progress.update(self._scan_done, self._scan_total)
        self._update_view()

    def _scan_finished(self) -> None:
        worker = self.sender()
        self._scans = {w for w in self._scans if w.signals is not worker}
        if not self._scans:
            self._scan_total = self._scan_done = 0
            self.context.progress.finish()
            self._watch(self.roots)
            self.summary_changed.emit(self.summary())
            self.links.refresh()
            self.copies.refresh()
            self.near_copies.refresh()

    def _scan_failed(self, exc: BaseException) -> None:
        self.problem.emit("Checking images", exc)

    def _watch(self, folders: list[str]) -> None:
        watched = set(self.watcher.directories())
        fresh = [f for f in dict.fromkeys(folders) if f and f not in watched and os.path.isdir(f)]
        room = WATCH_LIMIT - len(watched)
        if fresh and room > 0:
            self.watcher.addPaths(fresh[:room])

    def _directory_changed(self, folder: str) -> None:
        self._changed_dirs.add(folder)
        self._watch_timer.start()

    def _rescan_changed(self) -> None:
        folders = sorted(self._changed_dirs)
        self._changed_dirs.clear()
        for folder in folders:
            known = {}
            for row in self.model.rows:
                if is_under(row.path, folder):
                    info = row.info
                    known[row.path] = (info.bytes, info.mtime_ns) if info else (-1, -1)
            if not os.path.isdir(folder):
                self.model.remove_paths(list(known))
                self._update_view()
                continue
            self.context.tasks.run_task(changed_under, folder, known, self.cache,
                                        on_done=self._apply_folder_changes)

    def _apply_folder_changes(self, result: tuple[list[str], list[str]]) -> None:
        fresh, gone = result
        if gone:
            self.model.remove_paths(gone)
            self._refresh_selected_details(set(gone))
        if fresh:
            self._scan_total += len(fresh)
            self.model.add_paths(fresh)
            self._watch([os.path.dirname(p) for p in fresh])
            worker = GeneratorWorker(scan_paths, fresh, self.scanner, self.display_px(),
                                     pass_cancel=True)
            self._run_scan(worker)
        self._update_view()

    # --- thumbnails read back from the disk cache ----------------------------------------
    def _want_thumbnail(self, path: str) -> None:
        self._thumb_wanted.add(path)
        self._thumb_timer.start()

    def _load_wanted_thumbnails(self) -> None:
        wanted = []
        for path in self._thumb_wanted:
            row_no = self.model.row_for_path(path)
            info = self.model.rows[row_no].info if row_no is not None else None
            if info is not None:
                wanted.append((path, info.bytes, info.mtime_ns))
        self._thumb_wanted.clear()
        if wanted:
            self.context.tasks.run_task(load_thumbnails, self.cache, wanted, THUMB_SIZE,
                                        self.display_px(), on_done=self._thumbnails_loaded)

    def _thumbnails_loaded(self, loaded: list) -> None:
        for path, image in loaded:
            self.model.set_thumbnail(path, image)

    # --- filter, sort, size ---------------------------------------------------------------
    def _filter_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_view()

    def _filter_verdict(self, _: int) -> None:
        self.proxy.set_verdict_filter(self.filter_combo.currentData())
        self._update_view()

    def _filter_folder(self, _: int) -> None:
        place = self.folder_combo.currentData()
        self.proxy.set_folder(self._folders[place][0] if isinstance(place, int)
                              and place < len(self._folders) else None)
        self._update_view()

    def reset_filters(self) -> None:
        self.search.clear()
        self.filter_combo.setCurrentIndex(0)
        self.folder_combo.setCurrentIndex(0)

    def _sort(self, _: int) -> None:
        key = self.sort_combo.currentData()
        # Newest and biggest first is what people look for; names read A to Z.
        self.model.sort_by(key, descending=key != "name")

    def display_px(self) -> int:
        """The thumbnail size in device pixels (sharp on high-DPI screens)."""
        return min(THUMB_SIZE, round(self.size_slider.value() * self.devicePixelRatioF()))

    def _thumb_size_changed(self, value: int) -> None:
        if self.display_px() > self._cached_px:
            # Bigger cells: drop the small images so rows read sharper ones back.
            self.model.drop_thumbnails()
        self._cached_px = self.display_px()
        self.delegate.set_thumb_size(value)
        self._apply_grid_size()
        self.view.doItemsLayout()

    def _counts_changed(self) -> None:
        _, scanned, needing = self.model.counts()
        self.filter_combo.setItemText(1, f"Needs work ({needing:,})" if scanned
                                      else FILTERS["needs-work"][0])
        refit_combo(self.filter_combo)
        self._update_folders()
        self.summary_changed.emit(self.summary())

    # --- selection and details --------------------------------------------------------
    def selected_paths(self) -> list[str]:
        return [row.path for row in self._selected_rows()]

    def selected_infos(self) -> list[ImageInfo]:
        rows = self.view.selectionModel().selectedIndexes()
        return [i for i in (index.data(Role.INFO) for index in rows) if i is not None]

    def select_needing_work(self) -> None:
        self.filter_combo.setCurrentIndex(list(FILTERS).index("needs-work"))
        self.view.selectAll()

    def _selection_changed(self, *_: QItemSelection) -> None:
        rows = self._selected_rows()
        if len(rows) == 1:
            row = rows[0]
            index = self.model.index(self.model.row_for_path(row.path) or 0)
            relation, prepared = self._relation(row)
            self.details.show_info(row.info, index.data(Role.THUMBNAIL), row.catalog,
                                   relation, prepared)
            self.details.set_duplicates(row.near, row.catalogued_copies,
                                        row.catalog.entry_id if row.catalog else None)
        elif rows:
            self.details.show_selection(self._summary_of(rows))
        else:
            self.details.show_info(None)
        self._update_actions()
        self.details_changed.emit()

    def _selected_rows(self) -> list[LibraryRow]:
        indexes = sorted(self.view.selectionModel().selectedIndexes(), key=lambda i: i.row())
        return [row for i in indexes
                if (row := self.model.row_at(self.proxy.mapToSource(i))) is not None]

    def _summary_of(self, rows: list[LibraryRow]) -> Selection:
        verdicts: Counter[Verdict | None] = Counter(
            r.info.verdict if r.info else None for r in rows)
        return Selection(len(rows), dict(verdicts),
                         needs_work=sum(1 for r in rows if r.needs_work),
                         prepared=sum(1 for r in rows if r.prepared),
                         catalogued=sum(1 for r in rows if r.catalog is not None),
                         total_bytes=sum(r.info.bytes for r in rows if r.info))

    def _relation(self, row: LibraryRow) -> tuple[Fact | None, bool]:
        """The details' line about a row's prepared copy, or a copy's original."""
        if row.copy_of is not None:
            if row.source is not None:
                return Fact("Copy of", self.display_path(row.source), row.source), False
            name = row.copy_of.source_name or "an image"
            return Fact("Copy of", f"{name} (not open in the Library)"), False
        copy = self.model.best_copy(row.path)
        if copy is None or copy.info is None:
            return None, False
        info = copy.info
        more = len(row.copies) - 1
        # Beside the original (an output folder inside its folder): named from there.
        place = (os.path.relpath(copy.path, row.folder) if is_under(copy.path, row.folder)
                 else self.display_path(copy.path))
        text = f"{place}, {info.width} × {info.height}"
        if more:
            text += f" (and {more} more)"
        return Fact("Prepared copy", text, copy.path), row.prepared

    def _update_actions(self) -> None:
        """Enable the page's actions (the toolbar's, the menus' and the details' buttons are
        the same actions) for the selection, with one rule for each."""
        rows = self._selected_rows()
        infos = [r.info for r in rows if r.info is not None]
        readable = [i for i in infos if i.verdict is not Verdict.CORRUPT]
        one = rows[0] if len(rows) == 1 else None
        self.act_reveal.setEnabled(bool(rows))
        self.act_record.setEnabled(one is not None and len(readable) == 1)
        self.act_upload.setEnabled(bool(readable))
        linked = one is not None and one.catalog is not None
        # Showing an entry only reads; recording one needs a catalogue that can be written.
        read_only = self.context.catalog.read_only
        if read_only and not linked:
            self.act_record.setEnabled(False)
        self.act_record.setToolTip(
            f"The catalogue can only be read ({read_only}): nothing can be recorded."
            if read_only and not linked else RECORD_TIP)
        self.act_record.setText(SHOW_ENTRY_TEXT if linked else RECORD_TEXT)
        # Uploads need it too: the queue lives in the catalogue.
        self.act_upload.setEnabled(bool(readable) and not read_only)
        self.act_upload.setToolTip(read_only_refusal(read_only) if read_only else UPLOAD_TIP)
        # With nothing selected, Prepare takes every image that needs work.
        self.act_prepare.setEnabled(bool(readable) if rows else bool(self.model.rows))

    def _read_only_changed(self, reason: str) -> None:
        self.details.set_read_only(bool(reason))
        self._update_actions()
        if not reason:
            self.links.refresh()  # tagged copies held back meanwhile are offered now

    def _copies_updated(self) -> None:
        self._selection_changed()
        self.view.viewport().update()

    def _refresh_selected_details(self, paths: set[str]) -> None:
        shown = self.details.info.path if self.details.info else None
        if shown and shown in paths:
            self._selection_changed()

    def _open_external(self, index: QModelIndex) -> None:
        row = self.model.row_at(self.proxy.mapToSource(index))
        path = row.path if row is not None else ""
        if path:
            self._say(desktop.open_local(path, "image"))

    def _say(self, problem: str) -> None:
        if problem:
            self.message.emit(problem, 10000)

    # --- prepare and record -------------------------------------------------------------------
    def prepare_targets(self) -> list[ImageInfo]:
        """The selection, or every image that needs work (prepared ones don't); files that
        can't be read are left out."""
        return [i for i in self._prepare_candidates() if i.verdict is not Verdict.CORRUPT]

    def _prepare_candidates(self) -> list[ImageInfo]:
        chosen = self.selected_infos()
        if chosen:
            return chosen
        return [r.info for r in self.model.rows if r.info is not None and r.needs_work]

    def prepare_selection(self) -> None:
        candidates = self._prepare_candidates()
        targets = [i for i in candidates if i.verdict is not Verdict.CORRUPT]
        prepared = {r.path for r in self.model.rows if r.prepared}
        self.preparer.ask(targets, selected=bool(self.selected_infos()),
                          unreadable=len(candidates) - len(targets),
                          prepared=sum(1 for i in targets if i.path in prepared))

    def _prepared(self, folder: str) -> None:
        """Copies were written (or found up to date): show their folder in the Library; they
        are linked to their originals once it is scanned."""
        self.open_paths([folder])
        self.copies.refresh()  # a folder already open may have copies written over

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
        else:
            # The Catalogue page opens its form here; the badge follows when it is saved.
            self.send.emit("catalog", RecordFile(info.path, info.sha256, info.width,
                                                 info.height))

    def upload_selection(self) -> None:
        """Hand the selected images that can be read to the Uploads page's dialog."""
        paths = [i.path for i in self.selected_infos() if i.verdict is not Verdict.CORRUPT]
        if not paths:
            self.message.emit("Select the images to upload first.", 4000)
            return
        if self.context.catalog.read_only:  # reached by its shortcut while it is off
            self.message.emit(read_only_refusal(self.context.catalog.read_only), 8000)
            return
        self.send.emit("uploads", UploadFiles(tuple(paths)))

    def reveal_selection(self) -> None:
        paths = self.selected_paths()
        if not paths:
            self.message.emit("Select an image first.", 3000)
            return
        self._say(desktop.open_local(os.path.dirname(paths[0])))
