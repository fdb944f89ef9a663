"""The Duplicates page: find copies across library folders and the catalogue, keep one,
move the marked ones to the trash only after a confirmation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import ImageOps
from PySide6.QtWidgets import QMessageBox

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from tests import dupset
from tests.images import sha256_of


def make_copies(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"coin": folder / "coin.png", "coin2": folder / "coin copy.png",
             "coin-small": folder / "coin-small.jpg", "gem": folder / "gem.png",
             "gem-mirror": folder / "gem-mirrored.webp", "alone": folder / "alone.png"}
    dupset.source_image(1).save(files["coin"])
    shutil.copy(files["coin"], files["coin2"])
    coin = dupset.flatten_for_jpeg(dupset.source_image(1))
    coin.resize((coin.width // 2, coin.height // 2)).save(files["coin-small"], quality=60)
    dupset.source_image(2).save(files["gem"])
    ImageOps.mirror(dupset.source_image(2)).save(files["gem-mirror"])
    dupset.source_image(3).save(files["alone"])
    return files


@pytest.fixture
def page(main_window):
    main_window.show_page("duplicates")
    return main_window.page("duplicates")


def wait_found(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page._worker is None and page.result is not None, timeout=30000)


def test_duplicates_is_in_the_navigation_with_its_shortcut(main_window) -> None:
    ids = [p.page_id for p in main_window.pages]
    assert "duplicates" in ids
    action = main_window.page_actions[ids.index("duplicates")]
    assert action.shortcut().toString() == f"Ctrl+{ids.index('duplicates') + 1}"


def test_groups_across_library_and_catalogue(qtbot, main_window, page, tmp_path: Path) -> None:
    files = make_copies(tmp_path / "lib")
    uploaded = tmp_path / "elsewhere" / "alone-uploaded.png"
    uploaded.parent.mkdir()
    ImageOps.mirror(dupset.source_image(3)).save(uploaded)
    with Catalog() as catalog:
        catalog.add(Entry(name="Alone", image_id=99, file_path=str(uploaded),
                          sha256=sha256_of(uploaded), status=Status.REJECTED))
    main_window.settings.set("library.folders", [str(tmp_path / "lib")])
    assert page.stack.currentWidget() is page.empty
    page.find_copies()
    wait_found(qtbot, page)
    names = sorted(sorted(Path(m.candidate.path).name for m in g.members) for g in page.groups)
    assert names == [["alone-uploaded.png", "alone.png"],
                     ["coin copy.png", "coin-small.jpg", "coin.png"],
                     ["gem-mirrored.webp", "gem.png"]]
    assert page.stack.currentWidget() is page.tree
    assert page.summary() == "3 groups · 4 copies"
    catalogued = next(g for g in page.groups if g.keeper.catalogued)
    assert catalogued.keeper.asset_id == 99 and catalogued.keeper.status == "rejected"
    # Selecting a copy shows the group side by side in the details.
    assert page.tree.select_path(str(files["coin-small"]))
    assert len(page.details.strip.tiles) == 3
    assert page.details.facts.value("Format") == "JPEG"
    assert not page.details.facts.value("Similarity").startswith("Mirrored")
    # A flipped copy says so.
    assert page.tree.select_path(str(files["gem-mirror"]))
    assert page.details.facts.value("Similarity").startswith("Mirrored")
    # Filters.
    page.show_combo.setCurrentIndex(page.show_combo.findData("catalogued"))
    visible = [i for i in page.tree.group_items() if not i.isHidden()]
    assert len(visible) == 1
    page.show_combo.setCurrentIndex(0)
    page.search.setText("gem")
    assert len([i for i in page.tree.group_items() if not i.isHidden()]) == 1
    page.search.setText("")
    # The catalogue entry opens on the Catalogue page.
    assert page.tree.select_path(str(uploaded))
    assert page.act_entry.isEnabled()
    with qtbot.waitSignal(page.navigate) as signal:
        page.act_entry.trigger()
    assert signal.args == ["catalog", 99]


def test_keep_marks_and_trash_needs_confirmation(qtbot, main_window, page, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_copies(tmp_path / "lib")
    main_window.settings.set("library.folders", [str(tmp_path / "lib")])
    page.find_copies()
    wait_found(qtbot, page)
    assert not page.act_trash.isEnabled()
    page.tree.select_path(str(files["coin"]))
    page.act_keep.trigger()
    assert page.tree.marks == {str(files["coin2"]), str(files["coin-small"])}
    assert "2 marked" in page.summary()
    assert all(p.exists() for p in files.values())  # marking deletes nothing
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.act_trash.trigger()
    assert all(p.exists() for p in files.values())
    trashed: list[str] = []
    monkeypatch.setattr("robloxassets.gui.duplicates.page.QFile.moveToTrash",
                        lambda path: trashed.append(path) or True)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.act_trash.trigger()
    qtbot.waitUntil(lambda: sorted(trashed) == sorted(map(str, (files["coin2"],
                                                               files["coin-small"]))),
                    timeout=5000)
    qtbot.waitUntil(lambda: not page.tree.marks, timeout=5000)


def test_nothing_found_says_so(qtbot, main_window, page, tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    dupset.source_image(3).save(tmp_path / "lib" / "alone.png")
    main_window.settings.set("library.folders", [str(tmp_path / "lib")])
    page.find_copies()
    wait_found(qtbot, page)
    assert page.groups == []
    assert page.stack.currentWidget() is page.empty
    assert page.empty.heading() == "No copies found"
    assert page.summary() == "No copies among 1 image"


def test_a_near_copy_one_bit_apart_says_bit() -> None:
    from unittest import mock

    from robloxassets.core.duplicates.groups import Member
    from robloxassets.gui.duplicates.tree import similarity_text

    candidate = mock.Mock(catalogued=False)
    assert similarity_text(Member(candidate, 1, False), False) == "Near-copy · 1 bit"
    assert similarity_text(Member(candidate, 2, False), False) == "Near-copy · 2 bits"
