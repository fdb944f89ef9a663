"""The Catalogue page: every asset ID with its name, tags, file and moderation status.

The table is searched as the user types (full-text, in SQL), filtered by status and tag and
sorted by any column. Entries are added and edited in a form, removed with undo (Ctrl+Z) for
the session, changed in bulk, copied as ``rbxassetid://`` or as a Luau snippet, opened on
Roblox, and imported or exported. The Library asks it to record an image (``RecordFile``).

Every catalogue read and write goes through ``PageContext.catalog`` (``CatalogAccess``), off
the UI thread; answers come back as callbacks, so the page stays responsive when another
program holds the catalogue's write lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, QTimer, QUrl
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.assetid import try_parse_asset_id
from robloxassets.core.catalog import codegen
from robloxassets.core.catalog.db import OpenReport
from robloxassets.core.catalog.model import Entry, Status, entry_from_file, parse_tags
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.core.errors import UserError
from robloxassets.core.images.rules import is_image_path
from robloxassets.gui import desktop, problems
from robloxassets.gui.actions import make_action
from robloxassets.gui.catalog.details import PREVIEW, CatalogDetails
from robloxassets.gui.catalog.edits import CatalogEditor
from robloxassets.gui.catalog.entry_form import EntryForm
from robloxassets.gui.catalog.model import CatalogModel, status_dot
from robloxassets.gui.catalog.remote_thumbnails import RemoteThumbnails
from robloxassets.gui.catalog.table import CatalogTable
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.catalog.transfers import CatalogTransfers
from robloxassets.gui.catalog_access import WriteHandle
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.requests import RecordFile
from robloxassets.gui.style import WARNING_COLOR
from robloxassets.gui.widgets import Banner, Button, EmptyState, SearchBox

log = logging.getLogger(__name__)

#: How often the page looks for changes made by another window or a CLI call.
POLL_MS = 2000
IMPORTABLE = (".csv", ".json")
#: What the window adds to core's read-only message: what still works here.
READ_ONLY_OFF = ("Recording, editing, removing and importing are turned off; searching, "
                 "copying IDs and exporting still work.")


class CatalogPage(Page):
    """The catalogue table, its filters, form, details panel, undo stack and transfers.

    ``opened`` says whether the catalogue file could be opened (if not, the page says why).
    Changes and their undo go through its ``editor`` (``CatalogEditor``), imports and
    exports through ``transfers``.
    """

    page_id = "catalog"
    title = "Catalogue"
    icon_name = "catalog"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.opened = False
        self._read_only_shown = False
        self.model: CatalogModel | None = None
        self.form: EntryForm | None = None
        self._face = codegen.FACES[0]
        self._version: int | None = None  # SQLite's data version when the rows were read
        self._stats: tuple[int, int, int, int] | None = None
        self._reselect: list[int] | None = None  # select these once the rows are in
        self._pending_select: int | None = None  # an entry to show, once it is among them
        self.thumbnails = ThumbnailLoader(context.tasks, side=40, capacity=600, parent=self)
        self.previews = ThumbnailLoader(context.tasks, side=PREVIEW, capacity=24,
                                        in_flight=2, parent=self)
        self.remote_thumbnails = RemoteThumbnails(context.tasks, side=40, parent=self)
        self._build_actions()
        self.details = CatalogDetails(self.previews, self.named_actions)
        self.remote_previews = RemoteThumbnails(context.tasks, side=PREVIEW, capacity=24,
                                                parent=self)
        self.details.set_remote(self.remote_previews)
        self.details.snippet_requested.connect(self.copy_snippet)
        self.editor = CatalogEditor(context.catalog, self)
        self.editor.message.connect(self.message)
        self.editor.problem.connect(self.problem)
        self.editor.changed.connect(lambda select: self.refresh(select=select))
        self.transfers = CatalogTransfers(context, self)
        self.transfers.message.connect(self.message.emit)
        self.transfers.problem.connect(self.problem.emit)
        self.transfers.finished.connect(lambda: self.refresh())
        self._build_ui()
        context.catalog.read_only_changed.connect(self._read_only_changed)
        self._open_catalog()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_outside_changes)
        self._poll.start()

    # --- building ----------------------------------------------------------------------------
    def _action(self, key: str, text: str, slot: Callable[[], object], icon: str | None = None,
                tip: str = "", shortcut: str | None = None) -> QAction:
        action = make_action(self, text, slot, icon=icon, shortcut=shortcut, tip=tip or None)
        self.named_actions[key] = action
        return action

    def _build_actions(self) -> None:
        self.named_actions: dict[str, QAction] = {}
        self._action("add", "Record asset ID…", self.add_entry, "add",
                     "Record a decal or image ID (Ctrl+N)", "Ctrl+N")
        self._action("edit", "Edit…", self.edit_selected, "edit", "Edit the selected entry "
                     "(Ctrl+E)", "Ctrl+E")
        self._action("remove", "Remove", self.delete_selection, "delete",
                     "Remove the selected entries (Ctrl+Z brings them back)")
        self._action("copy", "Copy ID", self.copy_selection, "copy",
                     "Copy rbxassetid://ID of the selection (Ctrl+C)")
        self._action("page", "Open asset page", self.open_asset_page, "external",
                     "Open the asset's page on Roblox in the browser")
        self._action("folder", "Show file", self.show_file, "folder",
                     "Show the local file in the file manager")
        self._action("add_tags", "Add tags…", lambda: self.ask_tags(add=True), "tag")
        self._action("remove_tags", "Remove tags…", lambda: self.ask_tags(add=False))
        self._action("import", "Import…", self.transfers_import, "import",
                     "Import entries from a CSV or JSON file")
        self._action("export", "Export…", self.transfers_export, "export",
                     "Export as Luau, TypeScript, JSON or CSV")

        self.status_menu = QMenu("Set status", self)
        for status in Status:
            item = self.status_menu.addAction(status_dot(status), status.label)
            item.triggered.connect(lambda _c=False, s=status: self.set_status(s))
        status_action = self._action("status", "Set status", self._popup_status_menu, "status",
                                     "Set the moderation status of the selection")
        status_action.setMenu(self.status_menu)

        self.snippet_menu = QMenu("Copy Luau snippet", self)
        for face in codegen.FACES:
            item = self.snippet_menu.addAction(f"{face} face")
            item.triggered.connect(lambda _c=False, f=face: self.copy_snippet(f))
        snippet = self._action("snippet", "Copy Luau", lambda: self.copy_snippet(self._face),
                               "code", "Copy Luau that puts the image on a part's face as a "
                               "Decal (the arrow chooses the face)")
        snippet.setMenu(self.snippet_menu)

    def _build_ui(self) -> None:
        self.search = SearchBox("Search names, tags, notes and IDs", "catalogSearch")
        self.search.textChanged.connect(self._search_changed)
        self.status_filter = QComboBox()
        self.status_filter.setToolTip("Show entries with this moderation status")
        self.status_filter.addItem("All statuses", None)
        for status in Status:
            self.status_filter.addItem(status_dot(status), status.label, status)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.tag_filter = QComboBox()
        self.tag_filter.setToolTip("Show entries with this tag")
        self.tag_filter.setMinimumContentsLength(14)
        self.tag_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag_filter.addItem("All tags", None)
        self.tag_filter.currentIndexChanged.connect(self._filters_changed)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.tag_filter)

        self.banner = Banner()
        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "catalog", "No asset IDs yet",
            "Record the decal and image IDs of your uploads here, with their files and "
            "moderation status. Then find them in a moment, copy rbxassetid:// links and "
            "export them as a Luau module.",
            [Button("Record asset ID", self.add_entry, "add", primary=True),
             Button("Import a CSV or JSON file", self.transfers_import, "import")])
        self.no_match = EmptyState("search", "Nothing matches",
                                   "No entry matches the search and filters.",
                                   [Button("Clear search and filters", self.clear_filters)])
        self.failed = EmptyState("catalog", "The catalogue can't be opened",
                                 "The catalogue file could not be opened.",
                                 [Button("Try again", self._open_catalog, "refresh",
                                         primary=True)])
        self.table_holder = QWidget()
        self.table_layout = QVBoxLayout(self.table_holder)
        self.table_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.table_holder, self.empty, self.no_match, self.failed):
            self.stack.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)

    def _open_catalog(self) -> None:
        """Open the catalogue in the background (the reader thread opens the file)."""
        self.context.catalog.read(lambda catalog: catalog.report, on_done=self._opened,
                                  on_error=self._open_failed)

    def _open_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            self.problem.emit("Opening the catalogue", exc)
        log.warning("Catalogue not opened: %s", exc)
        self.failed.set_text(problems.describe(exc))
        self.stack.setCurrentWidget(self.failed)
        self.context.catalog.reset()  # "Try again" opens the file anew
        self._update_actions()

    def _opened(self, report: OpenReport) -> None:
        self.opened = True
        self._show_report()
        self.stack.setCurrentWidget(self.table_holder)
        if self.model is not None:  # opened again after a failure
            self.refresh()
            return
        self.model = CatalogModel(self.context.catalog, self.thumbnails, self)
        # Entries without a local file show Roblox's own picture of the asset.
        self.model.set_remote_thumbnails(self.remote_thumbnails)
        self.model.count_changed.connect(self._update_summary)
        self.model.loaded.connect(self._after_load)
        self.model.problem.connect(self.problem)
        self.table = CatalogTable(self.model)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table_layout.addWidget(self.table)
        self._refresh_side()
        self._update_actions()

    def _show_report(self) -> None:
        """The banner: why the catalogue can only be read and what to do (while it can't be
        written), else a damaged file kept aside at the first opening."""
        access = self.context.catalog
        if access.read_only:
            text = f"{OpenReport(read_only=access.read_only).message} {READ_ONLY_OFF}"
            self.banner.show_message(text, [("Check again", self.check_writable)],
                                     accent=WARNING_COLOR)
            self._read_only_shown = True
            return
        first = access.open_report
        if first is not None and first.set_aside is not None:
            aside = first.set_aside
            self.banner.show_message(
                OpenReport(set_aside=aside, reason=first.reason,
                           recovered=first.recovered).message,
                [("Show folder", lambda: self._open_url(QUrl.fromLocalFile(str(aside.parent))))])
        elif self._read_only_shown:
            self.banner.hide()
        self._read_only_shown = False

    def _read_only_changed(self, reason: str) -> None:
        if self.opened:
            self._show_report()
            if not reason:
                self.message.emit("The catalogue can be changed again.", 5000)
        self._update_actions()

    def check_writable(self) -> None:
        """The banner's "Check again": open the file anew and see whether it can be written
        now (the read-only state follows the opening)."""
        self.context.catalog.reset()
        self._open_catalog()

    @property
    def writable(self) -> bool:
        return self.opened and not self.context.catalog.read_only

    def _refuse_read_only(self) -> bool:
        """True (and a status message) if the catalogue can only be read: a write action
        reached by a shortcut, a drop or another page while its buttons are off."""
        reason = self.context.catalog.read_only
        if not reason:
            return False
        self.message.emit(f"The catalogue can only be read ({reason}); nothing was changed.",
                          8000)
        return True

    # --- page hooks --------------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        a = self.named_actions
        return [a["add"], a["edit"], a["status"], None, a["copy"], a["snippet"], a["page"],
                None, a["import"], a["export"]]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        a = self.named_actions
        return {
            "File": [a["import"], a["export"], None],
            "Edit": [a["add"], a["edit"], a["remove"], a["status"], a["add_tags"],
                     a["remove_tags"]],
            "Tools": [a["snippet"], a["page"], a["folder"]],
        }

    def details_widget(self) -> QWidget:
        return self.details

    def summary(self) -> str:
        model = self.model
        if model is None or self._stats is None:
            return ""
        total, in_review, slow, stuck = self._stats
        parts = [f"{total:,} {'entry' if total == 1 else 'entries'}"]
        if self._filtered() and model.match_count is not None:
            parts = [f"{model.match_count:,} of {total:,} entries match"]
        if in_review:
            parts.append(f"{in_review:,} in review")
        if slow:
            parts.append(f"{slow:,} waiting over a day" + (f" ({stuck:,} over a week)"
                                                           if stuck else ""))
        return " · ".join(parts)

    def activate(self, argument: object = None) -> None:
        """``argument``: an asset ID (int or any text form) to select, or None."""
        if argument is None or not self.opened:
            return
        asset_id = argument if isinstance(argument, int) else try_parse_asset_id(str(argument))
        if asset_id is None:
            self.message.emit(f"{argument} is not in the catalogue.", 5000)
            return

        def found(entry: Entry | None) -> None:
            if entry is None or entry.id is None:
                self.message.emit(f"{argument} is not in the catalogue.", 5000)
            else:
                self.select_entry(entry.id)

        self.context.catalog.read(lambda catalog: catalog.find_by_asset_id(asset_id),
                                  on_done=found, on_error=self._read_failed)

    def receive(self, request: object) -> bool:
        if isinstance(request, RecordFile):
            self.record_file(request.path, request.sha256, request.width, request.height,
                             request.name)
            return True
        return False

    def focus_search(self) -> bool:
        return self.search.focus()

    def copy_selection(self) -> bool:
        ids = self.selected_ids()
        if not ids or self.model is None:
            return False
        self.model.entries_for(ids, self._copy_entries)
        return True

    def _copy_entries(self, entries: list[Entry]) -> None:
        if not entries:
            return
        QApplication.clipboard().setText("\n".join(e.content_id for e in entries))
        if len(entries) == 1:
            note = (" (a decal ID: scripts need the image ID)"
                    if entries[0].image_id is None else "")
            self.message.emit(f"Copied {entries[0].content_id}{note}.", 4000)
        else:
            self.message.emit(f"Copied {len(entries):,} asset IDs.", 4000)

    def delete_selection(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        if not self._refuse_read_only():
            self.editor.remove(ids)
        return True

    def undo(self) -> bool:
        if self._refuse_read_only():
            return True
        return self.editor.undo()

    def refresh(self, select: list[int] | None = None) -> None:
        """Read the rows, tags and counts again (in the background); ``select``: entries to
        select once the rows are in (default: the selection as it is)."""
        if self.model is None:
            return
        self._reselect = self.selected_ids() if select is None else select
        self.model.refresh()
        self._refresh_side()

    def _refresh_side(self) -> None:
        """Counts for the status bar, the tags of the filter and the data version."""

        def job(catalog: Catalog) -> tuple[tuple[int, int, int, int], list[tuple[str, int]],
                                           int]:
            return ((catalog.total(), *catalog.review_counts()), catalog.tag_counts(),
                    catalog.data_version())

        self.context.catalog.read(job, on_done=self._side_read, on_error=self._read_failed)

    def _side_read(self, result: tuple[tuple[int, int, int, int], list[tuple[str, int]],
                                       int]) -> None:
        self._stats, tags, self._version = result
        self._fill_tags(tags)
        self._update_summary()

    def _read_failed(self, exc: BaseException) -> None:
        self.problem.emit("Reading the catalogue", exc)

    def open_paths(self, paths: list[str]) -> bool:
        if not self.opened:
            return False
        data = [p for p in paths if Path(p).suffix.lower() in IMPORTABLE]
        images = [p for p in paths if is_image_path(p)]
        if (data or len(images) == 1) and self._refuse_read_only():
            return True
        if data:
            self.transfers.import_from(data[0])
            return True
        if len(images) == 1:
            self.record_file(images[0], None, None, None)
            return True
        return False

    def shutdown(self) -> None:
        self._poll.stop()
        if self.model is not None:
            self.model.stop()

    # --- public API for other pages -----------------------------------------------------------
    def record_file(self, path: str, sha256: str | None, width: int | None,
                    height: int | None, name: str | None = None) -> EntryForm | None:
        """Open the add form pre-filled for a local image (``RecordFile`` from the Library).

        Without ``sha256`` the form reads the file's hash and size itself. Returns the form
        (already shown), or None when the catalogue is not open.
        """
        if not self.opened:
            self.message.emit("The catalogue can't be opened; see the Catalogue page.", 6000)
            return None
        if self._refuse_read_only():
            return None
        draft = entry_from_file(path, sha256, width, height, name)
        return self._open_form(draft)

    def select_entry(self, entry_id: int) -> None:
        """Show one entry, clearing the search and filters if they hide it (the rows are
        read in the background, so this may finish after a load or two)."""
        if self.model is None:
            return
        if self.model.row_of(entry_id) is not None:
            self._pending_select = None
            self.select_ids([entry_id])
            return
        self._pending_select = entry_id
        if self._filtered():
            self.clear_filters()
        elif self.model.canFetchMore():
            self.model.fetchMore()
        else:
            self._pending_select = None  # not among the rows (removed meanwhile)

    # --- selection -----------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        if self.model is None:
            return []
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.entry_id(r) for r in rows) if i is not None]

    def selected_entries(self) -> list[Entry]:
        """The selected entries already read (the rows on screen always are)."""
        if self.model is None:
            return []
        return [e for e in (self.model.cached_entry(i) for i in self.selected_ids())
                if e is not None]

    def select_ids(self, ids: list[int]) -> None:
        if self.model is None:
            return
        selection = QItemSelection()
        first = None
        for entry_id in ids:
            row = self.model.row_of(entry_id)
            if row is None:
                continue
            first = row if first is None else min(first, row)
            selection.select(self.model.index(row, 0),
                             self.model.index(row, self.model.columnCount() - 1))
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().select(selection, flags)
        if first is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(first, 1), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(self.model.index(first, 1))

    def _selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        if len(ids) == 1 and self.model is not None:
            entry_id = ids[0]
            # What the table has at once; the history follows from the catalogue.
            self.details.show_entry(self.model.cached_entry(entry_id))

            def read(entry: Entry | None) -> None:
                if entry is not None and self.selected_ids() == [entry_id]:
                    self.details.show_entry(entry)

            self.context.catalog.read(lambda catalog: catalog.get(entry_id), on_done=read,
                                      on_error=self._read_failed)
        else:
            self.details.show_entry(None, len(ids))
        self._update_actions()
        self.details_changed.emit()

    def _update_actions(self) -> None:
        ids = self.selected_ids()
        entries = self.selected_entries()
        one = len(ids) == 1
        writable = self.writable
        for key in ("add", "import"):
            self.named_actions[key].setEnabled(writable)
        self.named_actions["export"].setEnabled(self.opened)
        self.named_actions["copy"].setEnabled(bool(ids))
        for key in ("remove", "status", "add_tags", "remove_tags"):
            self.named_actions[key].setEnabled(bool(ids) and writable)
        self.named_actions["edit"].setEnabled(one and writable)
        for button in self.empty.findChildren(QPushButton):  # Record, Import: writes
            button.setEnabled(writable)
        self.named_actions["snippet"].setEnabled(one)
        self.named_actions["page"].setEnabled(one)
        self.named_actions["folder"].setEnabled(one and bool(entries)
                                                and bool(entries[0].file_path))

    # --- search and filters --------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        if self.model is not None:
            self.model.set_search(text)

    def _filters_changed(self) -> None:
        if self.model is None:
            return
        self.model.set_query(Query(text=self.search.text(),
                                   status=self.status_filter.currentData(),
                                   tag=self.tag_filter.currentData(),
                                   sort=self.model.query.sort,
                                   descending=self.model.query.descending))

    def _filtered(self) -> bool:
        if self.model is None:
            return False
        query = self.model.query
        return bool(query.text.strip() or query.status or query.tag)

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.tag_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._filters_changed()

    def _fill_tags(self, tags: list[tuple[str, int]]) -> None:
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for tag, count in tags:
            self.tag_filter.addItem(f"{tag} ({count:,})", tag)
        index = self.tag_filter.findData(current) if current else 0
        self.tag_filter.setCurrentIndex(max(index, 0))
        self.tag_filter.blockSignals(False)
        if current and index < 0:
            self._filters_changed()  # the tag is gone: show everything again

    def _tags_in_use(self) -> list[str]:
        return [tag for i in range(1, self.tag_filter.count())
                if isinstance(tag := self.tag_filter.itemData(i), str)]

    def _after_load(self) -> None:
        model = self.model
        if model is None:
            return
        if model.rowCount() > 0:
            self.stack.setCurrentWidget(self.table_holder)
        elif self._filtered():
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.empty)
        if self._reselect:
            self.select_ids(self._reselect)
        self._reselect = None
        if self._pending_select is not None:
            self.select_entry(self._pending_select)
        self._selection_changed()
        self._update_summary()

    def _update_summary(self, *_args: object) -> None:
        self.summary_changed.emit(self.summary())

    # --- changing ----------------------------------------------------------------------------
    def add_entry(self) -> EntryForm | None:
        if not self.opened or self._refuse_read_only():
            return None
        return self._open_form(Entry(name=""))

    def edit_selected(self) -> EntryForm | None:
        """Open the form for the selected entry (with its history, read first)."""
        ids = self.selected_ids()
        if len(ids) != 1 or not self.opened or self._refuse_read_only():
            return None
        entry = self.model.cached_entry(ids[0]) if self.model is not None else None
        if entry is None:
            return None
        form = self._open_form(entry)
        return form

    def _open_form(self, entry: Entry) -> EntryForm:
        if self.form is not None:
            self.form.close()
        form = EntryForm(self.context.catalog, self.context.tasks, entry, self._tags_in_use(),
                         self)
        form.save_requested.connect(lambda changed: self._save_entry(form, changed))
        form.show_existing.connect(self.select_entry)
        form.finished.connect(lambda _result: self._form_closed(form))
        self.form = form
        form.open()
        return form

    def _save_entry(self, form: EntryForm, entry: Entry) -> None:
        def saved(stored: Entry) -> None:
            if self.form is form:
                form.saved_ok(stored)

        def failed(exc: BaseException) -> None:
            if self.form is form:
                form.save_failed(exc)
            else:
                self.problem.emit("Saving the entry", exc)

        form.saving(self.editor.save(entry, saved, failed))

    def _form_closed(self, form: EntryForm) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def set_status(self, status: Status) -> WriteHandle | None:
        ids = self.selected_ids()
        if not ids or self._refuse_read_only():
            return None
        return self.editor.set_status(ids, status)

    def change_tags(self, add: Sequence[str] = (),
                    remove: Sequence[str] = ()) -> WriteHandle | None:
        ids = self.selected_ids()
        if not ids or self._refuse_read_only():
            return None
        return self.editor.change_tags(ids, add, remove)

    def ask_tags(self, add: bool) -> None:
        if not self.selected_ids():
            return
        verb = "Add" if add else "Remove"
        text, ok = QInputDialog.getText(self, f"{verb} tags",
                                        f"{verb} these tags (comma-separated) "
                                        f"{'to' if add else 'from'} the selected entries:")
        if not ok:
            return
        try:
            tags = list(parse_tags(text))
        except UserError as exc:
            self.message.emit(exc.message, 6000)
            return
        if tags:
            self.change_tags(add=tags) if add else self.change_tags(remove=tags)

    # --- per-entry actions -----------------------------------------------------------------------
    def copy_snippet(self, face: str) -> bool:
        entries = self.selected_entries()
        if len(entries) != 1:
            return False
        self._face = face
        QApplication.clipboard().setText(codegen.decal_snippet(entries[0], face))
        self.message.emit(f"Copied Luau that puts '{entries[0].name}' on the {face.lower()} "
                          "face of a part.", 5000)
        return True

    def open_asset_page(self) -> None:
        entries = self.selected_entries()
        if len(entries) == 1:
            self._open_url(QUrl(codegen.asset_page_url(entries[0])))

    def show_file(self) -> None:
        entries = self.selected_entries()
        if len(entries) != 1 or not entries[0].file_path:
            return
        path = Path(entries[0].file_path)
        # One stat of a local file, as a file manager does before it opens a folder.
        if not path.exists():
            self.message.emit(f"{path} is no longer there (moved or deleted). Edit the entry "
                              "to point at its new place.", 8000)
            return
        self._open_url(QUrl.fromLocalFile(str(path.parent)))

    def _open_url(self, url: QUrl) -> None:
        if url.isLocalFile():
            problem = desktop.open_local(url.toLocalFile())
        elif not desktop.open_url(url):
            problem = (f"No web browser opened {url.toDisplayString()}: its address is on "
                       "the clipboard.")
            QApplication.clipboard().setText(url.toString())
        else:
            problem = ""
        if problem:
            self.message.emit(problem, 10000)

    def transfers_import(self) -> None:
        if self.opened and not self._refuse_read_only():
            self.transfers.choose_import()

    def transfers_export(self) -> None:
        if self.opened:
            self.transfers.choose_export()

    def _popup_status_menu(self) -> None:
        self.status_menu.popup(QCursor.pos())

    def _context_menu(self, point: QPoint) -> None:
        if not self.selected_ids():
            return
        menu = QMenu(self)
        a = self.named_actions
        for action in (a["copy"], a["edit"], None, a["status"], a["add_tags"],
                       a["remove_tags"], None, a["snippet"], a["page"], a["folder"], None,
                       a["remove"]):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(point))

    # --- changes made elsewhere -----------------------------------------------------------------
    def _check_outside_changes(self) -> None:
        """What the poll timer does: a cheap read of SQLite's data version, and a refresh
        when another connection committed since the rows were read."""
        if not self.opened or self.transfers.busy or self.context.catalog.writing:
            return

        def compare(version: int) -> None:
            if self._version is not None and version != self._version:
                log.info("Catalogue changed outside this window; refreshing")
                self._version = version
                self.refresh()

        self.context.catalog.read(lambda catalog: catalog.data_version(), on_done=compare,
                                  on_error=lambda exc: log.info("Poll failed: %s", exc))

