"""Long messages stay whole at 800 px (issue 10 follow-up): a banner, an empty state, the
details panel and the status bar never cut a message off, even one holding a path with a
long folder name and no place to break.

Before ``WrapLabel`` a word wider than its label (the catalogue's path under a synced
folder) made the label's minimum width larger than the room it had, so Qt cut the line;
a status message longer than the status bar was cut at its edge.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from robloxassets.gui.widgets import Banner, EmptyState
from robloxassets.gui.wraplabel import ZWSP, WrapLabel, wrappable

LONG_FOLDER = "Creator_Projects_Synced_With_OneDrive_" * 3
MESSAGE = (f"The catalogue /home/maya/{LONG_FOLDER}/robloxassets/data/catalogue.sqlite3 is a "
           "folder, not a file; move it away so a catalogue can be kept there.")


def test_long_words_get_places_to_break_and_markup_stays_whole() -> None:
    shown = wrappable(MESSAGE)
    assert shown.replace(ZWSP, "") == MESSAGE
    assert max(len(word) for word in shown.replace(ZWSP, " ").split()) <= 24
    assert wrappable("short words stay as they are") == "short words stay as they are"
    rich = wrappable(f"<span style='color:#d1242f'>{LONG_FOLDER}</span> &amp; more", rich=True)
    assert rich.startswith("<span style='color:#d1242f'>") and "&amp;" in rich
    assert ZWSP in rich


def test_a_wrap_label_gives_back_the_text_it_was_given(qtbot) -> None:
    label = WrapLabel(MESSAGE)
    qtbot.addWidget(label)
    assert label.text() == MESSAGE
    label.setSelection(0, len(MESSAGE) + 20)
    assert ZWSP not in label.selectedText()


def test_banner_and_empty_state_fit_a_narrow_page(qtbot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_message(MESSAGE, [("Try again", lambda: None)])
    banner.resize(620, 200)
    assert banner.label.minimumSizeHint().width() <= 300
    empty = EmptyState("catalog", "The catalogue can't be opened", MESSAGE)
    qtbot.addWidget(empty)
    label = empty._text
    assert label.minimumSizeHint().width() <= EmptyState.TEXT_WIDTH
    assert label.minimumHeight() >= 3 * label.fontMetrics().height()


def test_the_window_at_800_px_shows_long_messages_whole(qtbot, main_window) -> None:
    def there() -> bool:  # the dock moves below first, then the window gets there
        main_window.resize(800, 700)
        return main_window.width() == 800

    qtbot.waitUntil(there, timeout=5000)
    main_window.show_message(MESSAGE, 10000)
    assert main_window.notice.isVisible()
    assert main_window.notice.label.text() == MESSAGE
    assert main_window.statusBar().currentMessage() == MESSAGE
    main_window.show_message("Copied.", 3000)
    assert not main_window.notice.isVisible()
    main_window.show_message(MESSAGE, 10000)
    main_window.statusBar().clearMessage()
    assert not main_window.notice.isVisible()
    QApplication.processEvents()
