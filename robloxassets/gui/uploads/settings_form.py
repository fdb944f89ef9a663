"""Upload settings where the user chooses them: creator (user or group ID), asset type
(Image or Decal, the difference explained), asset privacy (with open use's one-way warning)
and the largest side (with its trade-off). The words and defaults are core's
(``core.upload.defaults``, ``core.images.rules``); this form only shows and keeps them.

Used inside the Upload dialog and as Tools > Upload settings….
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.cloud.assets import AssetType, Creator, Privacy
from robloxassets.core.cloud.keysetup import CheckedKey, check_saved
from robloxassets.core.images.rules import LARGEST_SIDE_CHOICES, LARGEST_SIDE_HELP
from robloxassets.core.settings import Settings, largest_side
from robloxassets.core.upload.defaults import (
    ASSET_TYPE_HELP,
    PRIVACY_HELP,
    prefill_creator,
    remember_asset_type,
    remember_creator,
    remember_privacy,
    saved_asset_type,
    saved_creator,
    saved_privacy,
)
from robloxassets.gui.style import WARNING_COLOR
from robloxassets.gui.tasks import TaskRunner

PRIVACY_LABELS = {Privacy.DEFAULT: "Default (your account's choice)",
                  Privacy.RESTRICTED: "Restricted (only you or your group)",
                  Privacy.OPEN_USE: "Open use (anyone)"}
OPEN_USE_WARNING = ("Open use can't be undone: once uploaded, anyone may use these images "
                    "in their experiences, and they can't be made restricted again.")
NO_CREATOR = ("Give the user or group ID the uploads belong to (saving an Open Cloud key "
              "fills in its owner).")


def _help_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    return label


def _with_help(field: QWidget, *helps: QWidget) -> QWidget:
    """A field with its explanation right under it (one form row, so no row gap between)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 4)
    layout.setSpacing(3)
    layout.addWidget(field)
    for help_widget in helps:
        layout.addWidget(help_widget)
    return box


class UploadSettingsForm(QWidget):
    """The four choices. Signals: ``changed()`` whenever one changes."""

    changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.creator_kind = QComboBox()
        self.creator_kind.addItem("User", "user")
        self.creator_kind.addItem("Group", "group")
        self.creator_id = QLineEdit()
        self.creator_id.setObjectName("creatorId")
        self.creator_id.setPlaceholderText("ID number")
        self.creator_id.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{1,19}")))
        row = QHBoxLayout()
        row.addWidget(self.creator_kind)
        row.addWidget(self.creator_id, 1)
        form.addRow("Creator:", row)

        self.asset_type = QComboBox()
        self.asset_type.setObjectName("assetType")
        self.asset_type.addItem("Image (for scripts)", AssetType.IMAGE)
        self.asset_type.addItem("Decal (Toolbox and Creator Store)", AssetType.DECAL)
        self.type_help = _help_label()
        form.addRow("Upload as:", _with_help(self.asset_type, self.type_help))

        self.privacy = QComboBox()
        self.privacy.setObjectName("privacy")
        for privacy, label in PRIVACY_LABELS.items():
            self.privacy.addItem(label, privacy)
        self.privacy_help = _help_label()
        self.privacy_help.setText(PRIVACY_HELP)
        self.privacy_warning = QLabel(OPEN_USE_WARNING)
        self.privacy_warning.setWordWrap(True)
        self.privacy_warning.setStyleSheet(f"color: {WARNING_COLOR.name()}; font-weight: 600;")
        form.addRow("Privacy:", _with_help(self.privacy, self.privacy_help,
                                           self.privacy_warning))

        self.max_side = QComboBox()
        self.max_side.setObjectName("maxSide")
        for side in LARGEST_SIDE_CHOICES:
            self.max_side.addItem(f"{side} × {side} px" + (" (default)" if side == 1024
                                                          else ""), side)
        self.side_help = _help_label()
        self.side_help.setText(LARGEST_SIDE_HELP)
        form.addRow("Largest side:", _with_help(self.max_side, self.side_help))

        self.load()
        for combo in (self.creator_kind, self.asset_type, self.privacy, self.max_side):
            combo.currentIndexChanged.connect(self._changed)
        self.creator_id.textChanged.connect(self._changed)
        self._changed()

    # --- values -------------------------------------------------------------------------------
    def load(self) -> None:
        creator = saved_creator(self.settings)
        if creator is not None:
            self.set_creator(creator)
        self.asset_type.setCurrentIndex(self.asset_type.findData(saved_asset_type(self.settings)))
        self.privacy.setCurrentIndex(self.privacy.findData(saved_privacy(self.settings)))
        self.max_side.setCurrentIndex(max(self.max_side.findData(largest_side(self.settings)),
                                          0))

    def prefill_from_key(self, tasks: TaskRunner) -> None:
        """With no creator chosen, ask Roblox in the background who owns the key in use and
        fill it in. Saving a key does that; a key from ROBLOXASSETS_API_KEY is never saved
        in the app, so without this the creator stayed empty."""
        if saved_creator(self.settings) is not None or self.creator_id.text():
            return
        # No key, offline...: the creator stays empty and the form says to give one.
        tasks.run_task(check_saved, on_done=self._key_checked, on_error=lambda _exc: None)

    def _key_checked(self, checked: CheckedKey) -> None:
        if self.creator_id.text() or saved_creator(self.settings) is not None:
            return  # the user typed one meanwhile
        creator = prefill_creator(self.settings, checked.info)
        if creator is not None:
            self.set_creator(creator)

    def set_creator(self, creator: Creator) -> None:
        self.creator_kind.setCurrentIndex(self.creator_kind.findData(creator.kind))
        self.creator_id.setText(str(creator.id))

    def creator(self) -> Creator | None:
        try:
            return Creator(self.creator_kind.currentData(), int(self.creator_id.text()))
        except ValueError:
            return None

    def chosen_type(self) -> AssetType:
        return AssetType(self.asset_type.currentData())

    def chosen_privacy(self) -> Privacy:
        return Privacy(self.privacy.currentData())

    def chosen_side(self) -> int:
        return int(self.max_side.currentData())

    def problem(self) -> str:
        return NO_CREATOR if self.creator() is None else ""

    def save(self) -> None:
        """Remember the choices (the settings file is written when the window closes)."""
        creator = self.creator()
        if creator is not None:
            remember_creator(self.settings, creator)
        remember_asset_type(self.settings, self.chosen_type())
        remember_privacy(self.settings, self.chosen_privacy())
        self.settings.set("images.max_side", self.chosen_side())

    def _changed(self, *_args: object) -> None:
        self.type_help.setText(ASSET_TYPE_HELP[self.chosen_type()])
        self.privacy_warning.setVisible(self.chosen_privacy() is Privacy.OPEN_USE)
        self.changed.emit()


class UploadSettingsDialog(QDialog):
    """Tools > Upload settings…: the form with OK and Cancel."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Upload settings")
        layout = QVBoxLayout(self)
        self.form = UploadSettingsForm(settings)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.form.changed.connect(self._validate)
        self._validate()
        self.resize(560, self.sizeHint().height())

    def _validate(self) -> None:
        # An empty creator is allowed here: the next saved key fills it in.
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            not self.form.creator_id.text() or self.form.creator() is not None)

    def accept(self) -> None:
        self.form.save()
        super().accept()
