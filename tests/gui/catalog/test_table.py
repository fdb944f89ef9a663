"""The Catalogue table at any width: whole dates and IDs, tags never cut to a letter or two,
status dots on selected rows, a placeholder where there is no image."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QHeaderView

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.gui.catalog.model import Column, Role, status_dot
from robloxassets.gui.catalog.table import OPTIONAL_COLUMNS
from tests.gui.catalog.test_page import open_window as open_window  # the fixture
from tests.gui.catalog.test_page import page_of, seed

LONG_TAGS = ("a-rather-long-tag", "walls", "city")


def test_status_dots_stay_on_selected_rows(qapp) -> None:
    for status in Status:
        icon = status_dot(status, 10)
        normal = icon.pixmap(10, 10, QIcon.Mode.Normal).toImage()
        selected = icon.pixmap(10, 10, QIcon.Mode.Selected).toImage()
        assert selected == normal, status  # not tinted into the selection colour


def test_columns_fit_their_text_and_step_aside_when_narrow(open_window, qtbot) -> None:
    seed(Entry(name="Brick wall", decal_id=11111111111, image_id=22222222222, tags=LONG_TAGS,
               width=2048, height=2048, status=Status.IN_REVIEW),
         Entry(name="No file at all", decal_id=5))
    window = open_window()
    window.resize(1280, 760)
    page = page_of(window, qtbot)
    table = page.table
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column, text in ((Column.UPDATED, "2026-12-31"), (Column.DECAL, "11111111111"),
                         (Column.SIZE, "2048 x 2048")):
        assert header.sectionSize(column) > metrics.horizontalAdvance(text), column
    # Narrow: the date, then the size step aside (the details show them); tags keep room.
    for width in (900, 700, 560):
        table.resize(width, 400)
        qtbot.waitUntil(lambda w=width: table.width() == w)
        table._fit_columns()
        assert header.sectionSize(Column.TAGS) >= table.tags_minimum()
        for column in Column:
            if column not in OPTIONAL_COLUMNS:
                assert not header.isSectionHidden(column), (width, column)
    assert all(header.isSectionHidden(c) for c in OPTIONAL_COLUMNS)
    assert header.sectionResizeMode(Column.TAGS) == QHeaderView.ResizeMode.Interactive
    table.resize(1400, 400)
    qtbot.waitUntil(lambda: table.width() == 1400)
    table._fit_columns()
    assert not any(header.isSectionHidden(c) for c in OPTIONAL_COLUMNS)
    assert header.sectionResizeMode(Column.TAGS) == QHeaderView.ResizeMode.Stretch


def test_entries_without_a_file_get_a_placeholder(open_window, qtbot) -> None:
    seed(Entry(name="No file", decal_id=5), Entry(name="Gone", decal_id=6,
                                                 file_path="/nowhere/gone.png"))
    window = open_window()
    page = page_of(window, qtbot)
    model = page.model
    rows = {model.entry(r).name: r for r in range(model.rowCount())}
    # Roblox's own picture is asked for (nothing answers in the tests): the placeholder.
    qtbot.waitUntil(lambda: model.index(rows["No file"], Column.THUMB).data(Role.NO_THUMBNAIL)
                    is True, timeout=5000)
    # A file that can't be read gets one once the loader has given up on it.
    qtbot.waitUntil(lambda: model.index(rows["Gone"], Column.THUMB).data(Role.NO_THUMBNAIL)
                    is True, timeout=5000)
    assert model.index(rows["No file"], Column.NAME).data(Role.NO_THUMBNAIL) is False
    # The hook for remote thumbnails: entries without a file ask it, by content ID.
    asked: list[str] = []

    class Remote(QObject):
        loaded = Signal(str)

        def get(self, key: str) -> QPixmap | None:
            asked.append(key)
            return None

        def failed(self, key: str) -> bool:
            return False

    remote = Remote()
    model.set_remote_thumbnails(remote)
    model.index(rows["No file"], Column.THUMB).data(Qt.ItemDataRole.DecorationRole)
    assert asked == ["rbxassetid://5"]
    assert model.index(rows["No file"], Column.THUMB).data(Role.NO_THUMBNAIL) is False
    assert not page.table.grab().isNull()
