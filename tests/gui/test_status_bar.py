"""The status bar at 800 px during a batch: the message ends in "…" where its room ends
instead of being cut under the progress count, the summary takes at most a quarter of the
bar, and both keep their full text (``currentMessage()``, ``text()``) for the tooltip. At
full size nothing is elided and the progress widget takes only its own room."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from robloxassets.gui.mainwindow import NARROW_WIDTH
from robloxassets.gui.statusbar import StatusBar
from tests.gui.test_narrow import resize_to

MESSAGE = ("Moderation: 12 approved, 3 rejected, 40 still in review, 2 not read (Roblox is "
           "unavailable right now; trying again in 30 s).")
SUMMARY = ("13 uploading · 40 in review · 1 needs a decision · 2 failed · 12 approved · "
           "3 rejected")

#: What the issue's screenshot showed, at full size.
SHORT = "Moderation: 2 approved, 1 rejected."
SHORT_SUMMARY = "3 uploading · 2 in review · 1 needs a decision · 1 failed"


def _batch(window, message: str = MESSAGE, summary: str = SUMMARY  # type: ignore[no-untyped-def]
           ) -> StatusBar:
    window.show_page("uploads")
    window.progress.start("Uploading", 3, lambda: None)
    window.summary_label.setText(summary)
    window.show_message(message, 0)
    bar = window.statusBar()
    assert isinstance(bar, StatusBar)
    return bar


def test_at_800_px_the_message_is_elided_beside_the_progress(qtbot, main_window) -> None:
    resize_to(qtbot, main_window, NARROW_WIDTH)
    bar = _batch(main_window)
    progress = main_window._progress_widget
    qtbot.waitUntil(lambda: progress.isVisible() and progress.x() > 0)
    qtbot.waitUntil(lambda: bar.message_rect().right() < progress.x())
    shown = bar.shown_message()
    assert shown.endswith("…") and MESSAGE.startswith(shown[:-1])
    assert len(shown) > 25  # enough of it to read
    assert bar.currentMessage() == MESSAGE  # what tests and the notice banner see
    summary = main_window.summary_label
    assert summary.width() <= bar.width() // 4 and summary.elided()
    assert summary.text() == SUMMARY
    assert summary.geometry().left() >= progress.geometry().right()
    assert progress.bar.width() <= 100
    # The full message is the tooltip where it is cut.
    assert bar.tooltip_at(QPoint(20, bar.height() // 2)) == MESSAGE
    assert bar.tooltip_at(QPoint(progress.x() + 5, 5)) == ""
    main_window.progress.finish()


def test_at_full_size_nothing_is_elided(qtbot, main_window) -> None:
    resize_to(qtbot, main_window, 1280)
    bar = _batch(main_window, SHORT, SHORT_SUMMARY)
    progress = main_window._progress_widget
    qtbot.waitUntil(lambda: progress.isVisible() and bar.message_rect().right() < progress.x())
    assert bar.shown_message() == SHORT
    qtbot.waitUntil(lambda: not main_window.summary_label.elided())  # once laid out
    assert bar.tooltip_at(QPoint(20, bar.height() // 2)) == ""
    assert progress.width() <= progress.sizeHint().width()  # its own room, no more
    main_window.progress.finish()

