"""The "Prepare for upload" dialog: which images, where to, whether to overwrite."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.images.rules import MAX_TEXTURE_SIDE


def intro_text(count: int, selected: int = 0, unreadable: int = 0, prepared: int = 0) -> str:
    """What the dialog will do, counting what it leaves out: ``count`` images to copy of
    ``selected`` (0: not a selection), ``unreadable`` left out, ``prepared`` with a copy."""
    images = f"image{'s' if count != 1 else ''}"
    if selected and selected != count:
        what = f"<b>{count:,}</b> of the {selected:,} selected images"
    else:
        what = f"<b>{count:,}</b> {images}"
    text = (f"Write upload-ready PNG copies of {what}. Oversized images are scaled down to "
            "fit, transparency is kept and the originals are never changed.")
    if unreadable:
        text += (f" {unreadable:,} selected file{'s' if unreadable != 1 else ''} can't be "
                 f"read and {'are' if unreadable != 1 else 'is'} left out.")
    if prepared:
        text += (f" {prepared:,} already ha{'ve' if prepared != 1 else 's'} a prepared copy: "
                 "an identical copy already in the output folder is not written again.")
    return text


class PrepareDialog(QDialog):
    """Asks for the output folder (remembered by the caller), overwrite and the longest side."""

    def __init__(self, count: int, output_folder: str, max_side: int = MAX_TEXTURE_SIDE,
                 parent: QWidget | None = None, *, selected: int = 0, unreadable: int = 0,
                 prepared: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prepare for upload")
        layout = QVBoxLayout(self)
        intro = QLabel(intro_text(count, selected, unreadable, prepared))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        row = QHBoxLayout()
        self.folder_edit = QLineEdit(output_folder)
        self.folder_edit.setPlaceholderText("Choose a folder for the copies")
        self.folder_edit.textChanged.connect(self._validate)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        form.addRow("Output folder:", row)
        self.max_side = QSpinBox()
        self.max_side.setRange(16, MAX_TEXTURE_SIDE)
        self.max_side.setValue(min(max_side, MAX_TEXTURE_SIDE))
        self.max_side.setSuffix(" px")
        self.max_side.setToolTip("Longest side of the copies. Roblox shows at most 1024 px.")
        form.addRow("Longest side:", self.max_side)
        self.overwrite = QCheckBox("Replace files that already exist in the output folder")
        form.addRow("", self.overwrite)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Prepare")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        self._validate()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _validate(self) -> None:
        ok = bool(self.folder_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    @property
    def folder(self) -> str:
        return self.folder_edit.text().strip()
