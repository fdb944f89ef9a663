"""The Duplicates page: groups of copies across the open library folders and the catalogue.

Finding runs on the task pool (``jobs.find_duplicates``); the page shows the groups, the
copies of the selected one side by side in the details, and offers: keep one (the others are
marked, nothing is deleted), move the marked files to the trash (after a confirmation that
names them), show in the file manager, open the catalogue entry.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QFile
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.duplicates.groups import MAX_THRESHOLD, Group, Member
from robloxassets.core.printable import printable
from robloxassets.core.settings import duplicate_threshold
from robloxassets.gui import desktop
from robloxassets.gui.actions import make_action
from robloxassets.gui.duplicates.details import DuplicateDetails
from robloxassets.gui.duplicates.jobs import DuplicatesResult, find_duplicates
from robloxassets.gui.duplicates.tree import GroupTree
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.tasks import FunctionWorker, GeneratorWorker
from robloxassets.gui.widgets import Banner, Button, EmptyState, SearchBox, elastic_combo

log = logging.getLogger(__name__)

#: The similarity choices (threshold in bits of 64); the setting may hold another value.
STRICTNESS = (("Strict", 4), ("Normal", 8), ("Loose", 12))
SHOW = (("All groups", "all"), ("Exact copies only", "exact"),
        ("With catalogued assets", "catalogued"))


class DuplicatesPage(Page):
    """Owns the last search's result and the user's marks.

    Emits ``message`` for short notes, ``summary_changed`` with the group counts,
    ``navigate("catalog", asset_id)`` to open a catalogue entry, ``problem`` when the search
    failed.
    """

    page_id = "duplicates"
    title = "Duplicates"
    icon_name = "duplicates"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.result: DuplicatesResult | None = None
        self.groups: list[Group] = []
        self._worker: GeneratorWorker | None = None
        self.details = DuplicateDetails()
        self._build_actions()
        self._build_ui()
        self.details.strip.chosen.connect(self.tree.select_path)
        for action in (self.act_keep, self.act_reveal, self.act_entry, self.act_trash):
            self.details.buttons.add_action(action)
        self._update_actions()

    # --- UI -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_find = make_action(self, "&Find duplicates", self.find_copies, icon="refresh",
                                    tip="Look for copies in the open library folders and the "
                                        "catalogue (F5)")
        self.act_keep = make_action(self, "&Keep this one", self.keep_selected,
                                    shortcut="Ctrl+K", icon="add",
                                    tip="Keep the selected copy and mark the others of its "
                                        "group to remove (nothing is deleted) (Ctrl+K)")
        self.act_trash = make_action(self, "Move marked to &trash…", self.trash_marked,
                                     icon="delete",
                                     tip="Move the marked copies to the trash, after you "
                                         "confirm")
        self.act_reveal = make_action(self, "Show in &folder", self.reveal_selected,
                                      shortcut="Ctrl+Shift+R", icon="folder")
        self.act_entry = make_action(self, "Open catalogue &entry", self.open_entry,
                                     icon="catalog",
                                     tip="Show the selected copy's entry in the Catalogue")

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        bar = QHBoxLayout()
        self.search = SearchBox("Filter by file name", "duplicatesSearch")
        self.search.textChanged.connect(self._apply_filter)
        self.show_combo = QComboBox()
        for label, key in SHOW:
            self.show_combo.addItem(label, key)
        self.show_combo.setToolTip("Which groups to show")
        self.show_combo.currentIndexChanged.connect(self._apply_filter)
        elastic_combo(self.show_combo)
        self.strict_combo = QComboBox()
        threshold = duplicate_threshold(self.context.settings)
        for label, bits in STRICTNESS:
            self.strict_combo.addItem(f"{label} ({bits})", bits)
        if self.strict_combo.findData(threshold) < 0:
            self.strict_combo.addItem(f"Custom ({threshold})", threshold)
        self.strict_combo.setCurrentIndex(self.strict_combo.findData(threshold))
        self.strict_combo.setToolTip(
            f"How alike two images must be to count as copies: bits of 64 that may differ "
            f"(0 to {MAX_THRESHOLD}). Strict finds fewer, surer copies; loose also finds "
            "stronger crops and edits, and more look-alikes.")
        self.strict_combo.currentIndexChanged.connect(self._threshold_changed)
        elastic_combo(self.strict_combo)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_combo)
        bar.addWidget(QLabel("Similarity:"))
        bar.addWidget(self.strict_combo)
        layout.addLayout(bar)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.tree = GroupTree()
        self.tree.currentItemChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.reveal_selected())
        self.empty = EmptyState(
            "duplicates", "Find copies of your images",
            "Looks through the folders open in the Library and the catalogued files for "
            "exact copies and near-copies: resized, re-saved in another format, recoloured, "
            "cropped a little, mirrored. Roblox often refuses pictures taken straight from "
            "the web, and a re-upload wastes an ID.",
            [Button("Find duplicates", self.find_copies, "refresh", primary=True)])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tree)
        layout.addWidget(self.stack, 1)

    # --- hooks ----------------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        return [self.act_find, None, self.act_keep, self.act_trash]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        return {"Edit": [self.act_keep, self.act_trash],
                "Tools": [self.act_find, self.act_reveal, self.act_entry]}

    def details_widget(self) -> QWidget | None:
        return self.details

    def summary(self) -> str:
        if self._worker is not None:
            return "Looking for copies…"
        if self.result is None:
            return "Not searched yet"
        if not self.groups:
            n = self.result.compared
            return f"No copies among {n:,} image{'s' if n != 1 else ''}"
        extra = sum(len(g.members) - 1 for g in self.groups)
        marked = f" · {len(self.tree.marks):,} marked" if self.tree.marks else ""
        return (f"{len(self.groups):,} group{'s' if len(self.groups) != 1 else ''} · "
                f"{extra:,} cop{'ies' if extra != 1 else 'y'}{marked}")

    def activate(self, argument: object = None) -> None:
        if self.result is None and self._worker is None and self._folders():
            self.find_copies()

    def refresh(self) -> None:
        self.find_copies()

    def focus_search(self) -> bool:
        return self.search.focus()

    def copy_selection(self) -> bool:
        member = self.tree.current_member()
        if member is None or member.candidate.asset_id is None:
            return False
        QGuiApplication.clipboard().setText(f"rbxassetid://{member.candidate.asset_id}")
        self.message.emit(f"Copied rbxassetid://{member.candidate.asset_id}", 3000)
        return True

    def save_state(self) -> None:
        self.context.settings.set("duplicates.threshold", self.threshold)

    def shutdown(self) -> None:
        if self._worker is not None:
            self._worker.abort()

    # --- finding --------------------------------------------------------------------------
    @property
    def threshold(self) -> int:
        value = self.strict_combo.currentData()
        return value if isinstance(value, int) else duplicate_threshold(self.context.settings)

    def _folders(self) -> list[str]:
        return [f for f in self.context.settings.get("library.folders") if isinstance(f, str)]

    def find_copies(self) -> None:
        if self._worker is not None:
            self._worker.abort()
        folders = self._folders()
        worker = FunctionWorker(find_duplicates, folders, self.threshold,
                                self.context.catalog.open_catalog, pass_cancel=True)
        self._worker = worker
        self.context.progress.start("Looking for copies", 0, worker.abort)
        self.context.tasks.start(worker, lambda result: self._found(worker, result),
                                 lambda exc: self._failed(worker, exc))
        self.summary_changed.emit(self.summary())

    def _found(self, worker: GeneratorWorker, result: DuplicatesResult) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        self.context.progress.finish()
        self.result = result
        self.groups = result.groups
        paths = {m.candidate.path for g in self.groups for m in g.members}
        self.tree.marks &= paths
        self.tree.show_groups(self.groups, result.thumbnails)
        self._apply_filter()
        self._say_result(result)
        self._selection_changed()
        self.summary_changed.emit(self.summary())

    def _failed(self, worker: GeneratorWorker, exc: BaseException) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        self.context.progress.finish()
        self.problem.emit("Looking for copies", exc)
        self.summary_changed.emit(self.summary())

    def _say_result(self, result: DuplicatesResult) -> None:
        notes = []
        if result.unreadable:
            notes.append(f"{len(result.unreadable):,} file"
                         f"{'s' if len(result.unreadable) != 1 else ''} could not be read and "
                         "were not compared.")
        if result.problems:
            notes.append("Not searched: " + "; ".join(printable(str(p))
                                                      for p in result.problems[:3]) + ".")
        if result.catalogue_note:
            notes.append(printable(result.catalogue_note) + " Compared without the catalogue.")
        if notes:
            self.banner.show_message(" ".join(notes))
        else:
            self.banner.dismiss()
        if not result.groups:
            where = (f"{result.compared:,} images in the open folders"
                     + (f" and {result.catalogued:,} catalogued files" if result.catalogued
                        else ""))
            self.empty.set_heading("No copies found")
            self.empty.set_text(f"Compared {where} at similarity {result.threshold}: every "
                                "image is unique. Open more folders in the Library, or choose "
                                "Loose to also find stronger edits.")
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.tree)

    def _threshold_changed(self, _: int) -> None:
        self.context.settings.set("duplicates.threshold", self.threshold)
        if self.result is not None:
            self.find_copies()

    def _apply_filter(self, *_: object) -> None:
        text = self.search.text().strip().casefold()
        show = self.show_combo.currentData()
        for index, item in enumerate(self.tree.group_items()):
            group = self.groups[index] if index < len(self.groups) else None
            visible = group is not None
            if group is not None and show == "exact":
                visible = group.all_exact
            elif group is not None and show == "catalogued":
                visible = any(m.candidate.catalogued for m in group.members)
            if visible and text and group is not None:
                visible = any(text in os.path.basename(m.candidate.path).casefold()
                              for m in group.members)
            item.setHidden(not visible)

    # --- selection and actions ------------------------------------------------------------
    def _selected(self) -> tuple[Group, Member] | None:
        member = self.tree.current_member()
        index = self.tree.current_group_index()
        if member is None or index is None or index >= len(self.groups):
            return None
        return self.groups[index], member

    def _selection_changed(self, *_: object) -> None:
        chosen = self._selected()
        if chosen is None:
            self.details.show_placeholder("Select an image to compare it with its copies.")
        else:
            group, member = chosen
            thumbs = self.result.thumbnails if self.result else {}
            self.details.show_member(group, member, thumbs, self.tree.marks)
        self._update_actions()
        self.details_changed.emit()

    def _update_actions(self) -> None:
        chosen = self._selected()
        self.act_keep.setEnabled(chosen is not None)
        self.act_reveal.setEnabled(chosen is not None)
        self.act_entry.setEnabled(chosen is not None and chosen[1].candidate.catalogued)
        self.act_trash.setEnabled(bool(self.tree.marks))

    def keep_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            self.message.emit("Select the copy to keep first.", 3000)
            return
        group, member = chosen
        keep = member.candidate.path
        others = {m.candidate.path for m in group.members} - {keep}
        self.tree.marks -= {keep}
        self.tree.marks |= others
        self.tree.refresh_marks()
        self._selection_changed()
        self.message.emit(f"Keeping {os.path.basename(keep)}; {len(others)} marked (nothing "
                          "is deleted yet).", 6000)
        self.summary_changed.emit(self.summary())

    def trash_marked(self) -> None:
        marked = sorted(self.tree.marks)
        if not marked:
            self.message.emit("Mark copies first: select the one to keep and press Keep.",
                              4000)
            return
        catalogued = {m.candidate.path for g in self.groups for m in g.members
                      if m.candidate.catalogued}
        names = "\n".join(printable(p) for p in marked[:12])
        more = f"\n… and {len(marked) - 12} more" if len(marked) > 12 else ""
        warning = ("\n\nSome are catalogued files: their entries keep their IDs but lose "
                   "their local file." if catalogued & set(marked) else "")
        answer = QMessageBox.question(
            self, "Move to trash",
            f"Move {len(marked)} marked file{'s' if len(marked) != 1 else ''} to the "
            f"trash?\n\n{names}{more}{warning}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.context.tasks.run_task(move_to_trash, marked, on_done=self._trashed,
                                    on_error=lambda exc: self.problem.emit(
                                        "Moving copies to the trash", exc))

    def _trashed(self, outcome: tuple[list[str], list[str]]) -> None:
        moved, failed = outcome
        self.tree.marks -= set(moved)
        text = f"Moved {len(moved)} to the trash."
        if failed:
            text += (f" {len(failed)} could not be moved (e.g. {printable(failed[0])}): "
                     "they are still where they were.")
        self.message.emit(text, 8000)
        self.find_copies()

    def reveal_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        path = chosen[1].candidate.path
        problem = desktop.open_local(os.path.dirname(path) or path)
        if problem:
            self.message.emit(problem, 8000)

    def open_entry(self) -> None:
        chosen = self._selected()
        if chosen is None or not chosen[1].candidate.catalogued:
            return
        self.navigate.emit("catalog", chosen[1].candidate.asset_id)


def move_to_trash(paths: list[str]) -> tuple[list[str], list[str]]:
    """(moved, failed): into the desktop's trash (restorable), one file at a time; runs on
    the task pool after the user confirmed."""
    moved: list[str] = []
    failed: list[str] = []
    for path in paths:
        if QFile.moveToTrash(path):
            moved.append(path)
        else:
            log.warning("Could not move %s to the trash", path)
            failed.append(path)
    return moved, failed
