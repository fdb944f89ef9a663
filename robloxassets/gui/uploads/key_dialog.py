"""Tools > Open Cloud key…: paste the key, save it in the system keyring, see what it may do.

Saving asks Roblox about the key first (``core.cloud.keysetup``, the same as ``robloxassets
key set``), on the task runner: the window never waits for the keyring or the network. The
answer shows the key's owner, which upload scopes it has or lacks, and the 60-day rule; the
owner becomes the upload creator unless one is chosen already.

The key is typed into a password field and cleared as soon as it is handed to the save; it
is never shown back, logged, put in a message or on the clipboard. Where there is no system
keyring the dialog says so and explains ``ROBLOXASSETS_API_KEY`` instead.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.cloud import apikey
from robloxassets.core.cloud.keyinfo import LOOKUP_SCOPE, UPLOAD_SCOPES, KeyInfo, scope_need
from robloxassets.core.cloud.keysetup import SavedKey, check_and_save, check_saved
from robloxassets.core.settings import Settings
from robloxassets.core.upload.defaults import prefill_creator
from robloxassets.gui import problems
from robloxassets.gui.style import ERROR_COLOR, GREEN, WARNING_COLOR
from robloxassets.gui.tasks import TaskRunner

INTRO = ("Paste an Open Cloud API key from the Creator Dashboard (Open Cloud > API Keys). It "
         "needs the Assets API with asset:read and asset:write; add legacy-asset:manage to "
         "find the image ID inside uploaded decals. The key is kept in your system keyring, "
         "never in a file, and is never shown again.")
ENV_HELP = (f"To upload anyway, set the environment variable {apikey.ENV} to the key before "
            "starting the app (for example in your shell profile, or in the shortcut that "
            "starts it). The app reads it from there and never stores it.")
CHECKING = "Asking Roblox about the key…"


@dataclass(frozen=True)
class KeyPlace:
    """Where the key stands: no keyring (``problem``), the source of a saved key, the
    keyring's name."""

    problem: str
    source: str  # "", "keyring" or "environment"
    keyring: str


def key_place() -> KeyPlace:
    """Looked up on the task runner: the keyring can take a while to answer (D-Bus)."""
    problem = apikey.keyring_problem()
    try:
        key = apikey.load_key()
    except apikey.ApiKeyError:
        key = None
    return KeyPlace(problem, key.source if key is not None else "", apikey.keyring_name())


def scope_rows(info: KeyInfo) -> str:
    """The scopes as rich text: a green tick or a red cross, and what each is for."""
    rows = []
    for scope in (*UPLOAD_SCOPES, LOOKUP_SCOPE):
        has = info.has(scope)
        needed = scope in UPLOAD_SCOPES
        color = GREEN if has else (ERROR_COLOR if needed else WARNING_COLOR)
        mark = "✓" if has else "✗"
        word = "present" if has else "missing"
        rows.append(f"<span style='color:{color.name()}; font-weight:600'>{mark}</span> "
                    f"<b>{scope}</b> {word} <span>({html.escape(scope_need(scope))})</span>")
    return "<br>".join(rows)


class KeyDialog(QDialog):
    """Signals: ``saved()`` after a key was stored (the Uploads page may start its queue)."""

    saved = Signal()

    def __init__(self, settings: Settings, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Cloud key")
        self.setObjectName("keyDialog")
        self.settings = settings
        self.tasks = tasks
        self.place: KeyPlace | None = None
        self.info: KeyInfo | None = None
        self.busy = False
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.where = QLabel("Looking for the system keyring…")
        self.where.setObjectName("keyWhere")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("keyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste the API key here")
        # No undo history that could hand the key back, and no context menu to copy it.
        self.key_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.key_edit.textChanged.connect(self._validate)
        self.key_edit.returnPressed.connect(self.save)
        layout.addWidget(self.key_edit)
        self.report_label = QLabel()
        self.report_label.setObjectName("keyReport")
        self.report_label.setWordWrap(True)
        self.report_label.setTextFormat(Qt.TextFormat.RichText)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.report_label, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("Save key")
        self.save_button.setDefault(True)
        self.check_button = QPushButton("Check saved key")
        self.forget_button = QPushButton("Forget key")
        for button in (self.save_button, self.check_button, self.forget_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.check_button.clicked.connect(self.check)
        self.forget_button.clicked.connect(self.forget)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._validate()
        self._look()

    # --- where the key is ---------------------------------------------------------------------
    def _look(self) -> None:
        self.tasks.run_task(key_place, on_done=self._placed,
                            on_error=lambda exc: self._show_error(exc))

    def _placed(self, place: KeyPlace) -> None:
        self.place = place
        if place.problem and place.source == "environment":
            # Already done what the advice says: don't tell them to set it.
            self.where.setText(f"<b>{apikey.ENV} is set</b>: that key is used. No system "
                               "keyring is available on this computer, so a key can't be "
                               "saved here.")
            self.key_edit.setPlaceholderText("No system keyring: see above")
        elif place.problem:
            self.where.setText(f"{html.escape(place.problem)}<br>{html.escape(ENV_HELP)}")
            self.key_edit.setPlaceholderText("No system keyring: see above")
            self.key_edit.setPlaceholderText("No system keyring: see above")
        elif place.source == "environment":
            self.where.setText(f"<b>{apikey.ENV} is set</b> and is used while it is; a key "
                               "saved here is used once it is unset.")
        elif place.source == "keyring":
            self.where.setText(f"A key is saved in the system keyring ({place.keyring}). "
                               "Paste another one to replace it.")
        else:
            self.where.setText(f"No key is saved yet. It will be kept in the system keyring "
                               f"({place.keyring}).")
        self._validate()

    def _validate(self) -> None:
        place = self.place
        can_save = place is not None and not place.problem
        self.key_edit.setEnabled(can_save and not self.busy)
        self.save_button.setEnabled(can_save and not self.busy
                                    and bool(self.key_edit.text().strip()))
        has_key = place is not None and bool(place.source)
        self.check_button.setEnabled(has_key and not self.busy)
        self.forget_button.setEnabled(place is not None and place.source == "keyring"
                                      and not self.busy)

    # --- saving, checking, forgetting ----------------------------------------------------------
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        text = self.key_edit.text()
        # Out of the widget at once: from here the text lives only in the task's call.
        self.key_edit.clear()
        self._busy(CHECKING)
        self.tasks.run_task(check_and_save, text, on_done=self._saved,
                            on_error=self._show_error)

    def check(self) -> None:
        self._busy(CHECKING)
        self.tasks.run_task(check_saved, on_done=lambda checked: self._show_info(
            checked.info, f"The key from {self._source_words(checked.source)} works."),
            on_error=self._show_error)

    def forget(self) -> None:
        self._busy("Removing the key…")
        self.tasks.run_task(apikey.forget_key, on_done=self._forgotten,
                            on_error=self._show_error)

    def _busy(self, text: str) -> None:
        self.busy = True
        self.report_label.setText(html.escape(text))
        self._validate()

    def _source_words(self, source: str) -> str:
        return "the system keyring" if source == "keyring" else f"{apikey.ENV}"

    def _saved(self, saved: SavedKey) -> None:
        head = f"Saved the key in the system keyring ({html.escape(saved.keyring)})."
        if saved.environment_wins:
            head += f" Note: {apikey.ENV} is set and is used instead while it is."
        if saved.info is None:
            self.busy = False
            self.report_label.setText(f"{head}<br>It could not be checked now "
                                f"({html.escape(saved.note)}); use Check saved key later.")
        else:
            self._show_info(saved.info, head)
        self.saved.emit()
        self._look()

    def _forgotten(self, removed: bool) -> None:
        self.busy = False
        self.info = None
        self.report_label.setText("Removed the key from the system keyring." if removed
                            else "No key was saved in the system keyring.")
        self._look()

    def _show_info(self, info: KeyInfo, head: str) -> None:
        self.busy = False
        self.info = info
        parts = [html.escape(head), f"<b>{html.escape(info.owner_line())}</b>",
                 scope_rows(info)]
        creator = prefill_creator(self.settings, info)
        if creator is not None:
            parts.append(f"Uploads go to {html.escape(str(creator))} (change it in Upload "
                         "settings).")
        problems_now = info.problems()
        for line in info.notes():
            # What stops uploads in red; the expiry rules (dates, 60 days unused) in amber.
            color = ERROR_COLOR if line in problems_now else WARNING_COLOR
            parts.append(f"<span style='color:{color.name()}'>{html.escape(line)}</span>")
        self.report_label.setText("<br>".join(parts))
        self._validate()

    def _show_error(self, exc: BaseException) -> None:
        self.busy = False
        self.report_label.setText(f"<span style='color:{ERROR_COLOR.name()}'>"
                            f"{html.escape(problems.describe(exc))}</span>")
        self._validate()
