"""The add/edit form of a catalogue entry, checking as the user types.

ID fields take anything the asset ID parser reads (a number, ``rbxassetid://``, any Roblox
address) and say what they found. Saving goes through a callback, so a problem found only
then (the ID was taken by another window meanwhile, the catalogue is busy) is shown in the
form, which stays open with everything typed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.assetid import AssetIdError, parse_asset_id
from robloxassets.core.catalog import rules
from robloxassets.core.catalog.hashing import FileFacts, check_path_text, file_facts
from robloxassets.core.catalog.model import Entry, Status, name_from_file, parse_tags
from robloxassets.core.catalog.store import Catalog, DuplicateAssetError
from robloxassets.core.errors import UserError
from robloxassets.gui import problems
from robloxassets.gui.catalog_access import CatalogAccess, WriteHandle
from robloxassets.gui.style import ERROR_COLOR, WARNING_COLOR
from robloxassets.gui.tasks import TaskRunner
from robloxassets.gui.textedit import LongTextEdit
from robloxassets.gui.widgets import image_file_filter
from robloxassets.gui.wraplabel import WrapLabel

log = logging.getLogger(__name__)



def _hint_label() -> QLabel:
    label = WrapLabel()  # a long path in a hint wraps instead of widening the form
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def _tint(label: QLabel, color: QColor | None) -> None:
    """Colour a hint: an accent for problems, the palette's placeholder colour otherwise."""
    palette = label.palette()
    if color is None:
        color = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)


class IdField(QWidget):
    """A line edit for an asset ID in any form, with a line saying what it read.

    Signals: ``changed()`` when the text changes.
    """

    changed = Signal()

    def __init__(self, placeholder: str, help_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_text = help_text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.line.setClearButtonEnabled(True)
        self.hint = _hint_label()
        layout.addWidget(self.line)
        layout.addWidget(self.hint)
        self.line.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.line.text().strip()

    def set_value(self, value: int | None) -> None:
        self.line.setText("" if value is None else str(value))

    def value(self) -> int | None:
        """The parsed ID; None when empty. Raises ``AssetIdError`` when unreadable."""
        if not self.text():
            return None
        return parse_asset_id(self.text()).asset_id

    def _update(self) -> None:
        text = self.text()
        if not text:
            self.show_hint(self.help_text)
        else:
            try:
                parsed = parse_asset_id(text)
            except AssetIdError as exc:
                self.show_hint(exc.message.split(" Expected")[0] + " Paste a number, "
                               "rbxassetid://N or the asset's Roblox address.", ERROR_COLOR)
            else:
                if parsed.form == "a number":
                    self.show_hint(f"Asset ID {parsed.asset_id}.")
                else:
                    self.show_hint(f"Asset ID {parsed.asset_id}, read from {parsed.form}.")
        self.changed.emit()

    def show_hint(self, text: str, color: QColor | None = None) -> None:
        self.hint.setText(text)
        _tint(self.hint, color)


class EntryForm(QDialog):
    """Add or edit one entry; it checks as the user types and never waits for the database.

    Rules that need no database are checked on every change (``catalog.rules``); whether an
    ID is already recorded, or the file already catalogued, is asked of the catalogue in the
    background a moment after typing pauses (``CHECK_DELAY_MS``), and shown when the answer
    is in. Save emits ``save_requested(entry)``; the page writes it and answers with
    ``saved_ok(stored)`` (the form closes, ``saved`` holds the entry) or ``save_failed(exc)``
    (the form stays open with everything typed). While the catalogue is locked by another
    program the form says it is waiting; Cancel then abandons the save.

    Signals: ``save_requested(object)``; ``show_existing(int)``: the user chose to see the
    entry that already has this ID (the form closes).
    """

    save_requested = Signal(object)
    show_existing = Signal(int)

    CHECK_DELAY_MS = 150

    def __init__(self, catalog: CatalogAccess, tasks: TaskRunner, entry: Entry,
                 tags: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.tasks = tasks
        self.original = entry
        self.saved: Entry | None = None
        self._facts_pending = False
        self._facts: FileFacts | None = None
        self._exact_path = ""  # the File field's path as given (see _set_file_text)
        self._shown_path = ""
        # Answers of the catalogue, each for the values it was asked about.
        self._duplicate: tuple[tuple[int | None, int | None], DuplicateAssetError | None] | None
        self._duplicate = None
        self._same_image: tuple[str, Entry | None] | None = None
        self._checks = 0  # catalogue checks on their way
        self._save_handle: WriteHandle | None = None
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(self.CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check_ids)
        catalog.waiting.connect(self._waiting)
        self.editing = entry.id is not None
        self.setWindowTitle("Edit entry" if self.editing else "Record asset ID")
        self.setMinimumWidth(560)

        self.decal_field = IdField("e.g. 46059313 or https://create.roblox.com/store/asset/...",
                                   "The decal's ID, as the website and Toolbox show it.")
        self.image_field = IdField("e.g. rbxassetid://46059300",
                                   "The image's ID, which scripts need. Put the decal on a part "
                                   "in Studio and its Texture shows the image ID.")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Shown in the catalogue; becomes the key in "
                                          "exported code")
        self.status_combo = QComboBox()
        for status in Status:
            self.status_combo.addItem(status.label, status)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("Comma-separated, e.g. ui, shop")
        if tags:
            self.tags_edit.setToolTip("Tags in use: " + ", ".join(tags[:40]))
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("The local image this asset was uploaded from")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.file_hint = _hint_label()
        file_box = QVBoxLayout()
        file_box.setSpacing(2)
        file_box.addLayout(file_row)
        file_box.addWidget(self.file_hint)
        self.creator_combo = QComboBox()
        self.creator_combo.addItem("Not recorded", None)
        for kind in rules.CREATOR_TYPES:
            self.creator_combo.addItem(kind.capitalize(), kind)
        self.creator_id = QLineEdit()
        self.creator_id.setPlaceholderText("User or group ID")
        creator_row = QHBoxLayout()
        creator_row.addWidget(self.creator_combo)
        creator_row.addWidget(self.creator_id, 1)
        self.description_edit = LongTextEdit()
        self.description_edit.setFixedHeight(54)
        self.notes_edit = LongTextEdit()
        self.notes_edit.setFixedHeight(70)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Decal ID", self.decal_field)
        form.addRow("&Image ID", self.image_field)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Status", self.status_combo)
        form.addRow("&Tags", self.tags_edit)
        for text, layout_, buddy in (("&File", file_box, self.file_edit),
                                     ("&Creator", creator_row, self.creator_combo)):
            label = QLabel(text)
            label.setBuddy(buddy)  # a row holding a layout gets no mnemonic by itself
            form.addRow(label, layout_)
        form.addRow("Descri&ption", self.description_edit)
        form.addRow("N&otes", self.notes_edit)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.RichText)
        self.problem_label.linkActivated.connect(self._link)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        self._fill(entry)
        for field in (self.decal_field, self.image_field):
            field.changed.connect(self.validate)
            field.changed.connect(self._check_timer.start)
        self.name_edit.textChanged.connect(self.validate)
        self.creator_combo.currentIndexChanged.connect(self.validate)
        self.creator_id.textChanged.connect(self.validate)
        self.file_edit.editingFinished.connect(self._file_edited)
        self.validate()
        self._check_ids()
        self.decal_field.line.setFocus()

    # --- filling and reading -------------------------------------------------------------
    def _fill(self, entry: Entry) -> None:
        self.decal_field.set_value(entry.decal_id)
        self.image_field.set_value(entry.image_id)
        self.name_edit.setText(entry.name)
        self.status_combo.setCurrentIndex(list(Status).index(entry.status))
        self.tags_edit.setText(", ".join(entry.tags))
        self._set_file_text(entry.file_path)
        index = self.creator_combo.findData(entry.creator_type)
        self.creator_combo.setCurrentIndex(max(index, 0))
        self.creator_id.setText("" if entry.creator_id is None else str(entry.creator_id))
        self.description_edit.setPlainText(entry.description)
        self.notes_edit.setPlainText(entry.notes)
        if entry.file_path and entry.sha256:
            self._facts = FileFacts(entry.file_path, entry.sha256, entry.width, entry.height)
            self._show_facts(self._facts)
        elif entry.file_path:
            self._read_file(entry.file_path)
        else:
            self.file_hint.setText("Its content hash links the entry to the file, even after "
                                   "renaming or moving it.")
            _tint(self.file_hint, None)

    def entry(self) -> Entry:
        """The entry as typed (raises ``UserError``/``AssetIdError`` if a field is unreadable)."""
        creator_type = self.creator_combo.currentData()
        creator_id = (rules.parse_creator_id(self.creator_id.text())
                      if creator_type is not None else None)
        facts = self._facts
        path = self._file_text()
        changes = {
            "decal_id": self.decal_field.value(),
            "image_id": self.image_field.value(),
            "name": self.name_edit.text(),
            "status": Status(self.status_combo.currentData()),
            "tags": parse_tags(self.tags_edit.text()),
            "file_path": path,
            "creator_type": creator_type,
            "creator_id": creator_id,
            "description": self.description_edit.toPlainText().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
        }
        if not path:
            changes.update(sha256=None, width=None, height=None)
        elif facts is not None and facts.path == path:
            changes.update(sha256=facts.sha256, width=facts.width, height=facts.height)
        return self.original.with_changes(**changes)

    # --- checking as the user types --------------------------------------------------------
    def validate(self) -> bool:
        """Check every field; show the first problem; enable Save only when all is well.

        Something still to fill in is said in the hint colour; a real mistake (an unreadable
        or duplicate ID) in red. No database work happens here: the catalogue's answers
        (``_check_ids``, ``_check_image``) are used when they are in.
        """
        problem = self._problem()
        note = self._same_image_note()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(problem is None and not self._facts_pending
                        and self._save_handle is None)
        lines = []
        if note:
            lines.append(_colored(note, WARNING_COLOR))
        if problem is not None:
            text, mistake = problem
            lines.append(_colored(text, ERROR_COLOR if mistake else None))
        self.problem_label.setText("<br>".join(lines))
        return problem is None

    def _ids(self) -> tuple[int | None, int | None]:
        """(decal ID, image ID) as typed; raises ``AssetIdError`` if one can't be read."""
        return self.decal_field.value(), self.image_field.value()

    def _problem(self) -> tuple[str, bool] | None:
        """The first problem as (HTML, whether it is a mistake rather than something still
        to fill in), or None. The rules are core's (``catalog.rules``)."""
        for kind, field in (("decal", self.decal_field), ("image", self.image_field)):
            try:
                field.value()
            except AssetIdError:
                return f"The {kind} ID can't be read (see under it).", True
        ids = self._ids()
        try:
            rules.check_ids(*ids)
        except UserError as exc:
            return _html(exc.message), not isinstance(exc, rules.MissingValue)
        if self._duplicate is not None and self._duplicate[0] == ids:
            duplicate = self._duplicate[1]
            if duplicate is not None:
                existing = duplicate.existing
                return (f"The {duplicate.kind} ID {duplicate.asset_id} is already recorded as "
                        f"<b>{_html(existing.name)}</b>. "
                        f"<a href='entry:{existing.id}'>Show that entry</a>"), True
        try:
            check_path_text(self._file_text())
            rules.check_name(self.name_edit.text())
            if self.creator_combo.currentData() is not None:
                rules.parse_creator_id(self.creator_id.text())
        except UserError as exc:
            return _html(exc.message), not isinstance(exc, rules.MissingValue)
        return None

    def _check_ids(self) -> None:
        """Ask the catalogue whether another entry has these IDs (``Catalog.duplicate_of``)."""
        try:
            ids = self._ids()
        except AssetIdError:
            return
        if ids == (None, None) or (self._duplicate is not None and self._duplicate[0] == ids):
            return
        own_id = self.original.id
        probe = Entry(name="", decal_id=ids[0], image_id=ids[1])
        self._checks += 1

        def answered(duplicate: DuplicateAssetError | None) -> None:
            self._checks -= 1
            self._duplicate = (ids, duplicate)
            self.validate()

        self.catalog.read(lambda catalog: catalog.duplicate_of(probe, own_id),
                          on_done=answered, on_error=self._check_failed)

    def _check_image(self, digest: str) -> None:
        """Ask the catalogue whether another entry has this image (by its content hash)."""
        own_id = self.original.id
        self._checks += 1

        def find(catalog: Catalog) -> Entry | None:
            others = [e for e in catalog.find_by_sha256([digest]).get(digest, [])
                      if e.id != own_id]
            return others[0] if others else None

        def answered(other: Entry | None) -> None:
            self._checks -= 1
            self._same_image = (digest, other)
            self.validate()

        self.catalog.read(find, on_done=answered, on_error=self._check_failed)

    def _check_failed(self, exc: BaseException) -> None:
        # Saving checks again (the store refuses duplicates), so this only costs the hint.
        self._checks -= 1
        problems.log_bug("Checking the entry against the catalogue", exc)

    @property
    def checking(self) -> bool:
        """A catalogue check is on its way (or about to start)."""
        return self._checks > 0 or self._check_timer.isActive()

    def _same_image_note(self) -> str | None:
        facts = self._facts
        if facts is None or self._file_text() != facts.path:
            return None
        if self._same_image is None or self._same_image[0] != facts.sha256:
            return None
        other = self._same_image[1]
        if other is None:
            return None
        return (f"This image is already catalogued as <b>{_html(other.name)}</b> "
                f"({other.ids_text}). Uploading it again makes a second asset. "
                f"<a href='entry:{other.id}'>Show that entry</a>")

    def _show_problem(self, html: str, color: QColor | None) -> None:
        self.problem_label.setText(_colored(html, color))

    def _link(self, link: str) -> None:
        if link.startswith("entry:"):
            self.show_existing.emit(int(link.split(":", 1)[1]))
            self.reject()

    # --- the file --------------------------------------------------------------------------
    def _set_file_text(self, path: str) -> None:
        """Show ``path`` in the File field, remembering it exactly: a path that isn't UTF-8
        (lone surrogates) loses its undecodable bytes in Qt's strings, and the entry must
        record the real file, not the shown text."""
        self.file_edit.setText(path)
        self._exact_path = path
        self._shown_path = self.file_edit.text()

    def _file_text(self) -> str:
        """The File field's path: the one given, unless the user has typed another."""
        text = self.file_edit.text().strip()
        if self._exact_path and text == self._shown_path.strip():
            return self._exact_path.strip()
        return text

    def _browse(self) -> None:
        start = self._file_text() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Choose the local image", start,
                                              image_file_filter(all_files=True))
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> None:
        """Use ``path`` as the entry's file and read its hash and size in the background."""
        self._set_file_text(path)
        self._read_file(path)
        if not self.name_edit.text().strip():
            self.name_edit.setText(name_from_file(path))

    def _file_edited(self) -> None:
        path = self._file_text()
        if not path:
            self._facts = None
            self.file_hint.clear()
            self.validate()
        elif self._facts is None or self._facts.path != path:
            self._read_file(path)

    def _read_file(self, path: str) -> None:
        self._facts_pending = True
        self.file_hint.setText("Reading the file…")
        _tint(self.file_hint, None)
        self.validate()
        self.tasks.run_task(file_facts, path, on_done=self._facts_read,
                            on_error=self._facts_failed)

    def _facts_read(self, facts: FileFacts) -> None:
        self._facts_pending = False
        self._facts = facts
        if self._file_text() != facts.path:
            self._set_file_text(facts.path)
        self._show_facts(facts)
        self.validate()

    def _facts_failed(self, exc: BaseException) -> None:
        self._facts_pending = False
        self._facts = None
        problems.log_bug("Reading the entry's file", exc)
        self.file_hint.setText(problems.describe(exc)
                               + " The entry is saved without a content hash.")
        _tint(self.file_hint, WARNING_COLOR)
        self.validate()

    def _show_facts(self, facts: FileFacts) -> None:
        size = f"{facts.width} x {facts.height} · " if facts.width and facts.height else ""
        self.file_hint.setText(f"{size}SHA-256 {facts.sha256[:12]}…")
        _tint(self.file_hint, None)
        self._check_image(facts.sha256)

    # --- saving ----------------------------------------------------------------------------
    def accept(self) -> None:
        # Save waits for the file's hash (read in the background): an entry saved without it
        # would never link to its Library file.
        if not self.validate() or self._facts_pending or self._save_handle is not None:
            return
        try:
            entry = self.entry()
        except UserError as exc:
            self._show_problem(_html(exc.message), ERROR_COLOR)
            return
        self.save_requested.emit(entry)

    def saving(self, handle: WriteHandle) -> None:
        """The page is writing the entry (``handle`` cancels it while it waits)."""
        self._save_handle = handle
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self._show_problem("Saving…", None)
        if self.catalog.is_waiting:
            self._waiting(True)

    def _waiting(self, waiting: bool) -> None:
        if self._save_handle is not None and waiting:
            self._show_problem("Waiting for the catalogue: another window or the command line "
                               "is writing to it. The entry is saved as soon as it is free; "
                               "Cancel gives up.", WARNING_COLOR)
        elif self._save_handle is not None:
            self._show_problem("Saving…", None)

    def saved_ok(self, stored: Entry) -> None:
        self._save_handle = None
        self.saved = stored
        super().accept()

    def save_failed(self, exc: BaseException) -> None:
        """Show why the entry was not saved; everything typed stays."""
        self._save_handle = None
        problems.log_bug("Saving the entry", exc)
        self.validate()
        self._show_problem(_html(problems.describe(exc)), ERROR_COLOR)

    def reject(self) -> None:
        if self._save_handle is not None:
            self._save_handle.cancel()  # only stops it while it waits for the lock
            self._save_handle = None
        super().reject()


def _colored(html: str, color: QColor | None) -> str:
    if color is None:
        color = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    return f"<span style='color:{color.name()}'>{html}</span>"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
