"""The Uploads page: every upload to Roblox, like a download manager's list.

Each row shows the image, its name, its state (with a bar while it is on its way), its asset
ID and how long it has been in review, with one obvious action (retry, rename, decide,
cancel, copy ID). A header line sums the queue up; the status bar shows the run's overall
progress with a Cancel that stops sending. Moderation is refreshed at start, every few
minutes while anything is in review, and on F5; approvals and rejections arrive as a tray
message.

The queue is core's (``core.upload``): the runner works on a thread of its own
(``UploadService``), rows arrive as its events, and every read or change of the queue goes
through ``CatalogAccess``, so no SQLite call runs on the UI thread.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.apikey import ApiKeyError
from robloxassets.core.cloud.assets import AssetType
from robloxassets.core.cloud.errors import CloudError, Kind
from robloxassets.core.errors import UserError
from robloxassets.core.images.rules import is_image_path
from robloxassets.core.upload import moderation
from robloxassets.core.upload.lock import QueueBusy
from robloxassets.core.upload.model import State, UploadItem, UploadOptions
from robloxassets.core.upload.moderation import ModerationResult
from robloxassets.core.upload.queue import AddResult, UploadQueue, expand, read_only_refusal
from robloxassets.core.upload.runner import Event, EventKind
from robloxassets.core.upload.store import UploadStore
from robloxassets.gui import desktop
from robloxassets.gui.actions import make_action
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.requests import RecordFile, UploadFiles
from robloxassets.gui.style import WARNING_COLOR
from robloxassets.gui.uploads.delegate import UploadsDelegate
from robloxassets.gui.uploads.details import UploadDetails
from robloxassets.gui.uploads.dialog import UploadDialog
from robloxassets.gui.uploads.key_dialog import KeyDialog
from robloxassets.gui.uploads.model import (
    FILTERS,
    ITEM_ROLE,
    Column,
    UploadsFilter,
    UploadsModel,
    primary_action,
)
from robloxassets.gui.uploads.notify import Notifier
from robloxassets.gui.uploads.service import UploadService
from robloxassets.gui.uploads.settings_form import UploadSettingsDialog
from robloxassets.gui.widgets import (
    Banner,
    Button,
    EmptyState,
    SearchBox,
    elastic_combo,
    image_file_filter,
)

log = logging.getLogger(__name__)

#: The "in review" column counts minutes: redraw it this often.
TICK_MS = 30_000
#: The header, progress and details follow the rows at most this often during a batch.
UI_REFRESH_MS = 150
#: While another window or command sends the queue, its rows are read again this often,
#: and this window tries to take the queue over this often (in case that one stopped).
BUSY_POLL_MS = 2000
BUSY_RETRY_S = 10.0
UPLOAD_TIP = "Choose images to upload to Roblox (Ctrl+U)"
#: What the banner adds to the refusal while the catalogue can only be read.
READ_ONLY_OFF = ("Uploading, retrying and cancelling are turned off; the list, copying IDs "
                 "and showing files still work.")
NO_KEY_WAITING = ("{count} upload(s) wait for an Open Cloud key: save one with Tools > Open "
                  "Cloud key…, and they are sent.")


@dataclass(frozen=True)
class QueueState:
    """What one read of the queue says (read on the reader thread)."""

    items: list[UploadItem]
    pending: int
    in_review: int


def read_queue(catalog: Catalog) -> QueueState:
    store = UploadStore(catalog)
    return QueueState(store.items(), store.pending(), len(moderation.in_review(catalog)))


def summary_line(counts: dict[State, int], short: bool = False) -> str:
    """The header line: "12 uploading · 3 in review · 1 needs a decision" (``short``: the
    status bar's, without the finished ones)."""
    going = counts[State.QUEUED] + counts[State.PREPARING] + counts[State.SENDING]
    parts = []
    if going:
        parts.append(f"{going:,} uploading")
    if counts[State.IN_REVIEW]:
        parts.append(f"{counts[State.IN_REVIEW]:,} in review")
    if counts[State.NEEDS_DECISION]:
        parts.append(f"{counts[State.NEEDS_DECISION]:,} need"
                     f"{'s' if counts[State.NEEDS_DECISION] == 1 else ''} a decision")
    if counts[State.FAILED]:
        parts.append(f"{counts[State.FAILED]:,} failed")
    if short:
        return " · ".join(parts) if parts else "No uploads waiting"
    if counts[State.APPROVED]:
        parts.append(f"{counts[State.APPROVED]:,} approved")
    if counts[State.REJECTED]:
        parts.append(f"{counts[State.REJECTED]:,} rejected")
    return " · ".join(parts) if parts else "No uploads"


class UploadsPage(Page):
    """The list, its actions and the ``service`` that runs the queue.

    Tests and benchmarks aim ``service.client_factory`` at the fake Roblox.
    """

    page_id = "uploads"
    title = "Uploads"
    icon_name = "upload"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAcceptDrops(True)
        self.queue = UploadQueue()
        self.service = UploadService(context.tasks, context.catalog, self)
        self.service.runner_events.connect(self._on_events)
        self.service.running_changed.connect(self._running_changed)
        self.service.run_failed.connect(self._run_failed)
        self.service.moderation_done.connect(self._moderation_done)
        self.service.moderation_failed.connect(self._moderation_failed)
        self.notifier = Notifier(self)
        self.thumbnails = ThumbnailLoader(context.tasks, side=40, capacity=400, parent=self)
        self.previews = ThumbnailLoader(context.tasks, side=220, capacity=16, in_flight=2,
                                        parent=self)
        self.model = UploadsModel(self.thumbnails, self)
        self.proxy = UploadsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.loaded = False
        self.dialog: UploadDialog | None = None
        self.key_dialog: KeyDialog | None = None
        self.question: QMessageBox | None = None
        self.rename_box: QInputDialog | None = None
        self.last_batch = ""
        self._owns_progress = False
        self._notice_shown = False
        self._in_review = 0
        self._pending = 0
        self._build_actions()
        self._build_ui()
        self.details = UploadDetails(self.previews, [
            self.act_retry, self.act_decide, self.act_rename, self.act_cancel, self.act_copy,
            self.act_catalog, self.act_show])

        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.model.tick)
        self._tick.start()
        self.moderation_timer = QTimer(self)
        self.moderation_timer.setInterval(int(moderation.REFRESH_INTERVAL * 1000))
        self.moderation_timer.timeout.connect(lambda: self.refresh_moderation(auto=True))
        self._progress: tuple[int, int] | None = None
        self._ui_timer = QTimer(self, singleShot=True, interval=UI_REFRESH_MS)
        self._ui_timer.timeout.connect(self._refresh_ui)
        self.busy_retry = BUSY_RETRY_S
        self._busy_since = 0.0
        self._busy_poll = QTimer(self)
        self._busy_poll.setInterval(BUSY_POLL_MS)
        self._busy_poll.timeout.connect(self.reload)
        self._read_only_shown = False
        context.catalog.read_only_changed.connect(self._read_only_changed)
        self.reload(start=True)

    # --- building -----------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_upload = make_action(self, "&Upload files…", self.choose_files, icon="upload",
                                      shortcut="Ctrl+U", tip=UPLOAD_TIP)
        self.act_send = make_action(self, "&Send queue", self.start, icon="upload",
                                    tip="Send what is queued (it also starts by itself)")
        self.act_stop = make_action(self, "S&top sending", self.stop, icon="delete",
                                    tip="Send nothing more for now; what is on its way "
                                    "finishes and is recorded")
        self.act_moderation = make_action(self, "Refresh &moderation", self.refresh_moderation,
                                          icon="refresh",
                                          tip="Ask Roblox about every upload in review (F5)")
        self.act_retry = make_action(self, "&Retry", self.retry_selected, icon="refresh",
                                     tip="Send the selected failed uploads again")
        self.act_rename = make_action(self, "Re&name and retry…", self.rename_selected,
                                      icon="edit", tip="Give the upload another name (its "
                                      "name or description was moderated) and send it again")
        self.act_decide = make_action(self, "&Decide…", self.decide_selected, icon="status",
                                      tip="It may have been uploaded: say whether to send it "
                                      "again")
        self.act_cancel = make_action(self, "&Cancel upload", self.cancel_selected,
                                      icon="delete", tip="Remove the selected uploads that "
                                      "were not sent")
        self.act_copy = make_action(self, "Copy &ID", self.copy_selection, icon="copy",
                                    tip="Copy rbxassetid://ID of the selection (Ctrl+C)")
        self.act_catalog = make_action(self, "Open in &Catalogue", self.open_in_catalog,
                                       icon="catalog", tip="Show the upload's entry in the "
                                       "Catalogue")
        self.act_show = make_action(self, "Show &file", self.show_file, icon="folder",
                                    tip="Show the uploaded file in the file manager")
        self.act_clear = make_action(self, "C&lear finished", self.clear_finished,
                                     tip="Remove approved and rejected uploads from this "
                                     "list (the Catalogue keeps them)")
        # Shown in the Tools menu on every page.
        self.act_key = make_action(self, "Open Cloud &key…", self.open_key_dialog,
                                   tip="Save the Open Cloud API key used for uploads")
        self.act_settings = make_action(self, "Upload &settings…", self.open_settings,
                                        tip="Creator, asset type, privacy and largest side "
                                        "of uploads")
        self._actions_for: dict[str, Callable[[], object]] = {
            "retry": self.retry_selected, "rename": self.rename_selected,
            "decide": self.decide_selected, "cancel": self.cancel_selected,
            "copy": self.copy_selection, "catalog": self.open_in_catalog}

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        self.header = QLabel("Reading the upload queue…")
        self.header.setObjectName("uploadsHeader")
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        self.header.setFont(font)
        # Wrapped, so a long summary never sets the window's minimum width (800 px beside
        # Studio).
        self.header.setWordWrap(True)
        self.batch_label = QLabel()
        self.batch_label.setObjectName("uploadsBatch")
        self.batch_label.setWordWrap(True)
        self.batch_label.hide()
        self.banner = Banner()
        self.table = QTableView()
        self.table.setObjectName("uploadsTable")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(UploadsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setIconSize(QSize(40, 40))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(46)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(self._double_clicked)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        widths = {Column.THUMB: 52, Column.STATE: metrics.horizontalAdvance("Needs a decision")
                  + 36, Column.ASSET_ID: metrics.horizontalAdvance("00000000000") + 16,
                  Column.REVIEW: metrics.horizontalAdvance("In review") + 20,
                  Column.ACTION: metrics.horizontalAdvance("Rename…") + 40}
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty = EmptyState(
            "upload", "Nothing uploaded yet",
            "Select images in the Library and choose Upload…, or drop image files here. Each "
            "one is checked and converted before it is sent; its asset ID lands in the "
            "Catalogue, and moderation is followed until it is approved.",
            [Button("Upload files…", self.choose_files, "upload", primary=True),
             Button("Open Cloud key…", self.open_key_dialog)])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.search = SearchBox("Search uploads by name", "uploadsSearch")
        self.search.textChanged.connect(self._filter_changed)
        self.state_filter = QComboBox()
        self.state_filter.setToolTip("Show uploads in these states")
        for key, (label, _states) in FILTERS.items():
            self.state_filter.addItem(label, key)
        elastic_combo(self.state_filter, 12)
        self.state_filter.currentIndexChanged.connect(self._filter_changed)
        bar = QHBoxLayout()
        bar.addWidget(self.header, 1)
        bar.addWidget(self.search)
        bar.addWidget(self.state_filter)
        layout.addLayout(bar)
        layout.addWidget(self.batch_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)

    # --- page hooks ---------------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        return [self.act_upload, self.act_moderation, None, self.act_retry, self.act_decide,
                self.act_cancel, self.act_copy, self.act_catalog]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        return {
            "File": [self.act_upload, None],
            "Edit": [self.act_retry, self.act_rename, self.act_decide, self.act_cancel,
                     self.act_clear],
            "Tools": [self.act_send, self.act_stop, self.act_moderation, None,
                      self.act_catalog, self.act_show],
        }

    def window_actions(self) -> dict[str, list[QAction | None]]:
        return {"Tools": [self.act_key, self.act_settings]}

    def details_widget(self) -> QWidget:
        return self.details

    def summary(self) -> str:
        return summary_line(self.model.counts(), short=True) if self.loaded else ""

    def receive(self, request: object) -> bool:
        if isinstance(request, UploadFiles):
            self.navigate.emit(self.page_id, None)
            self.ask_upload(list(request.paths))
            return True
        return False

    def focus_search(self) -> bool:
        return self.search.focus()

    def _filter_changed(self, *_args: object) -> None:
        self.proxy.set_filter(self.search.text(), FILTERS[self.state_filter.currentData()][1])

    def copy_selection(self) -> bool:
        items = [i for i in self.selected_items() if i.asset_id is not None]
        if not items:
            return False
        links = [f"rbxassetid://{i.script_id or i.asset_id}" for i in items]
        QApplication.clipboard().setText("\n".join(links))
        if len(items) == 1:
            item = items[0]
            note = (" (a decal ID: its image ID is not known yet)"
                    if item.asset_type is AssetType.DECAL and item.script_id is None else "")
            self.message.emit(f"Copied {links[0]}{note}.", 4000)
        else:
            self.message.emit(f"Copied {len(items):,} asset IDs.", 4000)
        return True

    def delete_selection(self) -> bool:
        if not any(primary_action(i) == "cancel" or i.state.waiting_for_user
                   for i in self.selected_items()):
            return False
        self.cancel_selected()
        return True

    def refresh(self) -> None:
        """F5: read the queue again and ask Roblox about moderation."""
        self.reload()
        self.refresh_moderation()

    def open_paths(self, paths: list[str]) -> bool:
        """Files dropped on the page (or the window while it is shown): upload them."""
        if not paths:
            return False
        self.ask_upload(paths)
        return True

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        local = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if local and self.open_paths(local):
            event.acceptProposedAction()

    def shutdown(self) -> None:
        self._tick.stop()
        self.moderation_timer.stop()
        self._busy_poll.stop()
        self.service.shutdown()
        self.notifier.close()
        self._release_progress()

    # --- reading the queue --------------------------------------------------------------------
    def reload(self, start: bool = False, then: Callable[[], None] | None = None) -> None:
        """Read the queue's rows (reader thread); ``start``: the page's first read, which
        resumes an unfinished queue and checks moderation; ``then`` runs after."""
        self.context.catalog.read(read_queue, on_done=lambda state: self._read(state, start,
                                                                               then),
                                  on_error=self._read_failed)

    def _read(self, state: QueueState, start: bool,
              then: Callable[[], None] | None = None) -> None:
        self.loaded = True
        selected = [i.id for i in self.selected_items()]
        self.model.set_items(state.items)
        self._pending = state.pending
        self._in_review = state.in_review
        self._select(selected)
        self._after_change()
        if not state.pending and not self.service.running:
            self._busy_poll.stop()
        elif (self._busy_poll.isActive() and not self.service.running
              and time.monotonic() - self._busy_since >= self.busy_retry):
            self.start()  # the other sender may have stopped with work left
        if start:
            if state.pending:
                self.start()
            if state.in_review:
                self.refresh_moderation(auto=True)
        if then is not None:
            then()

    def _read_failed(self, exc: BaseException) -> None:
        self.header.setText("The upload queue can't be read")
        self.problem.emit("Reading the upload queue", exc)

    def _after_change(self) -> None:
        counts = self.model.counts()
        line = summary_line(counts)
        if self.header.text() != line:
            self.header.setText(line)
            self.summary_changed.emit(self.summary())
        self.stack.setCurrentWidget(self.table if self.model.items else self.empty)
        in_review = max(self._in_review, counts[State.IN_REVIEW])
        if in_review and not self.moderation_timer.isActive():
            self.moderation_timer.start()
        elif not in_review:
            self.moderation_timer.stop()
        self._update_actions()

    # --- adding -------------------------------------------------------------------------------
    def refuse_read_only(self) -> bool:
        """True (and a status message) while the catalogue can only be read: uploading
        reached by a drop, a shortcut or another page while its buttons are off."""
        reason = self.context.catalog.read_only
        if not reason:
            return False
        self.message.emit(read_only_refusal(reason), 8000)
        return True

    def _read_only_changed(self, reason: str) -> None:
        """The banner says why nothing can be uploaded and offers to check again; the
        actions that change the queue follow."""
        if reason:
            self.banner.show_message(f"{read_only_refusal(reason)} {READ_ONLY_OFF}",
                                     [("Check again", self.check_writable)],
                                     accent=WARNING_COLOR)
            self._read_only_shown = True
            self._notice_shown = False
        elif self._read_only_shown:
            self._read_only_shown = False
            self.banner.dismiss()
            self.message.emit("The catalogue can be changed again: uploads are back on.", 5000)
            if self._pending:
                self.start()
        self._update_actions()

    def check_writable(self) -> None:
        """The banner's "Check again": open the file anew (the read-only state follows)."""
        self.context.catalog.reset()
        self.reload()

    def choose_files(self) -> None:
        if self.refuse_read_only():
            return
        files, _ = QFileDialog.getOpenFileNames(self, "Upload images to Roblox", "",
                                                image_file_filter(all_files=True))
        if files:
            self.ask_upload(files)

    def ask_upload(self, paths: list[str]) -> None:
        """Open the Upload dialog for ``paths`` (folders: the images inside, found in the
        background)."""
        if self.refuse_read_only():
            return
        self.context.tasks.run_task(lambda: [p for p in expand(paths) if is_image_path(p)],
                                    on_done=self._show_dialog,
                                    on_error=lambda exc: self.problem.emit("Reading the files",
                                                                           exc))

    def _show_dialog(self, files: list[str]) -> None:
        if not files:
            self.message.emit("No image files there to upload (PNG, JPEG, BMP, TGA, ...).",
                              6000)
            return
        if self.dialog is not None:
            self.dialog.close()
        dialog = UploadDialog(files, self.context.settings, self.context.tasks, self,
                              open_catalog=self.context.catalog.open_catalog)
        dialog.accepted.connect(lambda: self._dialog_accepted(dialog))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: UploadDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _dialog_accepted(self, dialog: UploadDialog) -> None:
        refused = dialog.refused()
        if refused:
            name = os.path.basename(refused[0].path)
            self.message.emit(f"{len(refused):,} file(s) left out; {name}: {refused[0].text}",
                              10000)
        self.add(dialog.chosen_paths(), dialog.options(), dialog.names())

    def add(self, paths: list[str], options: UploadOptions,
            names: dict[str, str] | None = None, force: bool = False) -> None:
        """Queue files (writer thread) and send them; content already catalogued is asked
        about first."""
        if self.refuse_read_only():
            return
        chosen = dict(names or {})

        def job(catalog: Catalog) -> AddResult:
            return self.queue.add(paths, options, force=force, catalog=catalog, names=chosen)

        self.context.catalog.write(job, on_done=lambda result: self._added(result, options,
                                                                           chosen),
                                   on_error=lambda exc: self.problem.emit("Queueing uploads",
                                                                          exc))

    def _added(self, result: AddResult, options: UploadOptions, names: dict[str, str]) -> None:
        self.model.update_many(result.items)
        self._pending += len(result.added)
        self._after_change()
        if result.items:
            self.start()
        catalogued = [s for s in result.skipped if s.entry is not None]
        others = [s for s in result.skipped if s.entry is None]
        if others:
            self.banner.show_message(" ".join(s.reason for s in others[:3])
                                     + (f" (and {len(others) - 3} more)" if len(others) > 3
                                        else ""))
            self._notice_shown = False
        if catalogued:
            self._ask_catalogued(catalogued, options, names)

    def _ask_catalogued(self, skipped: list[Any], options: UploadOptions,
                        names: dict[str, str]) -> None:
        """Content already in the catalogue: upload it again only if the user says so."""
        box = QMessageBox(QMessageBox.Icon.Question, "Already catalogued",
                          (skipped[0].reason if len(skipped) == 1 else
                           f"{len(skipped):,} of these images are already in the catalogue "
                           f"(for example: {skipped[0].reason})")
                          + " Upload again anyway? That makes a new asset with a new ID.",
                          parent=self)
        again = box.addButton("Upload again", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
        paths = [s.path for s in skipped]
        box.buttonClicked.connect(
            lambda button: self.add(paths, options, names, force=True)
            if button is again else None)
        box.finished.connect(lambda _r: setattr(self, "question", None))
        self.question = box
        box.open()

    # --- running ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.context.catalog.read_only:
            return  # the queue can't be written: the banner says so
        self.service.start()

    def stop(self) -> None:
        self.service.stop()
        self.message.emit("Stopping: uploads on their way finish and are recorded; the rest "
                          "stay queued.", 6000)

    def _running_changed(self, running: bool) -> None:
        if running:
            # A run that finds the queue busy elsewhere starts following it again.
            self._busy_poll.stop()
            self._progress = None
            if not self.context.progress.active:
                self.context.progress.start("Uploading", 0, self.stop)
                self._owns_progress = True
        else:
            self._ui_timer.stop()
            self._release_progress()
            self.reload(then=self._batch_finished)
        self._update_actions()

    def _release_progress(self) -> None:
        if self._owns_progress:
            self._owns_progress = False
            self.context.progress.finish()

    def _on_events(self, events: list[Event]) -> None:
        """The runner's news: rows change at once (a repaint of theirs); the header, the
        status bar's progress and the details follow at most ``UI_REFRESH_MS`` apart, so a
        fast batch never keeps the window busy."""
        items = [e.item for e in events if e.kind is EventKind.ITEM and e.item is not None]
        if items:
            self.model.update_many(items)
            counted = [e for e in events if e.kind is EventKind.ITEM]
            self._progress = (counted[-1].done, counted[-1].total)
            if self._notice_shown and any(i.state.accepted for i in items):
                self.banner.dismiss()
                self._notice_shown = False
            if not self._ui_timer.isActive():
                self._ui_timer.start()
        for event in events:
            if event.kind is EventKind.NOTICE:
                # Rate limits, Roblox unavailable, offline: said as core says it, while it
                # lasts.
                self.banner.show_message(event.message)
                self._notice_shown = True
            elif event.kind is EventKind.STOPPED:
                self._show_stop(event.message)

    def _refresh_ui(self) -> None:
        if self._owns_progress and self._progress is not None:
            self.context.progress.update(*self._progress)
        shown = self.details.item
        if shown is not None:
            fresh = self.model.get(shown.id)
            if fresh is not None and fresh != shown:
                self.details.show_item(fresh)
        self._after_change()

    def _show_stop(self, text: str) -> None:
        actions: list[tuple[str, Callable[[], object]]] = [("Open Cloud key…",
                                                            self.open_key_dialog)]
        self.banner.show_message(text, actions)
        self._notice_shown = False
        self.message.emit(text, 12000)

    def _batch_finished(self) -> None:
        """A short summary of the run that just ended, left above the list."""
        report = self.service.last_report
        if report is None or not report.touched:
            return
        counts: dict[State, int] = dict.fromkeys(State, 0)
        for item_id in report.touched:
            item = self.model.get(item_id)
            if item is not None:
                counts[item.state] += 1
        parts = [f"{n:,} {state.label.lower()}" for state, n in counts.items() if n]
        self.last_batch = (f"Last batch: {', '.join(parts)}."
                           + (f" Stopped: {report.stopped}" if report.stopped
                              and report.stopped != "Stopped." else ""))
        self.batch_label.setText(self.last_batch)
        self.batch_label.show()

    def _run_failed(self, exc: BaseException) -> None:
        if isinstance(exc, QueueBusy):
            # Another window or ``robloxassets upload`` sends it: follow its progress.
            self.banner.show_message(exc.message)
            self._notice_shown = False
            self._busy_since = time.monotonic()
            self._busy_poll.start()
            return
        if isinstance(exc, ApiKeyError):
            pending = sum(1 for i in self.model.items if i.state in (State.QUEUED,
                                                                     State.PREPARING))
            text = NO_KEY_WAITING.format(count=pending) if pending else exc.message
            self.banner.show_message(text, [("Open Cloud key…", self.open_key_dialog)])
            self._notice_shown = False
            return
        self.problem.emit("Uploading", exc)

    # --- moderation ---------------------------------------------------------------------------
    def refresh_moderation(self, auto: bool = False) -> None:
        """Ask Roblox about everything in review; ``auto``: the timer's or the start's, which
        say nothing unless something changed."""
        if self.service.refresh_moderation() and not auto:
            self.message.emit("Asking Roblox about uploads in review…", 3000)

    def _moderation_done(self, results: list[ModerationResult]) -> None:
        changed = [r for r in results if r.changed and r.after is not None]
        approved = [r for r in changed if r.after is not None and r.after.value == "approved"]
        rejected = [r for r in changed if r.after is not None and r.after.value == "rejected"]
        unread = [r for r in results if r.after is None]
        if approved or rejected:
            self._notify(approved, rejected)
        still = len(results) - len(changed) - len(unread)
        parts = []
        if approved:
            parts.append(f"{len(approved):,} approved")
        if rejected:
            parts.append(f"{len(rejected):,} rejected")
        if still:
            parts.append(f"{still:,} still in review")
        if unread:
            parts.append(f"{len(unread):,} not read ({unread[0].error})")
        if parts:
            self.message.emit("Moderation: " + ", ".join(parts) + ".", 8000)
        self.reload()

    def _notify(self, approved: list[ModerationResult], rejected: list[ModerationResult]
                ) -> None:
        if len(approved) + len(rejected) == 1:
            result = (approved or rejected)[0]
            word = "approved" if approved else "rejected"
            title = f"Upload {word}"
            text = (f"{result.entry.name} ({result.entry.content_id}) was {word} by Roblox's "
                    "moderation.")
        else:
            title = "Moderation finished"
            text = ", ".join(p for p in (f"{len(approved)} approved" if approved else "",
                                         f"{len(rejected)} rejected" if rejected else "") if p)
            text = f"{text}: see the Uploads page."
        self.notifier.notify(title, text, bad=bool(rejected) and not approved)

    def _moderation_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ApiKeyError):
            return  # no key yet: nothing to ask with (the banner says so when it matters)
        if isinstance(exc, CloudError) and exc.kind in (Kind.OFFLINE, Kind.CANCELLED):
            log.info("Moderation not refreshed: %s", exc.message)
            return
        self.problem.emit("Refreshing moderation", exc)

    # --- selection and actions ----------------------------------------------------------------
    def selected_items(self) -> list[UploadItem]:
        rows = sorted(self.proxy.mapToSource(i).row()
                      for i in self.table.selectionModel().selectedRows())
        return [item for item in (self.model.item(r) for r in rows) if item is not None]

    def _select(self, ids: list[int]) -> None:
        selection = QItemSelection()
        for item_id in ids:
            row = self.model.row_of(item_id)
            if row is None:
                continue
            first = self.proxy.mapFromSource(self.model.index(row, 0))
            if first.isValid():
                selection.select(first, self.proxy.index(first.row(), len(Column) - 1))
        self.table.selectionModel().select(
            selection, self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows)

    def select_item(self, item_id: int) -> None:
        self._select([item_id])

    def _selection_changed(self, *_args: object) -> None:
        items = self.selected_items()
        self.details.show_item(items[0] if len(items) == 1 else None, len(items))
        self._update_actions()
        self.details_changed.emit()

    def _update_actions(self) -> None:
        items = self.selected_items()
        one = items[0] if len(items) == 1 else None
        self.act_retry.setEnabled(any(i.state is State.FAILED for i in items))
        self.act_rename.setEnabled(one is not None and one.state in (State.FAILED,
                                                                     State.QUEUED))
        self.act_decide.setEnabled(one is not None and one.state is State.NEEDS_DECISION)
        self.act_cancel.setEnabled(any(self._cancellable(i) for i in items))
        self.act_copy.setEnabled(any(i.asset_id is not None for i in items))
        self.act_catalog.setEnabled(one is not None and one.asset_id is not None)
        self.act_show.setEnabled(one is not None)
        self.act_clear.setEnabled(any(i.state in (State.APPROVED, State.REJECTED)
                                      for i in self.model.items))
        self.act_stop.setEnabled(self.service.running)
        self.act_send.setEnabled(not self.service.running)
        read_only = self.context.catalog.read_only
        self.act_upload.setEnabled(not read_only)
        if read_only:  # the queue lives in the catalogue: nothing that changes it works
            for action in (self.act_upload, self.act_send, self.act_retry, self.act_rename,
                           self.act_decide, self.act_cancel, self.act_clear):
                action.setEnabled(False)
        self.act_upload.setToolTip(read_only_refusal(read_only) if read_only else UPLOAD_TIP)
        for button in self.empty.findChildren(QPushButton):
            if button.text().startswith("Upload"):
                button.setEnabled(not read_only)
                button.setToolTip(read_only_refusal(read_only) if read_only else "")

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() != Column.ACTION:
            return
        item = index.data(ITEM_ROLE)
        if not isinstance(item, UploadItem):
            return
        self.select_item(item.id)
        action = self._actions_for.get(primary_action(item))
        if action is not None:
            action()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.ACTION:
            return
        item = index.data(ITEM_ROLE)
        if isinstance(item, UploadItem) and item.asset_id is not None:
            self.open_in_catalog()

    def _context_menu(self, point: QPoint) -> None:
        if not self.selected_items():
            return
        menu = QMenu(self)
        for action in (self.act_copy, self.act_catalog, self.act_show, None, self.act_retry,
                       self.act_rename, self.act_decide, None, self.act_cancel):
            if action is None:
                menu.addSeparator()
            elif action.isEnabled():
                menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def _write(self, doing: str, fn: Callable[[Catalog], Any],
               then: Callable[[Any], None] | None = None) -> None:
        if self.refuse_read_only():  # a row's button reached while the catalogue can't change
            return

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.reload()

        self.context.catalog.write(fn, on_done=done,
                                   on_error=lambda exc: self.problem.emit(doing, exc))

    def retry_selected(self) -> None:
        ids = [i.id for i in self.selected_items() if i.state is State.FAILED]
        if ids:
            self._write("Retrying uploads", lambda c: self.queue.retry(ids, catalog=c),
                        lambda _n: self.start())

    def _cancellable(self, item: UploadItem) -> bool:
        # An item left "sending" while no run goes on is nobody's: core drops it when no
        # process holds the runner lock (and keeps it when another one is sending it).
        return item.state in (State.QUEUED, State.FAILED, State.NEEDS_DECISION) or (
            item.state in (State.PREPARING, State.SENDING) and not self.service.running)

    def cancel_selected(self) -> None:
        ids = [i.id for i in self.selected_items() if self._cancellable(i)]
        if not ids:
            return

        def removed(count: int) -> None:
            self.model.remove(ids)
            self._after_change()
            self.message.emit(f"Removed {count:,} upload(s) from the queue.", 4000)

        self._write("Cancelling uploads", lambda c: self.queue.cancel(ids, catalog=c), removed)

    def rename_selected(self) -> None:
        items = self.selected_items()
        if len(items) != 1:
            return
        item = items[0]
        box = QInputDialog(self)
        box.setWindowTitle("Rename and retry")
        box.setLabelText((item.error + "\n\n" if item.error else "")
                         + "New name on Roblox (at most 50 characters):")
        box.setTextValue(item.name)
        box.setOkButtonText("Rename and retry")
        box.textValueSelected.connect(lambda text: self._rename(item.id, text))
        box.finished.connect(lambda _r: setattr(self, "rename_box", None))
        self.rename_box = box
        box.open()

    def _rename(self, item_id: int, name: str) -> None:
        def job(catalog: Catalog) -> int:
            if not self.queue.rename(item_id, name[:50], catalog=catalog):
                raise UserError("That upload can't be renamed now (it is on its way or done).")
            return self.queue.retry([item_id], catalog=catalog)

        self._write("Renaming the upload", job, lambda _n: self.start())

    def decide_selected(self) -> None:
        items = self.selected_items()
        if len(items) != 1 or items[0].state is not State.NEEDS_DECISION:
            return
        item = items[0]
        box = QMessageBox(QMessageBox.Icon.Question, "May have been uploaded",
                          item.error or "This upload may have reached Roblox.", parent=self)
        again = box.addButton("Send it again", QMessageBox.ButtonRole.AcceptRole)
        there = box.addButton("It's on Roblox: record its ID…",
                              QMessageBox.ButtonRole.ActionRole)
        box.addButton("Decide later", QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda button: self._decided(item, button is again,
                                                               button is there))
        box.finished.connect(lambda _r: setattr(self, "question", None))
        self.question = box
        box.open()

    def _decided(self, item: UploadItem, send_again: bool, on_roblox: bool) -> None:
        if send_again:
            self._write("Sending again", lambda c: self.queue.retry([item.id], catalog=c),
                        lambda _n: self.start())
        elif on_roblox:
            # The Catalogue records the ID the user finds on the Creator Dashboard; the item
            # leaves the queue (it will never be sent again).
            self.send.emit("catalog", RecordFile(item.source_path, item.source_sha256,
                                                 item.width, item.height, item.name))
            self._write("Cancelling the upload", lambda c: self.queue.cancel([item.id],
                                                                             catalog=c))

    def open_in_catalog(self) -> None:
        items = self.selected_items()
        if len(items) == 1 and items[0].asset_id is not None:
            self.navigate.emit("catalog", items[0].script_id or items[0].asset_id)

    def show_file(self) -> None:
        items = self.selected_items()
        if len(items) != 1:
            return
        problem = desktop.open_local(os.path.dirname(items[0].source_path))
        if problem:
            self.message.emit(problem, 10000)

    def clear_finished(self) -> None:
        ids = [i.id for i in self.model.items if i.state in (State.APPROVED, State.REJECTED)]
        if ids:
            self._write("Clearing finished uploads",
                        lambda c: self.queue.forget_finished(ids, catalog=c))

    # --- key and settings ---------------------------------------------------------------------
    def open_key_dialog(self) -> KeyDialog:
        if self.key_dialog is not None:
            self.key_dialog.raise_()
            return self.key_dialog
        dialog = KeyDialog(self.context.settings, self.context.tasks, self.window())
        dialog.saved.connect(self._key_saved)
        dialog.finished.connect(lambda _r: self._key_dialog_closed(dialog))
        self.key_dialog = dialog
        dialog.open()
        return dialog

    def _key_dialog_closed(self, dialog: KeyDialog) -> None:
        if self.key_dialog is dialog:
            self.key_dialog = None
        dialog.deleteLater()

    def _key_saved(self) -> None:
        self.context.tasks.run_task(self.context.settings.save)
        if any(i.state in (State.QUEUED, State.PREPARING) for i in self.model.items):
            self.banner.dismiss()
            self.start()

    def open_settings(self) -> None:
        dialog = UploadSettingsDialog(self.context.settings, self.window())
        dialog.accepted.connect(lambda: self.context.tasks.run_task(self.context.settings.save))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
