"""The Upload dialog: the images to send, each with its name (from the file name, at most 50
characters, editable), and what they become on Roblox (description, asset type, creator,
privacy, largest side).

Every file is checked in the background as soon as the dialog opens (and again when the
largest side changes) with core's check (``inspect_image``): what can't be converted is
refused with the reason and left out; the rest says the size it will be sent at. The
conversion itself happens in the queue, before anything is sent (``core.upload.prepare``).

At the same time, in a task of its own, every file is compared with the catalogue
(``core.duplicates.catalogued.upload_near_copies``): a near-copy of a catalogued asset says
which ID it looks like and that asset's moderation state in its Check cell (a rejected one in
red: it is likely to be rejected again), and Upload asks before it is queued. Exact copies
are the queue's question, asked after (``UploadsPage._ask_catalogued``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.catalog.model import Status, name_from_file
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.assets import MAX_DESCRIPTION, MAX_DISPLAY_NAME
from robloxassets.core.duplicates.catalogued import (
    CatalogMatch,
    load_catalogue,
    upload_near_copies,
)
from robloxassets.core.errors import UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import ImageInfo, Verdict, inspect_image
from robloxassets.core.settings import Settings, duplicate_threshold
from robloxassets.core.upload.model import UploadOptions, name_for_upload
from robloxassets.gui.style import ERROR_COLOR, WARNING_COLOR
from robloxassets.gui.tasks import GeneratorWorker, TaskRunner
from robloxassets.gui.uploads.settings_form import UploadSettingsForm

NAME, FILE, CHECK = range(3)
CHECKING = "Checking…"


@dataclass(frozen=True)
class Check:
    """What the check says of one file: ``refused`` (with the reason) or how it is sent."""

    path: str
    refused: bool
    text: str


def check_file(path: str, max_side: int) -> Check:
    """Core's check of one file, as the dialog shows it (runs in a pool thread)."""
    info: ImageInfo = inspect_image(path, max_side=max_side)
    if info.verdict is Verdict.CORRUPT or info.target_size is None:
        reason = info.message
        return Check(path, True, reason if reason.startswith("Can't") else
                     f"Can't be uploaded: {reason}")
    width, height = info.target_size
    scaled = " (scaled down)" if (info.width, info.height) != (width, height) else ""
    return Check(path, False, f"Sent as {width} × {height} PNG{scaled}")


def check_files(paths: list[str], max_side: int) -> list[Check]:
    return [check_file(path, max_side) for path in paths]


@dataclass(frozen=True)
class CopyCheck:
    """What the comparison with the catalogue found: near-copies by absolute path, or why
    the files could not be compared (``problem``)."""

    found: dict[str, list[CatalogMatch]]
    problem: str = ""


def find_near_copies(paths: list[str], threshold: int, open_catalog: Callable[[], Catalog],
                     cancel: threading.Event) -> CopyCheck:
    """Runs in the pool: the catalogue's entries are read on a connection of its own (closed
    before any hashing), then its files are hashed (from the scan cache when unchanged)."""
    try:
        catalog = open_catalog()
        try:
            entries = load_catalogue(catalog)
        finally:
            catalog.close()
    except UserError as exc:
        return CopyCheck({}, f"Not compared with the catalogue: {exc.message}")
    return CopyCheck(upload_near_copies(paths, entries, cache=ScanCache(),
                                        threshold=threshold, cancel=cancel))


def copy_line(match: CatalogMatch) -> str:
    """The Check cell's short line for a near-copy: the ID it looks like and its state."""
    ident = match.content_id or "no asset ID yet"
    return f"Looks like '{match.name}' ({ident}, {match.status.label.lower()})"


class _NameDelegate(QStyledItemDelegate):
    """Names are edited in a field that takes at most 50 characters (Roblox's limit)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setMaxLength(MAX_DISPLAY_NAME)
        return editor


class UploadDialog(QDialog):
    """Asks what to upload and how. After ``accept``: ``chosen_paths()``, ``names()`` and
    ``options()`` say it; the settings chosen are remembered for next time."""

    def __init__(self, paths: list[str], settings: Settings, tasks: TaskRunner,
                 parent: QWidget | None = None,
                 open_catalog: Callable[[], Catalog] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Upload to Roblox")
        self.setObjectName("uploadDialog")
        self.paths = list(paths)
        self.tasks = tasks
        self.checks: dict[str, Check] = {}
        self._worker: GeneratorWorker | None = None
        #: Near-copies of catalogued assets by path (None while they are looked for).
        self.copies: dict[str, list[CatalogMatch]] | None = None if open_catalog else {}
        self.copy_problem = ""
        self._copy_worker: GeneratorWorker | None = None
        self.question: QMessageBox | None = None
        self._confirmed = False
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.table = QTableWidget(len(self.paths), 3)
        self.table.setObjectName("uploadFiles")
        self.table.setHorizontalHeaderLabels(["Name on Roblox", "File", "Check"])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setItemDelegateForColumn(NAME, _NameDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CHECK, QHeaderView.ResizeMode.Stretch)
        for row, path in enumerate(self.paths):
            name = QTableWidgetItem(name_for_upload(name_from_file(path) or "Image"))
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Checked)
            name.setToolTip("Double-click to rename (at most 50 characters); untick to leave "
                            "this file out")
            file_item = QTableWidgetItem(os.path.basename(path))
            file_item.setToolTip(path)
            file_item.setFlags(file_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            check = QTableWidgetItem(CHECKING)
            check.setFlags(check.flags() & ~Qt.ItemFlag.ItemIsEditable)
            for column, item in ((NAME, name), (FILE, file_item), (CHECK, check)):
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(FILE)
        self.table.setColumnWidth(FILE, min(self.table.columnWidth(FILE), 180))
        self.table.itemChanged.connect(lambda _item: self._validate())
        layout.addWidget(self.table, 1)

        layout.addWidget(QLabel("Description (optional, shown on Roblox):"))
        self.description = QPlainTextEdit()
        self.description.setObjectName("uploadDescription")
        self.description.setPlaceholderText(f"At most {MAX_DESCRIPTION} characters")
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 3 + 12)
        self.description.textChanged.connect(self._validate)
        layout.addWidget(self.description)

        self.form = UploadSettingsForm(settings)
        self.form.changed.connect(self._validate)
        self.form.prefill_from_key(tasks)
        self.form.max_side.currentIndexChanged.connect(lambda _i: self.recheck())
        layout.addWidget(self.form)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("uploadProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOR.name()};")
        layout.addWidget(self.problem_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.upload_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.upload_button.setText("Upload")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 640)
        self.recheck()
        if open_catalog is not None:
            self._copy_worker = tasks.run_task(
                find_near_copies, [os.path.abspath(p) for p in self.paths],
                duplicate_threshold(settings), open_catalog, pass_cancel=True,
                on_done=self._copies_found, on_error=self._copies_failed)

    # --- checking -----------------------------------------------------------------------------
    def recheck(self) -> None:
        if self._worker is not None:
            self._worker.abort()
        self.checks = {}
        for row in range(self.table.rowCount()):
            self._check_item(row).setText(CHECKING)
        self._worker = self.tasks.run_task(check_files, list(self.paths),
                                           self.form.chosen_side(), on_done=self._checked)
        self._validate()

    def _check_item(self, row: int) -> QTableWidgetItem:
        item = self.table.item(row, CHECK)
        assert item is not None
        return item

    def _checked(self, checks: list[Check]) -> None:
        self._worker = None
        self.checks = {c.path: c for c in checks}
        self.table.blockSignals(True)
        for row, path in enumerate(self.paths):
            check = self.checks.get(path)
            if check is None:
                continue
            item = self._check_item(row)
            item.setText(check.text)
            item.setToolTip(check.text)
            name = self.table.item(row, NAME)
            if check.refused and name is not None:
                item.setForeground(ERROR_COLOR)
                name.setCheckState(Qt.CheckState.Unchecked)
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsUserCheckable
                              & ~Qt.ItemFlag.ItemIsEnabled)
        self.table.blockSignals(False)
        self._show_copies()
        self._validate()

    def _copies_found(self, result: CopyCheck) -> None:
        self._copy_worker = None
        self.copies = result.found
        self.copy_problem = result.problem
        self._show_copies()
        self._validate()

    def _copies_failed(self, exc: BaseException) -> None:
        self._copy_worker = None
        self.copies = {}
        self.copy_problem = ("Not compared with the catalogue: "
                             + (exc.message if isinstance(exc, UserError) else str(exc)))
        self._validate()

    def near_copies(self, path: str) -> list[CatalogMatch]:
        return (self.copies or {}).get(os.path.abspath(path), [])

    def _show_copies(self) -> None:
        """Each checked file's Check cell: how it is sent, then the catalogued assets it looks
        like (rejected ones in red, the others in amber), every sentence in its tooltip."""
        self.table.blockSignals(True)
        for row, path in enumerate(self.paths):
            check = self.checks.get(path)
            if check is None or check.refused:
                continue
            matches = self.near_copies(path)
            item = self._check_item(row)
            lines = [check.text] + [copy_line(m) for m in matches[:2]]
            if len(matches) > 2:
                lines.append(f"… and {len(matches) - 2} more")
            item.setText("\n".join(lines))
            item.setToolTip("\n".join([check.text] + [m.describe() for m in matches]))
            if any(m.status is Status.REJECTED for m in matches):
                item.setForeground(ERROR_COLOR)
            elif matches:
                item.setForeground(WARNING_COLOR)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()  # a refusal's reason and the copies show whole

    @property
    def checked(self) -> bool:
        return (self._worker is None and bool(self.checks) and self._copy_worker is None
                and self.copies is not None)

    # --- what was chosen ----------------------------------------------------------------------
    def refused(self) -> list[Check]:
        return [c for c in self.checks.values() if c.refused]

    def chosen_paths(self) -> list[str]:
        chosen = []
        for row, path in enumerate(self.paths):
            name = self.table.item(row, NAME)
            check = self.checks.get(path)
            if (name is not None and name.checkState() == Qt.CheckState.Checked
                    and check is not None and not check.refused):
                chosen.append(path)
        return chosen

    def names(self) -> dict[str, str]:
        names = {}
        for row, path in enumerate(self.paths):
            item = self.table.item(row, NAME)
            if item is not None and item.text().strip():
                names[path] = name_for_upload(item.text())
        return names

    def options(self) -> UploadOptions:
        creator = self.form.creator()
        assert creator is not None  # the Upload button needs one
        return UploadOptions(creator=creator, asset_type=self.form.chosen_type(),
                             description=self.description.toPlainText().strip(),
                             privacy=self.form.chosen_privacy(),
                             max_side=self.form.chosen_side())

    def _validate(self) -> None:
        chosen = self.chosen_paths() if self.checked else []
        refused = len(self.refused())
        total = len(self.paths)
        if not self.checked:
            text = (f"Checking {total:,} image{'s' if total != 1 else ''} and comparing "
                    f"{'them' if total != 1 else 'it'} with the catalogue… Each one is "
                    "converted to an upload-ready PNG (upright, fitted to the largest side, "
                    "transparency kept) before it is sent.")
        else:
            text = (f"Upload <b>{len(chosen):,}</b> of {total:,} image"
                    f"{'s' if total != 1 else ''} to Roblox. Each one is converted to an "
                    "upload-ready PNG first; the originals are never changed.")
            if refused:
                verb = "are" if refused != 1 else "is"
                text += f" {refused:,} can't be uploaded (see Check) and {verb} left out."
            copies = self.chosen_near_copies()
            if copies:
                rejected = sum(1 for matches in copies.values()
                               if any(m.status is Status.REJECTED for m in matches))
                text += (f" <b>{len(copies):,} look{'s' if len(copies) == 1 else ''} like "
                         "catalogued assets</b> (see Check)"
                         + (f", {rejected:,} like one Roblox rejected" if rejected else "")
                         + ": you are asked before they are sent.")
            if self.copy_problem:
                text += f" {self.copy_problem}"
        self.intro.setText(text)
        problem = self.form.problem()
        if not problem and len(self.description.toPlainText()) > MAX_DESCRIPTION:
            problem = (f"The description is {len(self.description.toPlainText()):,} "
                       f"characters; Roblox takes at most {MAX_DESCRIPTION:,}.")
        if not problem and self.checked and not chosen:
            problem = "No image is left to upload."
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.upload_button.setEnabled(self.checked and bool(chosen) and not problem)

    def chosen_near_copies(self) -> dict[str, list[CatalogMatch]]:
        """The chosen files that look like catalogued assets, with their matches."""
        return {p: m for p in self.chosen_paths() if (m := self.near_copies(p))}

    def accept(self) -> None:
        if not self.upload_button.isEnabled():
            return
        copies = self.chosen_near_copies()
        if copies and not self._confirmed:
            self._ask_near_copies(copies)
            return
        self.form.save()
        super().accept()

    def _ask_near_copies(self, copies: dict[str, list[CatalogMatch]]) -> None:
        """Near-copies of catalogued assets: upload them anyway, leave them out, or go back
        (a rejected one is likely to be rejected again)."""
        lines = [f"{os.path.basename(path)}: {matches[0].describe()}"
                 for path, matches in list(copies.items())[:4]]
        more = f"\n… and {len(copies) - 4} more" if len(copies) > 4 else ""
        chosen = len(self.chosen_paths())
        head = ("This image looks like one already in your catalogue." if chosen == 1 else
                f"{len(copies):,} of these {chosen:,} images look like ones already in your "
                "catalogue.")
        box = QMessageBox(QMessageBox.Icon.Warning, "Near-copies of catalogued assets",
                          head + "\n\n" + "\n".join(lines) + more, parent=self)
        box.setObjectName("nearCopyQuestion")
        anyway = box.addButton("Upload anyway", QMessageBox.ButtonRole.AcceptRole)
        skip = box.addButton("Leave them out", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        if len(copies) == chosen:
            skip.setEnabled(False)  # nothing would be left to upload
        box.buttonClicked.connect(lambda button: self._near_copies_answered(
            button is anyway, button is skip, list(copies)))
        box.finished.connect(lambda _r: setattr(self, "question", None))
        self.question = box
        box.open()

    def _near_copies_answered(self, anyway: bool, skip: bool, paths: list[str]) -> None:
        if skip:
            self.leave_out(paths)
        if anyway or skip:
            self._confirmed = True
            self.accept()

    def leave_out(self, paths: list[str]) -> None:
        """Untick these files (they stay listed)."""
        left = set(paths)
        for row, path in enumerate(self.paths):
            name = self.table.item(row, NAME)
            if path in left and name is not None:
                name.setCheckState(Qt.CheckState.Unchecked)

    def done(self, result: int) -> None:
        for worker in (self._worker, self._copy_worker):
            if worker is not None:
                worker.abort()
        self._worker = self._copy_worker = None
        super().done(result)
