"""Uploads need the catalogue writable (the upload queue lives in it). While it can only be
read, the Library's Upload… and the Uploads page's Upload files… (toolbar, menu, empty
state) are off with the reason in their tooltip, the page's banner says why with "Check
again", and uploading reached another way (a drop, a shortcut, another page) is refused with
a sentence instead of failing later."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QPushButton

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.requests import UploadFiles
from tests.gui.catalog.test_read_only import _window
from tests.gui.uploads.helpers import uploads_page
from tests.hostile import read_only


def _upload_buttons(page):  # type: ignore[no-untyped-def]
    return [b for b in page.empty.findChildren(QPushButton) if b.text().startswith("Upload")]


def test_uploads_are_off_while_the_catalogue_can_only_be_read(qtbot, qapp, app_home: Path,
                                                              tmp_path: Path) -> None:
    data = app_home / "data"
    data.mkdir(parents=True)
    with Catalog(data / "catalogue.sqlite3") as catalog:
        catalog.add(Entry(name="Brick wall", decal_id=1001, image_id=2001))
    folder = tmp_path / "decals"
    folder.mkdir()
    Image.new("RGB", (64, 64), (20, 120, 40)).save(folder / "grass.png")
    window = None
    try:
        with read_only(data):
            window = _window(qtbot, qapp)
            page = uploads_page(window)
            window.show_page("uploads")
            qtbot.waitUntil(lambda: window.context.catalog.read_only != "", timeout=10000)
            qtbot.waitUntil(lambda: page.banner.isVisible(), timeout=5000)
            assert "nothing can be uploaded" in page.banner.label.text()
            assert "turned off" in page.banner.label.text()
            assert not page.act_upload.isEnabled()
            assert "can only be read" in page.act_upload.toolTip()
            [empty_button] = _upload_buttons(page)
            assert not empty_button.isEnabled()
            assert "can only be read" in empty_button.toolTip()

            # A drop, the shortcut or another page's request: refused with a sentence.
            with qtbot.waitSignal(page.message) as said:
                assert page.open_paths([str(folder)])
            assert "nothing can be uploaded" in said.args[0]
            with qtbot.waitSignal(page.message):
                page.choose_files()  # no file dialog opens
            with qtbot.waitSignal(page.message):
                assert page.receive(UploadFiles((str(folder / "grass.png"),)))
            assert page.dialog is None

            library = window.page("library")
            window.show_page("library")
            library.open_paths([str(folder)])
            qtbot.waitUntil(lambda: bool(library.model.rows)
                            and all(r.info for r in library.model.rows), timeout=20000)
            library.view.setCurrentIndex(library.proxy.index(0, 0))
            assert not library.act_upload.isEnabled()
            assert "nothing can be uploaded" in library.act_upload.toolTip()
            with qtbot.waitSignal(library.message) as said:
                library.upload_selection()  # Ctrl+U reached while it is off
            assert "can only be read" in said.args[0]
            assert page.dialog is None

        # Writable again: "Check again" turns uploading back on.
        window.show_page("uploads")
        with qtbot.waitSignal(window.context.catalog.read_only_changed, timeout=10000):
            next(b for b in page.banner.findChildren(QPushButton)
                 if b.text() == "Check again").click()
        qtbot.waitUntil(page.act_upload.isEnabled, timeout=5000)
        assert not page.banner.isVisible()
        assert all(b.isEnabled() for b in _upload_buttons(page))
        assert "can only be read" not in page.act_upload.toolTip()
        library.view.setCurrentIndex(library.proxy.index(0, 0))
        assert library.act_upload.isEnabled()
    finally:
        if window is not None:
            window.close()
            qtbot.waitUntil(lambda: not window.context.catalog.busy, timeout=5000)
