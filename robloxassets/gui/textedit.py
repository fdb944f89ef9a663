"""A multi-line text field that stays responsive with a huge pasted word.

Qt's line breaking is quadratic in the length of a run without places to break: 1 MB pasted
as one word (minified JSON, base64) froze the entry form's Notes for 60 s. Such text is
shown unwrapped instead (0.35 s for 1 MB, with a horizontal scroll bar), and the text is
kept whole: nothing the user pasted or the catalogue holds is cut.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QPlainTextEdit, QWidget

#: Text with a word longer than this is not wrapped (wrapping one of 4,000 characters
#: costs ~1 ms; 1 MB of ordinary words wraps in 0.3 s).
LONG_WORD = 4000
_LONG = re.compile(r"\S{" + str(LONG_WORD + 1) + "}")


def _has_long_word(text: str) -> bool:
    return len(text) > LONG_WORD and _LONG.search(text) is not None


class LongTextEdit(QPlainTextEdit):
    """A ``QPlainTextEdit`` that wraps its lines unless a word in it is very long."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textChanged.connect(self._rewrap)

    def setPlainText(self, text: str) -> None:
        # Never wrap while a long word is in the document: unwrap before it comes in, wrap
        # again only after it has gone (textChanged does that).
        if _has_long_word(text):
            self._wrap(False)
        super().setPlainText(text)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText() and _has_long_word(source.text()):
            self._wrap(False)  # before the text is laid out
        super().insertFromMimeData(source)

    def _rewrap(self) -> None:
        # Back to wrapping once the long word is gone (deleted or broken up).
        if self.lineWrapMode() is QPlainTextEdit.LineWrapMode.NoWrap:
            self._wrap(not _has_long_word(self.toPlainText()))

    def _wrap(self, wrap: bool) -> None:
        mode = (QPlainTextEdit.LineWrapMode.WidgetWidth if wrap
                else QPlainTextEdit.LineWrapMode.NoWrap)
        if self.lineWrapMode() is not mode:
            self.setLineWrapMode(mode)
