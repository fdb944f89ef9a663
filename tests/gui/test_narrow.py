"""The window beside Roblox Studio: every page works at 800 px wide, nothing important cut."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QComboBox, QLineEdit, QWidget

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.details import DetailsPanel
from robloxassets.gui.mainwindow import NARROW_WIDTH, SIDE_DOCK_WIDTH

FONT_SLACK = 40


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """Shown, and wholly inside the window (not cut off by its edge)."""
    if not widget.isVisible() or widget.width() <= 0:
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def in_scroll_area(widget: QWidget, page: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def resize_to(qtbot, window, width: int) -> None:
    # The first step may stop at the width the dock beside the page allows; the dock then
    # moves below and the next step gets there (as a user's drag does).
    def there() -> bool:
        window.resize(width, 720)
        return window.width() == width

    qtbot.waitUntil(there, timeout=5000)


def test_every_page_works_at_800_px(qtbot, main_window, tmp_path: Path) -> None:
    Image.new("RGB", (2048, 2048), "red").save(tmp_path / "wall.png")
    (tmp_path / "a folder with a long name").mkdir()  # two folders: the folder filter shows
    Image.new("RGB", (64, 64), "blue").save(tmp_path / "a folder with a long name" / "b.png")
    with Catalog() as catalog:
        catalog.add(Entry(name="Brick wall", decal_id=46059313, image_id=46059300,
                          tags=("walls", "a-rather-long-tag"), status=Status.IN_REVIEW))
    library = main_window.page("library")
    library.open_paths([str(tmp_path)])
    qtbot.waitUntil(lambda: bool(library.model.rows) and all(r.info for r in library.model.rows),
                    timeout=20000)
    assert library.folder_combo.isVisibleTo(library)
    library.banner.show_message("Prepared for upload: 21 written, 3 up to date.",
                                [("Show details", lambda: None), ("Open folder", lambda: None)])
    for page in main_window.pages:
        main_window.show_page(page.page_id)
        resize_to(qtbot, main_window, NARROW_WIDTH)
        # With room to spare: a desktop's fonts run wider than the offscreen test platform's.
        assert main_window.minimumSizeHint().width() <= NARROW_WIDTH - FONT_SLACK, page.page_id
        # Every toolbar action has its button in the toolbar, none in the overflow menu
        # (the toolbar lays itself out on the next turn of the event loop).
        for action in page.toolbar_actions():
            if action is not None:
                button = main_window.toolbar.widgetForAction(action)
                assert button is not None, action.text()
                qtbot.waitUntil(lambda b=button: on_screen(b, main_window), timeout=3000)
        # The page's own search boxes and filters are whole on screen.
        controls = [w for w in page.findChildren(QLineEdit) + page.findChildren(QComboBox)
                    if w.isVisibleTo(page) and not in_scroll_area(w, page)
                    and not isinstance(w.parentWidget(), QComboBox)]
        assert controls, page.page_id
        for control in controls:
            qtbot.waitUntil(lambda c=control: on_screen(c, main_window), timeout=3000)
            assert control.width() >= control.minimumSizeHint().width()
        details = page.details_widget()
        if isinstance(details, DetailsPanel):
            # The panel went below the page, preview beside the facts; its buttons show.
            area = main_window.dockWidgetArea(main_window.details_dock)
            assert area == Qt.DockWidgetArea.BottomDockWidgetArea
            assert details.orientation == Qt.Orientation.Horizontal
            details.show_details()
            qtbot.waitUntil(lambda d=details: d.buttons.isVisible())
            for button in details.buttons.buttons:
                qtbot.waitUntil(lambda b=button: on_screen(b, main_window), timeout=3000)
    # Wide again: the details go back beside the page.
    for page in main_window.pages:
        details = page.details_widget()
        if isinstance(details, DetailsPanel):
            details.show_placeholder("Nothing selected.")
    main_window.show_page("library")
    resize_to(qtbot, main_window, 1300)
    assert main_window.dockWidgetArea(main_window.details_dock) == \
        Qt.DockWidgetArea.RightDockWidgetArea
    assert library.details.orientation == Qt.Orientation.Vertical
    # As wide as beside the page before, not as wide as it was below it (every page's panel
    # gives up its width below the page, shown or not).
    qtbot.waitUntil(lambda: main_window.details_dock.width() < SIDE_DOCK_WIDTH + 80,
                    timeout=3000)
    # And the window kept the width it was given (while the dock moved, the panels' wider
    # minimum below the page made it grow by itself).
    assert main_window.width() == 1300
    for page in main_window.pages:
        main_window.show_page(page.page_id)
        resize_to(qtbot, main_window, NARROW_WIDTH)
        main_window.resize(1280, 720)
        qtbot.waitUntil(lambda: main_window.dockWidgetArea(main_window.details_dock)
                        == Qt.DockWidgetArea.RightDockWidgetArea
                        and main_window.details_dock.width() < SIDE_DOCK_WIDTH + 80,
                        timeout=3000)
        assert main_window.width() == 1280, page.page_id


def test_long_verdict_keeps_the_actions_visible(qtbot, main_window, tmp_path: Path) -> None:
    frames = [Image.new("RGB", (1500, 1500), c) for c in ("red", "blue", "green")]
    frames[0].save(tmp_path / "spinner animated with a long name.gif", save_all=True,
                   append_images=frames[1:])
    page = main_window.page("library")
    main_window.show_page("library")
    main_window.resize(1280, 560)  # a short window: the facts run below the panel's foot
    page.open_paths([str(tmp_path)])
    qtbot.waitUntil(lambda: bool(page.model.rows) and page.model.rows[0].info is not None,
                    timeout=20000)
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    details = page.details
    assert "animated" in details.headline.text()
    qtbot.waitUntil(lambda: details.buttons.isVisible())
    for button in details.buttons.buttons:
        qtbot.waitUntil(lambda b=button: on_screen(b, main_window), timeout=3000)
    # The facts scroll; the buttons are outside the scroll area.
    assert not details.scroll_area.isAncestorOf(details.buttons)
