"""The Library page: folders of decal images as a thumbnail grid with Roblox's verdicts."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import cast

from PySide6.QtCore import QFileSystemWatcher, QItemSelection, QModelIndex, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
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
from robloxassets.core.images.scan import Scanner
from robloxassets.core.images.thumbnails import THUMB_SIZE
from robloxassets.gui import icons
from robloxassets.gui.actions import make_action
from robloxassets.gui.library.delegate import LibraryDelegate
from robloxassets.gui.library.details import LibraryDetails
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
    Role,
)
from robloxassets.gui.library.prepare import Preparer
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.requests import RecordFile
from robloxassets.gui.tasks import GeneratorWorker
from robloxassets.gui.widgets import (
    Banner,
    Button,
    EmptyState,
    SearchBox,
    image_file_filter,
)

log = logging.getLogger(__name__)

WATCH_LIMIT = 4000  # folders; inotify watches are a per-user budget shared with other apps
SORTS = (("name", "Name"), ("size", "File size"), ("date", "Date modified"))
PRUNE_DELAY_MS = 10_000  # the scan cache's once-a-session clean-up waits for start-up to settle


def is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


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
        self.details = LibraryDetails(context.tasks)
        self.details.max_side = settings.get("library.max_side")
        self.details.prepare_requested.connect(self.prepare_selection)
        self.details.record_requested.connect(self.record_selection)
        self.details.reveal_requested.connect(self.reveal_selection)
        self.links = CatalogLinker(context, self.model, self.cache, self.details, self.banner,
                                   self)
        self.preparer = Preparer(context, self.model, self.banner, self)
        for helper in (self.links, self.preparer):
            helper.message.connect(self.message)
            helper.problem.connect(self.problem)
        self.preparer.written.connect(lambda folder: self.open_paths([folder]))

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
        self.act_record = make_action(self, "&Record asset ID…", self.record_selection,
                                      shortcut="Ctrl+R", icon="catalog",
                                      tip="Record the asset ID of the selected image in the "
                                      "catalogue, or show its entry (Ctrl+R)")
        self.act_select_work = make_action(self, "Select images that need &work",
                                           self.select_needing_work, shortcut="Ctrl+Shift+A")
        # Nothing is selected yet.
        self.act_reveal.setEnabled(False)
        self.act_record.setEnabled(False)

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
        self.sort_combo = QComboBox()
        for key, label in SORTS:
            self.sort_combo.addItem(f"Sort by {label.lower()}", key)
        self.sort_combo.currentIndexChanged.connect(self._sort)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(64, 256)
        self.size_slider.setSingleStep(16)
        self.size_slider.setPageStep(32)
        self.size_slider.setValue(thumb_size)
        self.size_slider.setFixedWidth(120)
        self.size_slider.setToolTip("Thumbnail size")
        self.size_slider.valueChanged.connect(self._thumb_size_changed)
        bar.addWidget(self.search)
        bar.addWidget(self.filter_combo)
        bar.addWidget(self.sort_combo)
        bar.addStretch(1)
        self.folders_label = QLabel()
        bar.addWidget(self.folders_label)
        size_icon = QLabel()
        size_icon.setPixmap(icons.icon("sample").pixmap(QSize(16, 16)))
        bar.addWidget(size_icon)
        bar.addWidget(self.size_slider)
        layout.addLayout(bar)

        self.banner = Banner()
        layout.addWidget(self.banner)

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
        for widget in (self.search, self.filter_combo, self.sort_combo, self.size_slider):
            widget.setEnabled(has_rows)
        self.act_prepare.setEnabled(has_rows)
        self.act_close.setEnabled(bool(self.roots))
        self._update_folders_label()

    def _update_folders_label(self) -> None:
        if not self.roots:
            self.folders_label.clear()
            return
        names = [Path(r).name or r for r in self.roots]
        text = names[0] if len(names) == 1 else f"{len(names)} folders"
        self.folders_label.setText(text)
        self.folders_label.setToolTip("\n".join(self.roots))

    # --- Page hooks ---------------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        return [self.act_open, self.act_sample, None, self.act_prepare, self.act_record,
                self.act_reveal]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        return {
            "File": [self.act_open, self.act_open_files, self.act_sample, self.act_close],
            "Edit": [self.act_select_work],
            "Tools": [self.act_prepare, self.act_record, self.act_reveal],
        }

    def details_widget(self) -> QWidget | None:
        return self.details

    def summary(self) -> str:
        total, scanned, needing = self.model.counts()
        if not total:
            return "No folder open"
        text = f"{total:,} image{'s' if total != 1 else ''} · {needing:,} need work"
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

    def refresh(self) -> None:
        """F5: re-check every open folder (cached results are reused where files are unchanged)."""
        if self.roots:
            self._start_scan(list(self.roots))

    def open_paths(self, paths: list[str]) -> bool:
        chosen = [os.path.abspath(p) for p in paths if p]
        missing = [p for p in chosen if not os.path.exists(p)]
        usable = [p for p in chosen if os.path.exists(p)
                  and (os.path.isdir(p) or is_image_path(p))]
        if missing:
            self.message.emit(f"Not found: {', '.join(missing)}", 8000)
        ignored = [p for p in chosen if p not in usable and p not in missing]
        if ignored:
            self.message.emit(f"Not an image or folder, ignored: {', '.join(ignored)}", 8000)
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
        self.model.clear()
        self.details.show_info(None)
        self._update_view()

    def _remember_roots(self) -> None:
        self.context.settings.set("library.folders", list(self.roots))

    # --- scanning ---------------------------------------------------------------------------
    def _start_scan(self, roots: list[str]) -> None:
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
        # scan_job yields ("found", [path, ...]) and ("scanned", [ScanRow, ...]).
        kind, payload = event
        if kind == "found":
            paths = cast("list[str]", payload)
            self._scan_total += len(paths)
            self.model.add_paths(paths)
            self._watch([os.path.dirname(p) for p in paths])
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

    def reset_filters(self) -> None:
        self.search.clear()
        self.filter_combo.setCurrentIndex(0)

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
        self.summary_changed.emit(self.summary())

    # --- selection and details --------------------------------------------------------
    def selected_paths(self) -> list[str]:
        rows = self.view.selectionModel().selectedIndexes()
        return [index.data(Role.PATH) for index in sorted(rows, key=lambda i: i.row())]

    def selected_infos(self) -> list[ImageInfo]:
        rows = self.view.selectionModel().selectedIndexes()
        return [i for i in (index.data(Role.INFO) for index in rows) if i is not None]

    def select_needing_work(self) -> None:
        self.filter_combo.setCurrentIndex(list(FILTERS).index("needs-work"))
        self.view.selectAll()

    def _selection_changed(self, *_: QItemSelection) -> None:
        indexes = self.view.selectionModel().selectedIndexes()
        self.act_reveal.setEnabled(bool(indexes))
        self.act_record.setEnabled(len(indexes) == 1)
        if len(indexes) == 1:
            index = indexes[0]
            self.details.show_info(index.data(Role.INFO), index.data(Role.THUMBNAIL),
                                   index.data(Role.CATALOG))
        elif indexes:
            self.details.show_selection_count(len(indexes))
        else:
            self.details.show_info(None)
        self.details_changed.emit()

    def _refresh_selected_details(self, paths: set[str]) -> None:
        shown = self.details.info.path if self.details.info else None
        if shown and shown in paths:
            self._selection_changed()

    def _open_external(self, index: QModelIndex) -> None:
        path = index.data(Role.PATH)
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    # --- prepare and record -------------------------------------------------------------------
    def prepare_targets(self) -> list[ImageInfo]:
        """The selection, or every image that needs work; unreadable files are left out."""
        chosen = self.selected_infos()
        if not chosen:
            chosen = [i for i in self.model.infos() if i.verdict.needs_work]
        return [i for i in chosen if i.verdict is not Verdict.CORRUPT]

    def prepare_selection(self) -> None:
        self.preparer.ask(self.prepare_targets())

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

    def reveal_selection(self) -> None:
        paths = self.selected_paths()
        if not paths:
            self.message.emit("Select an image first.", 3000)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(paths[0])))
