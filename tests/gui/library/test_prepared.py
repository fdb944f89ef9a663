"""Prepared copies in the Library: an original knows its copy by content, copies are visibly
copies, preparing again writes nothing, and what Prepare says matches what it does."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QPushButton

from robloxassets.core.images.info import Verdict
from robloxassets.gui.library.details import human_bytes
from robloxassets.gui.library.model import FILTERS, Role
from robloxassets.gui.library.prepare import nothing_to_prepare
from robloxassets.gui.library.prepare_dialog import intro_text
from tests.gui.library.test_page import make_library, wait_idle


def opened(qtbot, main_window, tmp_path: Path):
    """The Library page shown, with the test folder open and checked; and its files."""
    page = main_window.page("library")
    main_window.show_page("library")
    files = make_library(tmp_path / "decals")
    page.open_paths([str(tmp_path / "decals")])
    wait_idle(qtbot, page)
    return page, files


def select(page, *paths: Path) -> None:
    view = page.view
    view.clearSelection()
    for path in paths:
        row = page.model.row_for_path(str(path))
        index = page.proxy.mapFromSource(page.model.index(row))
        view.selectionModel().select(index, view.selectionModel().SelectionFlag.Select)


def prepare(qtbot, page, paths: list[str], out: Path) -> None:
    page.preparer.start(paths, str(out), 1024, False)
    # Not waitSignal on ``finished``: a quick job can finish before the blocker
    # connects. ``start`` sets ``preparer.worker`` and its end clears it.
    qtbot.waitUntil(lambda: page.preparer.worker is None, timeout=30000)


def wait_linked(qtbot, page, original: Path) -> None:
    qtbot.waitUntil(lambda: (row := page.model.row(str(original))) is not None
                    and row.prepared and not page._scans and page.copies.worker is None,
                    timeout=20000)


def test_an_original_knows_its_prepared_copy(qtbot, main_window, tmp_path: Path) -> None:
    page, files = opened(qtbot, main_window, tmp_path)
    assert "5 images · 3 need work" in page.summary()
    out = tmp_path / "ready"
    prepare(qtbot, page, [str(files["big"]), str(files["webp"])], out)
    wait_linked(qtbot, page, files["big"])
    wait_linked(qtbot, page, files["webp"])
    # The copies joined the Library; the originals no longer need work (the broken file does).
    assert str(out) in page.roots
    assert "7 images · 1 need work" in page.summary()
    big = page.model.row(str(files["big"]))
    copy = page.model.row(str(out / "wall.png"))
    assert big.copies == (str(out / "wall.png"),) and big.info.verdict is Verdict.DOWNSCALE
    assert copy.copy_of is not None and copy.source == str(files["big"])
    index = page.model.index(page.model.row_for_path(big.path))
    assert index.data(Role.PREPARED) is True
    assert page.model.index(page.model.row_for_path(copy.path)).data(Role.COPY) is True

    # "Needs work" no longer counts it; "Prepared" and "Prepared copies" find both sides.
    def shown(key: str) -> set[str]:
        page.filter_combo.setCurrentIndex(list(FILTERS).index(key))
        proxy = page.proxy
        return {proxy.index(i, 0).data(Role.PATH) for i in range(proxy.rowCount())}

    assert shown("needs-work") == {str(files["corrupt"])}
    assert shown("prepared") == {str(files["big"]), str(files["webp"])}
    assert shown("copies") == {str(out / "wall.png"), str(out / "logo.png")}
    page.reset_filters()
    # Nothing selected, Prepare takes what still needs work: nothing readable is left.
    assert page.prepare_targets() == []

    # Copies are grouped by folder, and the folder filter says which folder holds copies.
    folders = [r.folder for r in page.model.rows]
    ready = [i for i, folder in enumerate(folders) if folder == str(out)]
    assert ready == list(range(ready[0], ready[0] + 2))
    assert page.folder_combo.isVisibleTo(page)
    labels = [page.folder_combo.itemText(i) for i in range(page.folder_combo.count())]
    assert "ready (prepared copies)" in labels
    page.folder_combo.setCurrentIndex(labels.index("ready (prepared copies)"))
    assert page.proxy.rowCount() == 2
    page.reset_filters()

    # The details say it both ways.
    select(page, files["big"])
    details = page.details
    assert details.facts.value("Prepared copy") == "ready/wall.png, 1024 × 512"
    assert "prepared" in details.headline.text()
    select(page, out / "wall.png")
    assert details.facts.value("Copy of") == os.path.join("decals", "wall.png")
    assert not page.view.grab().isNull()  # the cells with their marks paint


def test_preparing_again_writes_nothing(qtbot, main_window, tmp_path: Path) -> None:
    page, files = opened(qtbot, main_window, tmp_path)
    out = tmp_path / "ready"
    targets = [str(files["big"]), str(files["webp"])]
    prepare(qtbot, page, targets, out)
    wait_linked(qtbot, page, files["big"])
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir())
    prepare(qtbot, page, targets, out)
    assert page.preparer.last_summary == "Prepared for upload: 2 up to date."
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir()) == before
    # By content: a renamed copy still counts, for the Library and for Prepare.
    os.rename(out / "wall.png", out / "wall for upload.png")
    qtbot.waitUntil(lambda: page.model.row(str(out / "wall for upload.png")) is not None
                    and page.model.row(str(out / "wall for upload.png")).info is not None,
                    timeout=20000)
    qtbot.waitUntil(lambda: page.model.row(str(files["big"])).copies
                    == (str(out / "wall for upload.png"),) and page.copies.worker is None,
                    timeout=20000)
    prepare(qtbot, page, [str(files["big"])], out)
    assert page.preparer.last_summary == "Prepared for upload: 1 up to date."
    assert not (out / "wall.png").exists() and not (out / "wall (2).png").exists()


def test_a_multi_selection_is_summed_up(qtbot, main_window, tmp_path: Path) -> None:
    page, files = opened(qtbot, main_window, tmp_path)
    select(page, *files.values())
    details = page.details
    assert details.title.text() == "5 images selected"
    assert details.facts.value("Need work") == "3"
    assert details.facts.value("OK") == "2"
    assert details.facts.value("Will be downscaled") == "1"
    assert details.facts.value("Convert format") == "1"
    assert details.facts.value("Corrupt") == "1"
    total = sum(p.stat().st_size for p in files.values())
    assert details.facts.value("Total size") == human_bytes(total)
    assert not details.showing_placeholder()
    assert details.buttons.isVisibleTo(details)


def test_actions_agree_and_messages_say_what_happens(qtbot, main_window,
                                                     tmp_path: Path) -> None:
    page, files = opened(qtbot, main_window, tmp_path)
    # A corrupt file alone: Record and Prepare are off, in the toolbar and in the panel alike
    # (the panel's buttons are the toolbar's actions).
    select(page, files["corrupt"])
    assert not page.act_record.isEnabled() and not page.act_prepare.isEnabled()
    assert page.details.buttons.button_for(page.act_record).defaultAction() is page.act_record
    with qtbot.waitSignal(page.message) as said:
        page.prepare_selection()
    assert said.args[0].startswith("This file can't be read, so there is nothing to prepare")
    select(page, files["ok"])
    assert page.act_record.isEnabled() and page.act_prepare.isEnabled()
    # Wordings: counts that add up, and singular where it is one.
    assert "of the 19 selected images" in intro_text(15, 19, 4)
    assert "4 selected files can't be read and are left out" in intro_text(15, 19, 4)
    assert "1 selected file can't be read and is left out" in intro_text(2, 3, 1)
    assert "selected" not in intro_text(3)
    assert "None of the 3 selected files can be read" in nothing_to_prepare(True, 3)
    assert "ready to upload" in nothing_to_prepare(False, 0)


def test_show_in_folder_without_a_file_manager_says_so(qtbot, main_window, tmp_path: Path,
                                                       monkeypatch) -> None:
    from PySide6.QtWidgets import QApplication

    from robloxassets.gui import desktop

    monkeypatch.setattr(desktop, "open_url", lambda url: False)
    page, files = opened(qtbot, main_window, tmp_path)
    select(page, files["ok"])
    with qtbot.waitSignal(page.message) as said:
        page.reveal_selection()
    assert "No file manager opened the folder" in said.args[0]
    assert QApplication.clipboard().text() == str(tmp_path / "decals")


def test_sample_library_is_offered_by_the_empty_state_and_file_menu(main_window) -> None:
    page = main_window.page("library")
    assert page.act_sample not in page.toolbar_actions()
    assert page.act_sample in page.menu_actions()["File"]
    buttons = [b.text() for b in page.empty.findChildren(QPushButton)]
    assert "Open the sample library" in buttons


def test_the_filter_box_keeps_its_width_while_typing(qtbot, main_window, tmp_path) -> None:
    page = main_window.page("library")
    main_window.show_page("library")
    Image.new("RGB", (10, 10)).save(tmp_path / "a.png")
    page.open_paths([str(tmp_path)])
    wait_idle(qtbot, page)
    qtbot.waitUntil(lambda: page.search.isEnabled())
    page.layout().activate()
    before = (page.search.width(), page.filter_combo.x())
    page.search.setText("a")
    page.layout().activate()
    assert (page.search.width(), page.filter_combo.x()) == before
