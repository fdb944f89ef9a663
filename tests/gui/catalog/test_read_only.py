"""A catalogue that can only be read (issue 10, item 2 from the window): the window starts,
shows the entries, says in a banner why nothing can be changed and what to do, and turns
every write action off instead of failing on click. "Check again" turns them back on once
the folder can be written.

The data folder is made read-only for real (a read-only bind mount as root, chmod 0555
otherwise: ``tests.hostile.read_only``). Before this, Record, Edit, Remove, Import and the
Library's Record asset ID stayed enabled and failed only when clicked.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QPushButton

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from tests.hostile import read_only

WRITES = ("add", "edit", "remove", "status", "add_tags", "remove_tags", "import")


def _catalogue(home: Path) -> Path:
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    with Catalog(data / "catalogue.sqlite3") as catalog:
        catalog.add(Entry(name="Brick wall", decal_id=1001, image_id=2001))
        catalog.add(Entry(name="Grass", decal_id=1002, image_id=2002))
    return data


def _window(qtbot, qapp):
    qapp.setProperty("robloxassets.testing", True)
    from robloxassets.gui.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_read_only_catalogue_shows_entries_and_turns_writes_off(qtbot, qapp, app_home: Path,
                                                               tmp_path: Path) -> None:
    data = _catalogue(app_home)
    with read_only(data):
        window = _window(qtbot, qapp)
        try:
            page = window.page("catalog")
            window.show_page("catalog")
            qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() == 2,
                            timeout=10000)
            qtbot.waitUntil(lambda: page.banner.isVisible(), timeout=5000)
            text = page.banner.label.text()
            assert "The catalogue can only be read" in text
            assert str(data) in text  # which folder
            assert "ROBLOXASSETS_HOME" in text and "turned off" in text  # what to do
            page.select_ids([page.model.entry_id(0)])
            actions = page.named_actions
            assert [k for k in WRITES if actions[k].isEnabled()] == []
            assert actions["copy"].isEnabled() and actions["export"].isEnabled()
            # Reached another way (a shortcut, a drop, the Library): refused with a sentence.
            with qtbot.waitSignal(page.message) as said:
                assert page.add_entry() is None
            assert "can only be read" in said.args[0]
            assert page.delete_selection()
            assert page.record_file(str(tmp_path / "x.png"), None, None, None) is None
            assert page.form is None

            library = window.page("library")
            window.show_page("library")
            folder = tmp_path / "decals"
            folder.mkdir()
            Image.new("RGB", (64, 64), (20, 120, 40)).save(folder / "grass.png")
            library.open_paths([str(folder)])
            qtbot.waitUntil(lambda: bool(library.model.rows)
                            and all(r.info for r in library.model.rows), timeout=20000)
            library.view.setCurrentIndex(library.proxy.index(0, 0))
            assert not library.act_record.isEnabled()
            assert "can only be read" in library.act_record.toolTip()
            assert "can only be read" in library.details.facts.value("Catalogue")
        finally:
            window.close()
            qtbot.waitUntil(lambda: not window.context.catalog.busy, timeout=5000)
    with Catalog(data / "catalogue.sqlite3") as catalog:
        assert catalog.total() == 2  # nothing was removed


def test_check_again_turns_writes_back_on(qtbot, qapp, app_home: Path) -> None:
    data = _catalogue(app_home)
    with read_only(data):
        window = _window(qtbot, qapp)
        page = window.page("catalog")
        qtbot.waitUntil(lambda: window.context.catalog.read_only != "", timeout=10000)
        assert not page.named_actions["add"].isEnabled()
    try:
        with qtbot.waitSignal(window.context.catalog.read_only_changed, timeout=10000):
            next(b for b in page.banner.findChildren(QPushButton)
                 if b.text() == "Check again").click()
        qtbot.waitUntil(lambda: page.named_actions["add"].isEnabled(), timeout=5000)
        assert not page.banner.isVisible()
    finally:
        window.close()


def test_an_empty_read_only_catalogue_offers_no_writes(qtbot, qapp, app_home: Path) -> None:
    data = app_home / "data"
    data.mkdir(parents=True)
    with read_only(data):  # no catalogue file, and none can be made
        window = _window(qtbot, qapp)
        try:
            page = window.page("catalog")
            window.show_page("catalog")
            qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty, timeout=10000)
            assert page.banner.isVisible()
            buttons = page.empty.findChildren(QPushButton)
            assert buttons and not any(b.isEnabled() for b in buttons)
        finally:
            window.close()
            qtbot.waitUntil(lambda: not window.context.catalog.busy, timeout=5000)


def test_names_that_could_disguise_themselves_are_shown_escaped(qtbot, main_window) -> None:
    with Catalog() as catalog:
        catalog.add(Entry(name="x\u202egpj.exe", decal_id=1001, tags=("red\x1b[31m",)))
    page = main_window.page("catalog")
    main_window.show_page("catalog")
    qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() == 1,
                    timeout=10000)
    from robloxassets.gui.catalog.model import Column

    assert page.model.index(0, Column.NAME).data() == "x\\u202egpj.exe"
    assert page.model.index(0, Column.TAGS).data() == "red\\e[31m"
    page.select_ids([page.model.entry_id(0)])
    assert page.details.title.text() == "x\\u202egpj.exe"
