"""The Catalogue page: every asset ID with its name, tags, file and moderation status.

The table is searched as the user types (full-text, in SQL), filtered by status and tag and
sorted by any column. Entries are added and edited in a form, removed with undo (Ctrl+Z) for
the session, changed in bulk, copied as ``rbxassetid://`` or as a Luau snippet, opened on
Roblox, and imported or exported. Other pages call ``record_file`` to catalogue an image.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, QTimer, QUrl
from PySide6.QtGui import QAction, QCursor, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.assetid import try_parse_asset_id
from robloxassets.core.catalog import codegen
from robloxassets.core.catalog.model import Entry, Status, entry_from_file, parse_tags
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.core.errors import UserError
from robloxassets.core.images.rules import is_image_path
from robloxassets.gui.actions import make_action
from robloxassets.gui.catalog.details import PREVIEW, CatalogDetails
from robloxassets.gui.catalog.entry_form import EntryForm
from robloxassets.gui.catalog.model import CatalogModel, status_dot
from robloxassets.gui.catalog.table import CatalogTable
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.catalog.transfers import CatalogTransfers
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.widgets import Banner, Button, EmptyState, SearchBox

log = logging.getLogger(__name__)

#: How often the page looks for changes made by another window or a CLI call.
POLL_MS = 2000
IMPORTABLE = (".csv", ".json")


class CatalogPage(Page):
    """The catalogue table, its filters, form, details panel, undo stack and transfers.

    Owns the UI thread's ``Catalog`` connection (``self.catalog``; None if the file could not
    be opened, with the reason shown on the page).
    """

    page_id = "catalog"
    title = "Catalogue"
    icon_name = "catalog"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.catalog: Catalog | None = None
        self.model: CatalogModel | None = None
        self.form: EntryForm | None = None
        self._undo: list[tuple[str, Callable[[], list[int]]]] = []
        self._face = codegen.FACES[0]
        self._version = 0
        self._stats: tuple[int, int, int, int] | None = None
        self.thumbnails = ThumbnailLoader(context.tasks, side=40, capacity=600, parent=self)
        self.previews = ThumbnailLoader(context.tasks, side=PREVIEW, capacity=24,
                                        in_flight=2, parent=self)
        self._build_actions()
        self.details = CatalogDetails(self.previews, self.actions)
        self.details.snippet_requested.connect(self.copy_snippet)
        self.transfers = CatalogTransfers(context.tasks, context.progress,
                                            self._catalog_path, self)
        self.transfers.message.connect(self.message.emit)
        self.transfers.problem.connect(self.problem.emit)
        self.transfers.finished.connect(self.refresh)
        self._build_ui()
        self._open_catalog()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_outside_changes)
        self._poll.start()

    # --- building ----------------------------------------------------------------------------
    def _action(self, key: str, text: str, slot: Callable[[], object], icon: str | None = None,
                tip: str = "", shortcut: str | None = None) -> QAction:
        action = make_action(self, text, slot, icon=icon, shortcut=shortcut, tip=tip or None)
        self.actions[key] = action
        return action

    def _build_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
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

    def _catalog_path(self) -> Path:
        assert self.catalog is not None
        return self.catalog.path

    def _open_catalog(self) -> None:
        try:
            self.catalog = Catalog()
        except UserError as exc:
            log.warning("Catalogue not opened: %s", exc.message)
            self.catalog = None
            self.failed.set_text(exc.message)
            self.stack.setCurrentWidget(self.failed)
            self._update_actions()
            return
        if self.catalog.report.message:
            aside = self.catalog.report.set_aside
            self.banner.show_message(
                self.catalog.report.message,
                [("Show folder", lambda: self._open_url(QUrl.fromLocalFile(str(aside.parent))))]
                if aside else [])
        self._version = self.catalog.data_version()
        self.model = CatalogModel(self.catalog, self.thumbnails, self)
        self.model.count_changed.connect(self._update_summary)
        self.model.modelReset.connect(self._after_reset)
        self.table = CatalogTable(self.model)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table_layout.addWidget(self.table)
        self._refresh_tags()
        self._after_reset()
        self._update_summary()

    # --- page hooks --------------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction]:
        a = self.actions
        return [a["add"], a["edit"], a["status"], None, a["copy"], a["snippet"], a["page"],
                None, a["import"], a["export"]]

    def menu_actions(self) -> dict[str, list[QAction]]:
        a = self.actions
        return {
            "File": [a["import"], a["export"], None],
            "Edit": [a["add"], a["edit"], a["remove"], a["status"], a["add_tags"],
                     a["remove_tags"]],
            "Tools": [a["snippet"], a["page"], a["folder"]],
        }

    def details_widget(self) -> QWidget:
        return self.details

    def summary(self) -> str:
        catalog, model = self.catalog, self.model
        if catalog is None or model is None:
            return ""
        if self._stats is None:
            # Counted once per change, not per keystroke.
            self._stats = (catalog.total(), *catalog.review_counts())
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
        if argument is None or self.catalog is None:
            return
        asset_id = argument if isinstance(argument, int) else try_parse_asset_id(str(argument))
        entry = self.catalog.find_by_asset_id(asset_id) if asset_id else None
        if entry is None:
            self.message.emit(f"{argument} is not in the catalogue.", 5000)
            return
        self.select_entry(entry.id)

    def focus_search(self) -> bool:
        return self.search.focus()

    def copy_selection(self) -> bool:
        entries = self.selected_entries()
        if not entries:
            return False
        QApplication.clipboard().setText("\n".join(e.content_id for e in entries))
        if len(entries) == 1:
            note = (" (a decal ID: scripts need the image ID)"
                    if entries[0].image_id is None else "")
            self.message.emit(f"Copied {entries[0].content_id}{note}.", 4000)
        else:
            self.message.emit(f"Copied {len(entries):,} asset IDs.", 4000)
        return True

    def delete_selection(self) -> bool:
        ids = self.selected_ids()
        if not ids or self.catalog is None:
            return False
        removed = self._write(lambda: self.catalog.remove(ids))
        if removed is None:
            return True
        label = (f"'{removed[0].name}'" if len(removed) == 1
                 else f"{len(removed):,} entries")
        self._push_undo(f"removing {label}", lambda: self._restore(removed))
        self.refresh()
        self.message.emit(f"Removed {label}. Ctrl+Z brings it back.", 8000)
        return True

    def undo(self) -> bool:
        if not self._undo or self.catalog is None:
            return False
        label, step = self._undo.pop()
        ids = self._write(step)
        if ids is None:
            self._undo.append((label, step))
            return True
        self.refresh()
        if ids:
            self.select_ids(ids)
        self.message.emit(f"Undid {label}.", 5000)
        return True

    def refresh(self) -> None:
        if self.model is None or self.catalog is None:
            return
        selected = self.selected_ids()
        self._stats = None
        self.model.refresh()
        self._refresh_tags()
        if selected:
            self.select_ids(selected)
        self._version = self.catalog.data_version()
        self._update_summary()

    def open_paths(self, paths: list[str]) -> bool:
        if self.catalog is None:
            return False
        data = [p for p in paths if Path(p).suffix.lower() in IMPORTABLE]
        images = [p for p in paths if is_image_path(p)]
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
        """Open the add form pre-filled for a local image (the Library's "Record asset ID…").

        Without ``sha256`` the form reads the file's hash and size itself. Returns the form
        (already shown), or None when the catalogue is not open.
        """
        if self.catalog is None:
            self.message.emit("The catalogue can't be opened; see the Catalogue page.", 6000)
            return None
        draft = entry_from_file(path, sha256, width, height, name)
        return self._open_form(draft, new=True)

    def select_entry(self, entry_id: int) -> None:
        """Show one entry, clearing the search and filters if they hide it."""
        if self.model is None:
            return
        if self.model.row_of(entry_id) is None:
            self.clear_filters()
        row = self.model.row_of(entry_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(entry_id)
        if row is not None:
            self.select_ids([entry_id])

    # --- selection -----------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        if self.model is None:
            return []
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.entry_id(r) for r in rows) if i is not None]

    def selected_entries(self) -> list[Entry]:
        if self.model is None:
            return []
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [e for e in (self.model.entry(r) for r in rows) if e is not None]

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
        entries = self.selected_entries()
        if len(entries) == 1 and self.catalog is not None:
            self.details.show_entry(self.catalog.get(entries[0].id))
        else:
            self.details.show_entry(None, len(entries))
        self._update_actions()
        self.details_changed.emit()

    def _update_actions(self) -> None:
        entries = self.selected_entries() if self.model is not None else []
        one = len(entries) == 1
        open_ = self.catalog is not None
        for key in ("add", "import", "export"):
            self.actions[key].setEnabled(open_)
        for key in ("remove", "copy", "status", "add_tags", "remove_tags"):
            self.actions[key].setEnabled(bool(entries))
        self.actions["edit"].setEnabled(one)
        self.actions["snippet"].setEnabled(one)
        self.actions["page"].setEnabled(one)
        self.actions["folder"].setEnabled(one and bool(entries[0].file_path))

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

    def _refresh_tags(self) -> None:
        if self.catalog is None:
            return
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for tag, count in self.catalog.tag_counts():
            self.tag_filter.addItem(f"{tag} ({count:,})", tag)
        index = self.tag_filter.findData(current) if current else 0
        self.tag_filter.setCurrentIndex(max(index, 0))
        self.tag_filter.blockSignals(False)
        if current and index < 0:
            self._filters_changed()  # the tag is gone: show everything again

    def _after_reset(self) -> None:
        if self.model is None:
            return
        if self.model.rowCount() > 0:
            self.stack.setCurrentWidget(self.table_holder)
        elif self._filtered():
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.empty)
        self._selection_changed()
        self._update_summary()

    def _update_summary(self, *_args: object) -> None:
        self.summary_changed.emit(self.summary())

    # --- writing -------------------------------------------------------------------------------
    def _write(self, fn: Callable[[], object]) -> object | None:
        """Run a catalogue write; a problem the user can act on goes to the status bar."""
        try:
            return fn()
        except UserError as exc:
            self.message.emit(exc.message, 8000)
            return None

    def _push_undo(self, label: str, step: Callable[[], list[int]]) -> None:
        self._undo.append((label, step))
        del self._undo[:-100]

    def _restore(self, entries: list[Entry]) -> list[int]:
        assert self.catalog is not None
        self.catalog.restore(entries)
        return [e.id for e in entries if e.id is not None]

    def _unrecord(self, entry: Entry) -> list[int]:
        assert self.catalog is not None
        self.catalog.remove([entry.id])
        return []

    def add_entry(self) -> EntryForm | None:
        if self.catalog is None:
            return None
        return self._open_form(Entry(name=""), new=True)

    def edit_selected(self) -> EntryForm | None:
        entries = self.selected_entries()
        if len(entries) != 1 or self.catalog is None:
            return None
        entry = self.catalog.get(entries[0].id)
        return self._open_form(entry, new=False) if entry is not None else None

    def _open_form(self, entry: Entry, new: bool) -> EntryForm:
        assert self.catalog is not None
        if self.form is not None:
            self.form.close()
        tags = [tag for tag, _ in self.catalog.tag_counts()]
        form = EntryForm(self.catalog, self.context.tasks, entry, self._save_entry, tags, self)
        form.show_existing.connect(self.select_entry)
        form.accepted.connect(lambda: self._form_saved(form))
        form.finished.connect(lambda _result: self._form_closed(form))
        self.form = form
        form.open()
        return form

    def _save_entry(self, entry: Entry) -> Entry:
        assert self.catalog is not None
        if entry.id is None:
            stored = self.catalog.add(entry)
            self._push_undo(f"recording '{stored.name}'", lambda: self._unrecord(stored))
            return stored
        before = self.catalog.snapshot([entry.id])
        stored = self.catalog.update(entry)
        self._push_undo(f"the edit of '{stored.name}'", lambda: self._restore(before))
        return stored

    def _form_saved(self, form: EntryForm) -> None:
        saved = form.saved
        self.refresh()
        if saved is not None and saved.id is not None:
            self.select_entry(saved.id)
            self.message.emit(f"Saved '{saved.name}' ({saved.ids_text}).", 5000)

    def _form_closed(self, form: EntryForm) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def set_status(self, status: Status) -> None:
        ids = self.selected_ids()
        if not ids or self.catalog is None:
            return
        before = self.catalog.snapshot(ids)
        changed = self._write(lambda: self.catalog.set_status(ids, status))
        if not changed:
            return
        self._push_undo(f"setting {changed:,} to {status.label.lower()}",
                        lambda: self._restore(before))
        self.refresh()
        self.message.emit(f"{changed:,} {'entry' if changed == 1 else 'entries'} now "
                          f"{status.label.lower()}.", 5000)

    def change_tags(self, add: Sequence[str] = (), remove: Sequence[str] = ()) -> int:
        ids = self.selected_ids()
        if not ids or self.catalog is None:
            return 0
        before = self.catalog.snapshot(ids)
        changed = self._write(lambda: self.catalog.change_tags(ids, add, remove))
        if changed:
            self._push_undo(f"the tag change of {changed:,} entries",
                            lambda: self._restore(before))
            self.refresh()
            self.message.emit(f"Changed the tags of {changed:,} "
                              f"{'entry' if changed == 1 else 'entries'}.", 5000)
        return int(changed or 0)

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
        if not path.exists():
            self.message.emit(f"{path} is no longer there (moved or deleted). Edit the entry "
                              "to point at its new place.", 8000)
            return
        self._open_url(QUrl.fromLocalFile(str(path.parent)))

    def _open_url(self, url: QUrl) -> None:
        if not QDesktopServices.openUrl(url):
            self.message.emit(f"Could not open {url.toDisplayString()}.", 6000)

    def transfers_import(self) -> None:
        if self.catalog is not None:
            self.transfers.choose_import()

    def transfers_export(self) -> None:
        if self.catalog is not None:
            self.transfers.choose_export()

    def _popup_status_menu(self) -> None:
        self.status_menu.popup(QCursor.pos())

    def _context_menu(self, point: QPoint) -> None:
        if not self.selected_ids():
            return
        menu = QMenu(self)
        a = self.actions
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
        if self.catalog is None or self.transfers.busy:
            return
        try:
            version = self.catalog.data_version()
        except UserError:
            return
        if version != self._version:
            log.info("Catalogue changed outside this window; refreshing")
            self.refresh()
