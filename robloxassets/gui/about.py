"""Help > About: the version, the project's licence and those of everything the app ships with.

The texts come from ``core.licences`` (installed metadata and ``resources/licences``); they
are read on the task runner, never on the UI thread, and the list fills in when they arrive.
One dialog per window: asking again raises the open one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from robloxassets import __version__
from robloxassets.core import licences, paths
from robloxassets.gui import icons, problems
from robloxassets.gui.tasks import TaskRunner

#: Shown in the text view until the licences have been read.
LOADING_TEXT = "Reading the licences…"


@dataclass(frozen=True)
class AboutContents:
    """Everything the dialog shows that comes from the disk."""

    licences: list[licences.Licence]
    data: Path
    cache: Path
    config: Path


def read_contents() -> AboutContents:
    """Runs on the task runner: the licence texts and the folders (which it creates)."""
    return AboutContents(licences.every_licence(), paths.data_dir(), paths.cache_dir(),
                         paths.config_dir())


def entry_label(licence: licences.Licence) -> str:
    """One line of the list: name and version ("pillow 12.0.0")."""
    return f"{licence.name} {licence.version}".strip()


def licence_line(licence: licences.Licence) -> str:
    """Above the text: the component and its licence's SPDX expression."""
    return f"{entry_label(licence)}: {licence.spdx}"


class AboutDialog(QDialog):
    """Non-modal. ``list`` names each component; selecting one shows its full text in
    ``text``, under ``licence_label`` (its SPDX expression). ``loaded`` is True once the
    texts have arrived."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self.setWindowTitle("About Roblox Assets")
        self.loaded = False
        self._licences: list[licences.Licence] = []

        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(QSize(64, 64)))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(f"<b style='font-size:large'>Roblox Assets {__version__}</b>")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        intro = QLabel(
            "Check decals against Roblox's rules, find duplicates, upload them through Open "
            "Cloud, keep track of their asset IDs and look up error codes.<br>Free software "
            "under the MIT licence.")
        intro.setWordWrap(True)
        self.qt_notice = QLabel(
            f"Built with Qt {qVersion()} and PySide6 {PySide6.__version__}, used under the "
            "GNU LGPL version 3: select PySide6_Essentials below for the notice, the licence "
            "and where their source code is.")
        self.qt_notice.setWordWrap(True)
        self.folders = QLabel()
        self.folders.setWordWrap(True)
        self.folders.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header_text = QVBoxLayout()
        for label in (self.heading, intro, self.qt_notice, self.folders):
            header_text.addWidget(label)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addLayout(header_text, 1)

        self.list = QListWidget()
        self.list.setObjectName("licences")
        self.list.setMinimumWidth(220)
        self.licence_label = QLabel()
        self.licence_label.setWordWrap(True)
        self.licence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(LOADING_TEXT)
        self.text.setObjectName("licence-text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addWidget(self.licence_label)
        reader_layout.addWidget(self.text, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(reader)
        splitter.setStretchFactor(1, 1)
        # Wide enough for the licences' 80 columns in the fixed-width font.
        splitter.setSizes([230, 660])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(QLabel("Licences of the app and of everything it includes:"))
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(920, 600)

        self.list.currentRowChanged.connect(self._show_text)
        tasks.run_task(read_contents, on_done=self._loaded, on_error=self._failed)

    def select(self, name: str) -> bool:
        """Show the text of the component called ``name`` (False if there is none)."""
        for row, licence in enumerate(self._licences):
            if licence.name.lower() == name.lower():
                self.list.setCurrentRow(row)
                return True
        return False

    def _loaded(self, contents: AboutContents) -> None:
        self._licences = contents.licences
        self.folders.setText(f"Data: {contents.data}<br>Cache: {contents.cache}<br>"
                             f"Settings: {contents.config}")
        for licence in contents.licences:
            item = QListWidgetItem(entry_label(licence))
            item.setToolTip(licence_line(licence))
            self.list.addItem(item)
        self.loaded = True
        self.list.setCurrentRow(0)

    def _failed(self, exc: BaseException) -> None:
        problems.log_bug("Reading the licences", exc)
        self.text.setPlainText(problems.sentence("Reading the licences", exc))

    def _show_text(self, row: int) -> None:
        if 0 <= row < len(self._licences):
            licence = self._licences[row]
            self.licence_label.setText(f"<b>{html.escape(licence_line(licence))}</b>")
            self.text.setPlainText(licence.text)
            self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
