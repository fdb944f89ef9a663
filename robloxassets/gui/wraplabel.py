"""A word-wrapped label that stays inside its width whatever it is given.

Qt wraps a label only where a line may break: spaces, hyphens, after a slash. A path with a
long folder name (``Creator_Projects_Synced_With_OneDrive_...``), a file name without
spaces or a pasted token has no such place, so a plain ``QLabel`` runs past its width and
the end of the message is cut off. ``WrapLabel`` shows its text with zero-width spaces in
long words (after separators, else every ``RUN`` characters) and hands back the text as it
was given: ``text()``, ``selectedText()``, Ctrl+C and the context menu's Copy never carry
the zero-width spaces.
"""

from __future__ import annotations

import html
import re

from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, Qt
from PySide6.QtWidgets import QLabel, QMenu, QWidget

ZWSP = "\u200b"
#: The longest run of characters shown without a place to break.
RUN = 24
_SEPARATORS = frozenset("/\\_.,;:=+-)]}>|")
_LONG_WORD = re.compile(r"[^\s\u200b]{" + str(RUN + 1) + ",}")
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")  # tags and entities are never broken


def _break_word(word: str) -> str:
    out: list[str] = []
    run = 0
    for char in word:
        out.append(char)
        run += 1
        if char in _SEPARATORS or run >= RUN:
            out.append(ZWSP)
            run = 0
    return "".join(out).rstrip(ZWSP)


def _break_words(text: str) -> str:
    return _LONG_WORD.sub(lambda match: _break_word(match.group()), text)


def wrappable(text: str, rich: bool = False) -> str:
    """``text`` with a place to break in every long word (markup left whole if ``rich``)."""
    if not rich:
        return _break_words(text)
    parts = _MARKUP.split(text)
    return "".join(part if index % 2 else _break_words(part)
                   for index, part in enumerate(parts))


class WrapLabel(QLabel):
    """A ``QLabel`` that word-wraps and breaks long words (see the module docstring)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._source = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._source = text
        fmt = self.textFormat()
        rich = (fmt == Qt.TextFormat.RichText
                or (fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)))
        super().setText(wrappable(text, rich))

    def text(self) -> str:
        return self._source

    def selectedText(self) -> str:
        return super().selectedText().replace(ZWSP, "")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy) and self.hasSelectedText():
            QGuiApplication.clipboard().setText(self.selectedText())
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if not self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)
        copy = menu.addAction("Copy")
        copy.setEnabled(self.hasSelectedText())
        copy.triggered.connect(
            lambda: QGuiApplication.clipboard().setText(self.selectedText()))
        menu.addAction("Copy all").triggered.connect(
            lambda: QGuiApplication.clipboard().setText(self._plain_source()))
        menu.exec(event.globalPos())

    def _plain_source(self) -> str:
        """The whole text as the user reads it (without markup)."""
        rich = (self.textFormat() == Qt.TextFormat.RichText
                or (self.textFormat() == Qt.TextFormat.AutoText
                    and Qt.mightBeRichText(self._source)))
        if not rich:
            return self._source
        lines = re.sub(r"<br\s*/?>", "\n", self._source)
        return html.unescape(re.sub(r"<[^>]*>", "", lines))
