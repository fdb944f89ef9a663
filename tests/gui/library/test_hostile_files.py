"""The Library with files no image viewer expects (issue 10, from the window): FIFOs and
devices named like images, a file that becomes a FIFO after it was checked. Nothing blocks
the UI or a worker; each gets a verdict in words.

A FIFO opened with a plain ``open()`` blocks until a writer comes: before the details
preview read through ``open_regular`` the second test never finished (the worker stayed
blocked in ``open`` and the preview said "Preparing preview…" for good).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from robloxassets.core.errors import UserError
from robloxassets.core.images.info import Verdict
from robloxassets.gui.catalog.thumbnails import read_thumbnail
from robloxassets.gui.library.details import load_preview
from tests.hostile import (
    apng_claiming,
    make_fifo,
    make_png_at,
    non_utf8_path,
    progressive_bomb,
)


def wait_idle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page._scans and page.model.rows
                    and all(r.info for r in page.model.rows), timeout=20000)


def select(library, path: Path) -> None:
    row = library.model.row_for_path(str(path))
    assert row is not None, path
    library.view.setCurrentIndex(library.proxy.mapFromSource(library.model.index(row)))


def test_fifos_and_devices_named_like_images_get_a_verdict(qtbot, main_window,
                                                           tmp_path: Path) -> None:
    library = main_window.page("library")
    main_window.show_page("library")
    folder = tmp_path / "decals"
    folder.mkdir()
    Image.new("RGB", (64, 64), (20, 120, 40)).save(folder / "grass.png")
    make_fifo(folder / "pipe.png")
    os.symlink("/dev/zero", folder / "zero.png")
    library.open_paths([str(folder)])
    wait_idle(qtbot, library)
    rows = {Path(r.path).name: r.info for r in library.model.rows}
    assert rows["grass.png"].verdict is Verdict.OK
    for name, kind in (("pipe.png", "named pipe"), ("zero.png", "character device")):
        info = rows[name]
        assert info.verdict is Verdict.CORRUPT
        assert kind in info.message
        select(library, folder / name)
        details = library.details
        assert details.title.text() == name
        assert kind in details.headline.text()
        assert "can't be read" in details.preview.text()
    qtbot.waitUntil(lambda: not main_window.context.tasks.busy, timeout=10000)


def test_a_file_that_became_a_fifo_after_its_check_never_blocks_the_preview(
        qtbot, main_window, tmp_path: Path) -> None:
    library = main_window.page("library")
    main_window.show_page("library")
    folder = tmp_path / "decals"
    folder.mkdir()
    target = folder / "wall.png"
    Image.new("RGB", (2048, 1024), (150, 70, 40)).save(target)
    library.open_paths([str(folder)])
    wait_idle(qtbot, library)
    # Swapped behind the Library's back (the watcher has not reported it yet).
    library.watcher.removePaths(library.watcher.directories())
    target.unlink()
    make_fifo(target)
    select(library, target)
    details = library.details
    qtbot.waitUntil(lambda: "No upload-ready preview" in details.caption.text(),
                    timeout=10000)
    assert "wall.png can't be read: it is a named pipe (FIFO)" in details.caption.text()
    qtbot.waitUntil(lambda: not main_window.context.tasks.busy, timeout=10000)


def test_catalogue_thumbnails_refuse_fifos_and_devices(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "pipe.png")
    assert read_thumbnail(str(fifo), 40) is None
    assert read_thumbnail("/dev/zero", 40) is None
    good = tmp_path / "good.png"
    Image.new("RGB", (400, 200), (1, 2, 3)).save(good)
    image = read_thumbnail(str(good), 40)
    assert image is not None and (image.width(), image.height()) == (40, 20)


def test_odd_files_are_described_in_a_creators_words(qtbot, main_window,
                                                     tmp_path: Path) -> None:
    """No "unknown" format, size or colour, no "Frames: 0" and no apology: before, a FIFO
    listed "Format: unknown ... Frames: 1", an APNG with a damaged frame count said
    "Frames: 0 (only the first is used)", and a progressive JPEG bomb's preview said
    "Something went wrong inside the app" (the thumbnail's Bomb was not a UserError)."""
    library = main_window.page("library")
    main_window.show_page("library")
    folder = tmp_path / "odd"
    folder.mkdir()
    make_fifo(folder / "pipe.png")
    apng_claiming(folder / "spin.png", 2**31 - 1)
    progressive_bomb(folder / "bomb.jpg")
    library.open_paths([str(folder)])
    wait_idle(qtbot, library)
    details = library.details

    select(library, folder / "pipe.png")
    shown = {label: details.facts.value(label) for label in
             ("Format", "Size", "Colour", "Frames", "File size")}
    assert shown == dict.fromkeys(shown)  # only what is known: none of these
    assert details.facts.value("Folder") == str(folder)

    select(library, folder / "spin.png")
    assert details.facts.value("Frames") == "damaged count (only the first is used)"

    select(library, folder / "bomb.jpg")
    assert details.preview.text() == "Too big to preview safely."
    assert details.facts.value("Format") == "JPEG"
    qtbot.waitUntil(lambda: not main_window.context.tasks.busy, timeout=10000)
    assert "went wrong" not in details.caption.text()


def test_the_preview_of_a_bomb_is_refused_with_a_sentence(tmp_path: Path) -> None:
    bomb = progressive_bomb(tmp_path / "bomb.jpg")
    with pytest.raises(UserError, match="too many pixels"):
        load_preview(str(bomb), 1024)


def test_names_that_are_not_utf8_can_be_selected_recorded_and_filtered(
        qtbot, main_window, tmp_path: Path) -> None:
    """Before, a path that isn't UTF-8 lost its undecodable bytes on its way through Qt
    (``Role.PATH``, the folder filter's data): selecting the image showed no details and
    left Record and Show in folder off, and the grid named it "caf-.png"."""
    library = main_window.page("library")
    main_window.show_page("library")
    folder = non_utf8_path(tmp_path, b"art-\xff")
    os.mkdir(folder)
    odd = make_png_at(non_utf8_path(folder))
    Image.new("RGB", (64, 64), (1, 2, 3)).save(folder / "red\x1b[31m\nx.png")
    other = tmp_path / "plain"
    other.mkdir()
    make_png_at(other / "plain.png")
    library.open_paths([str(folder), str(other)])
    wait_idle(qtbot, library)
    select(library, odd)
    assert library.selected_paths() == [str(odd)]
    details = library.details
    assert details.title.text() == "caf\\xe9-\\xff.png"
    assert details.facts.value("Folder") == str(tmp_path) + "/art-\\xff"
    assert library.act_record.isEnabled() and library.act_reveal.isEnabled()
    index = library.proxy.mapFromSource(library.model.index(library.model.row_for_path(
        str(odd))))
    assert index.data() == "caf\\xe9-\\xff.png"
    select(library, folder / "red\x1b[31m\nx.png")
    assert details.title.text() == "red\\e[31m\\nx.png"
    # The folder filter takes the folder whose name isn't UTF-8.
    combo = library.folder_combo
    place = next(i for i in range(combo.count()) if "art-\\xff" in combo.itemText(i))
    combo.setCurrentIndex(place)
    shown = {library.model.row_at(library.proxy.mapToSource(library.proxy.index(i, 0))).path
             for i in range(library.proxy.rowCount())}
    assert shown == {str(odd), str(folder / "red\x1b[31m\nx.png")}


def test_recording_an_image_whose_path_isnt_utf8_says_why_it_cant(
        qtbot, main_window, tmp_path: Path) -> None:
    """The catalogue records UTF-8 paths only (core's rule). Before, the form's File field
    (a Qt string) dropped the undecodable bytes and the entry recorded a file that does not
    exist, without a word; now the form says why and Save stays off."""
    from PySide6.QtWidgets import QDialogButtonBox

    from robloxassets.core.catalog.store import Catalog

    library = main_window.page("library")
    catalog_page = main_window.page("catalog")
    main_window.show_page("library")
    qtbot.waitUntil(lambda: catalog_page.opened, timeout=10000)
    odd = make_png_at(non_utf8_path(tmp_path))
    library.open_paths([str(tmp_path)])
    wait_idle(qtbot, library)
    select(library, odd)
    library.record_selection()
    form = catalog_page.form
    assert form is not None
    qtbot.waitUntil(lambda: not form._facts_pending, timeout=10000)
    form.name_edit.setText("Cafe sign")
    form.decal_field.line.setText("4242")
    assert not form.validate()
    assert "is not valid UTF-8" in form.problem_label.text()
    assert "rename the file" in form.problem_label.text()
    assert not form.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    form.file_edit.setText(str(tmp_path / "renamed.png"))  # typed: taken as typed
    assert form._file_text() == str(tmp_path / "renamed.png")
    form.close()
    with Catalog() as catalog:
        assert catalog.total() == 0
