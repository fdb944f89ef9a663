"""1 MB pasted into the window's text fields (issue 10 follow-up). The entry form's
Description and Notes froze the window for 60 s on 1 MB pasted as one word (Qt's line
breaking is quadratic in a line without places to break): such lines are now shown
unwrapped, and the text is kept whole."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QPlainTextEdit

from robloxassets.gui.textedit import LONG_WORD, LongTextEdit

ONE_WORD = "x" * 1_000_000
NoWrap = QPlainTextEdit.LineWrapMode.NoWrap
Wrap = QPlainTextEdit.LineWrapMode.WidgetWidth


def test_a_pasted_megabyte_word_is_shown_unwrapped_and_kept(qtbot) -> None:
    edit = LongTextEdit()
    qtbot.addWidget(edit)
    edit.show()
    data = QMimeData()
    data.setText(ONE_WORD)
    edit.insertFromMimeData(data)
    assert edit.lineWrapMode() is NoWrap
    assert edit.toPlainText() == ONE_WORD
    edit.setPlainText("short notes\n" + "y" * LONG_WORD)
    assert edit.lineWrapMode() is Wrap  # no word over the limit: wrapped again
    edit.setPlainText("z" * (LONG_WORD + 1))
    assert edit.lineWrapMode() is NoWrap
    edit.clear()
    assert edit.lineWrapMode() is Wrap


def test_the_entry_form_keeps_megabyte_notes_whole(qtbot, main_window) -> None:
    page = main_window.page("catalog")
    main_window.show_page("catalog")
    qtbot.waitUntil(lambda: page.opened, timeout=10000)
    form = page.add_entry()
    assert form is not None
    form.notes_edit.setPlainText(ONE_WORD)
    form.description_edit.setPlainText(("words with spaces " * 60_000)[:1_000_000])
    assert form.notes_edit.lineWrapMode() is NoWrap
    assert form.description_edit.lineWrapMode() is Wrap
    assert len(form.notes_edit.toPlainText()) == 1_000_000
    form.close()
