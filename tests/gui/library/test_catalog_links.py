"""The Library and the Catalogue together: badges, recording, prepare warnings, tagged copies."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from robloxassets.core.catalog.links import tag_in_file
from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.pngtag import PngAssetTag, write_asset_tag
from robloxassets.core.catalog.store import Catalog


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_folder(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True)
    files = {"wall": folder / "wall.png", "grass": folder / "grass.png"}
    Image.new("RGB", (2048, 1024), (150, 70, 40)).save(files["wall"])
    Image.new("RGB", (128, 128), (30, 160, 60)).save(files["grass"])
    return files


def open_and_wait(qtbot, page, folder: Path) -> None:
    page.open_paths([str(folder)])
    qtbot.waitUntil(lambda: not page._scans and page.model.rows
                    and all(r.info for r in page.model.rows), timeout=20000)


def select(page, path: Path) -> None:
    row = page.model.row_for_path(str(path))
    page.view.setCurrentIndex(page.proxy.mapFromSource(page.model.index(row)))


def test_catalogued_image_shows_its_id_and_copies_it(qtbot, main_window, tmp_path) -> None:
    files = make_folder(tmp_path / "decals")
    with Catalog() as catalog:
        catalog.add(Entry(name="Brick wall", decal_id=46059313, status=Status.IN_REVIEW,
                          sha256=sha(files["wall"])))
    # Renamed after recording: the link is by content, so it still holds.
    moved = files["wall"].with_name("renamed wall.png")
    files["wall"].rename(moved)
    page = main_window.page("library")
    open_and_wait(qtbot, page, tmp_path / "decals")
    qtbot.waitUntil(lambda: page.model.link_for_path(str(moved)) is not None, timeout=10000)
    link = page.model.link_for_path(str(moved))
    assert (link.asset_id, link.status, link.name) == (46059313, "in-review", "Brick wall")
    assert page.model.link_for_path(str(files["grass"])) is None
    select(page, moved)
    assert "rbxassetid://46059313" in page.details.facts.value("Catalogue")
    # The panel's button is the toolbar's action: both say the same.
    button = page.details.buttons.button_for(page.act_record)
    assert button is not None and button.text().replace("&", "") == "Show in catalogue"
    assert page.copy_selection()
    assert QApplication.clipboard().text() == "rbxassetid://46059313"


def test_record_asset_id_from_the_library(qtbot, main_window, tmp_path) -> None:
    files = make_folder(tmp_path / "decals")
    page = main_window.page("library")
    open_and_wait(qtbot, page, tmp_path / "decals")
    select(page, files["grass"])
    page.record_selection()
    form = main_window.page("catalog").form
    assert form is not None and form.isVisible()
    assert form.file_edit.text() == str(files["grass"])
    assert form.name_edit.text() == "Grass"
    form.decal_field.line.setText("https://www.roblox.com/library/123456789/Grass")
    # Scans don't hash files: the form reads the hash first, and saving waits for it.
    qtbot.waitUntil(lambda: "SHA-256" in form.file_hint.text())
    form.accept()
    qtbot.waitUntil(lambda: not Shiboken.isValid(form) or not form.isVisible())
    qtbot.waitUntil(lambda: page.model.link_for_path(str(files["grass"])) is not None,
                    timeout=10000)
    assert page.model.link_for_path(str(files["grass"])).asset_id == 123456789
    with Catalog() as catalog:
        assert catalog.find_by_asset_id(123456789).sha256 == sha(files["grass"])


def test_prepared_copy_of_catalogued_image_carries_its_id(qtbot, main_window, tmp_path) -> None:
    files = make_folder(tmp_path / "decals")
    with Catalog() as catalog:
        entry = catalog.add(Entry(name="Brick wall", decal_id=46059313, image_id=46059300,
                                  sha256=sha(files["wall"])))
    page = main_window.page("library")
    open_and_wait(qtbot, page, tmp_path / "decals")
    qtbot.waitUntil(lambda: page.model.link_for_path(str(files["wall"])) is not None,
                    timeout=10000)
    infos = page.prepare_targets()
    assert list(page.model.links_for([i.path for i in infos])) == [str(files["wall"])]
    out = tmp_path / "ready"
    page.preparer.start([i.path for i in infos], str(out), 1024, False)
    # Not waitSignal on ``finished``: a quick job can finish before the blocker
    # connects. ``start`` sets ``preparer.worker`` and its end clears it.
    qtbot.waitUntil(lambda: page.preparer.worker is None, timeout=30000)
    copy = out / "wall.png"
    assert tag_in_file(copy) == PngAssetTag(46059313, 46059300)

    def copy_recorded() -> bool:
        with Catalog() as catalog:
            return catalog.get(entry.id).prepared_sha256 == sha(copy)

    qtbot.waitUntil(copy_recorded, timeout=10000)
    # The output folder joins the library, and the copy is linked by its content.
    qtbot.waitUntil(lambda: page.model.link_for_path(str(copy)) is not None, timeout=10000)


def test_tagged_png_not_in_catalogue_is_offered_for_linking(qtbot, main_window,
                                                            tmp_path) -> None:
    folder = tmp_path / "old copies"
    folder.mkdir()
    tagged = folder / "team_logo.png"
    Image.new("RGBA", (256, 256), (20, 90, 200, 255)).save(tagged)
    write_asset_tag(tagged, PngAssetTag(None, 2676631400))
    page = main_window.page("library")
    open_and_wait(qtbot, page, folder)
    qtbot.waitUntil(lambda: page.banner.isVisible(), timeout=10000)
    assert "not linked in your catalogue" in page.banner.label.text()
    page.links.link_tagged()
    qtbot.waitUntil(lambda: page.model.link_for_path(str(tagged)) is not None, timeout=10000)
    with Catalog() as catalog:
        entry = catalog.find_by_asset_id(2676631400)
    assert entry.name == "Team logo" and entry.sha256 == sha(tagged)  # as Record names it
    assert not page.banner.isVisible()


def test_png_chunks_are_read_once_per_session(qtbot, main_window, tmp_path,
                                              monkeypatch) -> None:
    from robloxassets.core.catalog import links

    reads: list[str] = []
    real = links.tag_in_file

    def counting(path):
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(links, "tag_in_file", counting)
    make_folder(tmp_path / "decals")
    page = main_window.page("library")
    open_and_wait(qtbot, page, tmp_path / "decals")
    qtbot.waitUntil(lambda: len(reads) == 2, timeout=10000)  # wall.png and grass.png
    page.activate(None)  # e.g. coming back from another page
    # A lookup asked for while one runs waits for it (and skips what it read), whether or
    # not the first lookup had answered yet: that was a race under load.
    page.links.refresh()
    assert page.links.worker is not None and page.links.again
    qtbot.waitUntil(lambda: page.links.worker is None and not page.links.again
                    and not page.context.tasks.busy, timeout=10000)
    QApplication.processEvents()  # deliver anything the last lookup queued on its way out
    qtbot.waitUntil(lambda: not page.context.tasks.busy, timeout=10000)
    assert len(reads) == 2
